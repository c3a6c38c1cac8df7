/** GET /rdap/domain/:name and GET /rdap/help at the site root (unauthenticated, application/rdap+json). */
import { domainToASCII } from 'node:url';
import type { Request, Response, Router } from 'express';
import { asyncRoute } from '../../core/http/respond';
import type { Kernel } from '../../core/kernel';
import { domainAnswer, errorAnswer, helpAnswer } from './domain-response';
import { RDAP_MEDIA_TYPE } from './notices';
import { findRegistration } from './registration-view';

function send(res: Response, status: number, body: Record<string, unknown>): void {
  res.status(status).set('Content-Type', `${RDAP_MEDIA_TYPE}; charset=utf-8`).set('Access-Control-Allow-Origin', '*').send(JSON.stringify(body));
}

function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** The LDH form of a queried name (lower case, A-labels, no trailing dot), or undefined when it is not a domain name. */
export function ldhName(raw: string): string | undefined {
  const name = domainToASCII(raw.trim().replace(/\.$/, '')).toLowerCase();
  if (!name || name.length > 253) return undefined;
  const labels = name.split('.');
  if (labels.length < 2) return undefined;
  return labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l)) ? name : undefined;
}

export function rdapRoutes(r: Router, kernel: Kernel): void {
  r.get('/rdap/help', (req, res) => send(res, 200, helpAnswer(baseUrl(req))));

  r.get('/rdap/domain/:name', asyncRoute(async (req, res) => {
    const name = ldhName(String(req.params.name));
    if (!name) return send(res, 400, errorAnswer(400, 'Bad Request', ['The query is not a valid domain name.']));
    const found = await findRegistration(kernel, name);
    if (!found) return send(res, 404, errorAnswer(404, 'Not Found', [`The domain ${name} is not registered through this registrar.`]));
    res.set('Cache-Control', 'no-store');
    send(res, 200, domainAnswer({ settings: found.settings, baseUrl: baseUrl(req) }, found.view));
  }));

  r.get('/rdap/*', (_req, res) => send(res, 501, errorAnswer(501, 'Not Implemented', ['This RDAP service answers domain and help queries only.'])));
}
