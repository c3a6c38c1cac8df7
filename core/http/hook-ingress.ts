/**
 * The lean hook ingress: a plain node:http listener that serves POST /api/v1/hooks/{HookName} itself (read the raw
 * body up to HOOK_BODY_LIMIT, then the shared handler in `hook-handler.ts`) and hands every other request to the
 * express app. Same answers as through express — status, security headers, ETag, error bodies, 503 while draining —
 * at a fraction of the per-request cost. Compressed bodies and unusual spellings of the path go to express too.
 */
import crypto from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../logger';
import { HOOK_BODY_LIMIT, type HookHandler } from './hook-handler';
import { errorAnswer, HSTS, SECURITY_HEADERS, SHUTTING_DOWN } from './respond';

/** The canonical hook path; anything else (other case, %-escapes, trailing slash) is left to express. */
const HOOK_PATH = /^\/api\/v1\/hooks\/([A-Za-z0-9_]+)(?:\?|$)/;

export interface IngressOptions {
  handle: HookHandler;
  /** Serves every request the ingress does not (the express app). */
  fallback: RequestListener;
  isDraining: () => boolean;
  /** As express's `trust proxy`: take the client IP and protocol from X-Forwarded-For / X-Forwarded-Proto. */
  trustProxy: boolean;
  log: Logger;
}

/** A request header (lower-case name) as a string. */
function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

/** The client address as express's `req.ip` has it (trust proxy: the left-most X-Forwarded-For entry). */
function clientIp(req: IncomingMessage, trustProxy: boolean): string | undefined {
  const xff = trustProxy ? header(req, 'x-forwarded-for') : undefined;
  if (xff) {
    for (const part of xff.split(',')) {
      const addr = part.replace(/^ +| +$/g, '');
      if (addr) return addr;
    }
  }
  return req.socket.remoteAddress;
}

/** Whether the request came over HTTPS, as express's `req.secure` has it. */
function isSecure(req: IncomingMessage, trustProxy: boolean): boolean {
  const proto = trustProxy ? header(req, 'x-forwarded-proto') : undefined;
  if (proto) return proto.split(',')[0].trim() === 'https';
  return (req.socket as TLSSocket).encrypted === true;
}

/** Writes a JSON answer with the headers express would send (security headers, JSON content type, weak ETag). */
function send(res: ServerResponse, status: number, json: string, secure: boolean, extra?: OutgoingHttpHeaders): void {
  const headers: OutgoingHttpHeaders = {};
  for (const [k, v] of SECURITY_HEADERS) headers[k] = v;
  if (secure) headers[HSTS[0]] = HSTS[1];
  if (extra) Object.assign(headers, extra);
  const len = Buffer.byteLength(json);
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = len;
  headers.ETag = `W/"${len.toString(16)}-${crypto.createHash('sha1').update(json, 'utf8').digest('base64').substring(0, 27)}"`;
  res.writeHead(status, headers);
  res.end(json);
}

/** Reads the body; `onBody(null)` when it exceeds `limit` (the rest is read off first, as body-parser does). */
function readBody(req: IncomingMessage, limit: number, onBody: (raw: Buffer | null) => void): void {
  const declared = Number(req.headers['content-length']);
  let size = 0;
  let tooLarge = declared > limit;
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => {
    if (tooLarge) return;
    size += chunk.length;
    if (size > limit) {
      tooLarge = true;
      chunks.length = 0;
    } else chunks.push(chunk);
  });
  req.once('end', () => onBody(tooLarge ? null : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
}

/** The server's request listener: hook calls here, everything else to `fallback`. */
export function hookIngress(o: IngressOptions): RequestListener {
  const { handle, fallback, isDraining, trustProxy, log } = o;
  return (req, res) => {
    const m = req.method === 'POST' ? HOOK_PATH.exec(req.url ?? '') : null;
    const encoding = req.headers['content-encoding'];
    if (!m || (encoding !== undefined && encoding !== 'identity')) {
      fallback(req, res);
      return;
    }
    const secure = isSecure(req, trustProxy);
    if (isDraining()) {
      send(res, SHUTTING_DOWN.status, JSON.stringify(SHUTTING_DOWN.body), secure, { Connection: 'close' });
      return;
    }
    const fail = (err: unknown) => {
      const { status, body } = errorAnswer(err, header(req, 'accept-language'), req.url!.split('?')[0], log);
      send(res, status, JSON.stringify(body), secure);
    };
    readBody(req, HOOK_BODY_LIMIT, (raw) => {
      if (!raw) return fail(Object.assign(new Error('request entity too large'), { type: 'entity.too.large', limit: HOOK_BODY_LIMIT }));
      handle({ name: m[1], raw, header: (name) => header(req, name), ip: clientIp(req, trustProxy) }).then(
        (reply) => send(res, reply.status, reply.json, secure, reply.replayed ? { 'Idempotent-Replayed': 'true' } : undefined),
        fail,
      ).catch((err: unknown) => {
        log.error({ code: (err as Error).name, path: 'hook ingress' }, 'could not send the answer');
        res.destroy();
      });
    });
  };
}
