/**
 * The RDAP service at the site root (RFC 9082/9083; unauthenticated, application/rdap+json): domain, nameserver, the
 * registrar's entity and help. Every answer carries a strong ETag of its bytes and Cache-Control; If-None-Match gets
 * 304. Look-ups are limited per address in process (SUITE_RDAP_RATE_PER_MINUTE): no database write per request.
 */
import crypto from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { bucketRateLimit, TokenBuckets } from '../../core/http/rate-limit';
import { asyncRoute } from '../../core/http/respond';
import type { Kernel } from '../../core/kernel';
import { AnswerCache } from './answer-cache';
import { domainAnswer, errorAnswer, helpAnswer } from './domain-response';
import { entityLookup } from './entity-lookup';
import { findNameserver, nameserverAnswer } from './nameservers/nameserver-answer';
import { RDAP_MEDIA_TYPE } from './notices';
import { ldhName } from './names';

/** Other parts of the module (the contact form) read the name rules from here. */
export { ldhName, unicodeName } from './names';
import { publicationOf, publishedRegistration } from './registration-view';

/** How an answer may be kept: by anyone for `max-age` (the same redacted bytes for everyone), or not at all. */
type Caching = 'public' | 'no-store';

/** A strong entity tag over the exact bytes sent. */
export function etagOf(body: string): string {
  return `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** True when an If-None-Match header names `etag` (weak comparison, RFC 9110 §13.1.2) or is `*`. */
export function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export function rdapRoutes(r: Router, kernel: Kernel): void {
  const maxAge = kernel.config.rdapCacheSeconds;

  /**
   * Sends an answer's bytes (written as they are: express would add a weak ETag of its own); a found object with its
   * strong ETag, and 304 without a body when the client holds that version.
   */
  function sendText(req: Request, res: Response, status: number, text: string, caching: Caching, etag?: string): void {
    res.status(status).set('Content-Type', `${RDAP_MEDIA_TYPE}; charset=utf-8`).set('Access-Control-Allow-Origin', '*');
    res.set('Cache-Control', caching === 'public' && maxAge > 0 ? `public, max-age=${maxAge}` : 'no-store');
    if (status === 200) {
      const tag = etag ?? etagOf(text);
      res.set('ETag', tag);
      if (matches(req.get('if-none-match'), tag)) {
        res.status(304).end();
        return;
      }
    }
    res.set('Content-Length', String(Buffer.byteLength(text)));
    res.end(req.method === 'HEAD' ? undefined : text);
  }
  const send = (req: Request, res: Response, status: number, body: Record<string, unknown>, caching: Caching = 'no-store'): void => sendText(req, res, status, JSON.stringify(body), caching);

  const cache = new AnswerCache(kernel.config.rdapMemoMs);
  const buckets = new TokenBuckets(kernel.config.rdapRatePerMinute);
  r.use('/rdap', bucketRateLimit(buckets, (req, res, seconds) => send(req, res, 429, errorAnswer(429, 'Too Many Requests', [`Too many look-ups from this address; try again in ${seconds} s.`]))));

  r.get('/rdap/help', (req, res) => send(req, res, 200, helpAnswer(baseUrl(req)), 'public'));

  r.get('/rdap/domain/:name', asyncRoute(async (req, res) => {
    const name = ldhName(String(req.params.name));
    if (!name) return send(req, res, 400, errorAnswer(400, 'Bad Request', ['The query is not a valid domain name.']));
    const base = baseUrl(req);
    const key = `${base}|${name}`;
    const fresh = cache.fresh(key);
    if (fresh) return sendText(req, res, 200, fresh.text, 'public', fresh.etag);
    const notFound = () => {
      cache.delete(key);
      send(req, res, 404, errorAnswer(404, 'Not Found', [`The domain ${name} is not registered through this registrar.`]));
    };
    const pub = await publicationOf(kernel, name);
    if (!pub) return notFound();
    const kept = cache.confirm(key, pub.version);
    if (kept) return sendText(req, res, 200, kept.text, 'public', kept.etag);
    const found = await publishedRegistration(kernel, pub, name);
    if (!found) return notFound();
    const text = JSON.stringify(domainAnswer({ settings: found.settings, baseUrl: base }, found.view));
    // A registrant's consent puts their own data in the answer: nobody keeps it (here or on the way), so a withdrawal
    // takes effect at once. Fully redacted answers are the same for everyone and kept.
    if (found.view.publishesPersonalData) {
      cache.delete(key);
      return sendText(req, res, 200, text, 'no-store');
    }
    const answer = cache.set(key, { version: pub.version, text, etag: etagOf(text) });
    sendText(req, res, 200, text, 'public', answer.etag);
  }));

  r.get('/rdap/nameserver/:name', asyncRoute(async (req, res) => {
    const name = ldhName(String(req.params.name));
    if (!name) return send(req, res, 400, errorAnswer(400, 'Bad Request', ['The query is not a valid host name.']));
    const found = await findNameserver(kernel, name);
    if (!found) return send(req, res, 404, errorAnswer(404, 'Not Found', [`The name server ${name} is not a name server of a domain registered through this registrar.`]));
    send(req, res, 200, nameserverAnswer(baseUrl(req), found), 'public');
  }));

  r.get('/rdap/entity/:handle', asyncRoute(async (req, res) => {
    const handle = String(req.params.handle);
    const found = /^[1-9][0-9]{0,9}$/.test(handle) ? await entityLookup(kernel, handle, baseUrl(req)) : undefined;
    // Contact handles are redacted in every answer (Registration Data Policy); looking them up would undo that.
    if (!found) return send(req, res, 404, errorAnswer(404, 'Not Found', ['No entity with this handle is published here; contact handles are not looked up.']));
    send(req, res, 200, found, 'public');
  }));

  r.get('/rdap/*', (req, res) => send(req, res, 501, errorAnswer(501, 'Not Implemented', ['This RDAP service answers domain, nameserver, entity and help queries only.'])));
}
