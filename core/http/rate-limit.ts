/** A per-instance fixed-window rate limit for unauthenticated write routes (cookie choices and the like): 429 when exceeded. */
import type { NextFunction, Request, Response } from 'express';
import { SuiteError } from '../errors';

/** The brand a request is limited under: its id once the brand gate has found it (`req.brand`), else none. */
export function brandKey(req: Request): string {
  return req.brand ? `brand:${req.brand.id}` : 'no-brand';
}

/**
 * Allows `max` requests per `windowMs` per key. The default key is the client IP, the brand (its id, never the slug as
 * typed: `/b/FZ/` or `/b/f%7A/` are one brand or none) and the route as declared (express matches paths ignoring case).
 */
export function rateLimit(opts: { max: number; windowMs: number; key?: (req: Request) => string }) {
  const hits = new Map<string, { count: number; resetAt: number }>();
  let lastSweep = Date.now();
  return (req: Request, res: Response, next: NextFunction): void => {
    const now = Date.now();
    if (now - lastSweep > opts.windowMs) {
      for (const [k, v] of hits) if (v.resetAt <= now) hits.delete(k);
      lastSweep = now;
    }
    const key = opts.key ? opts.key(req) : `${req.ip}|${brandKey(req)}|${(req.route as { path?: string } | undefined)?.path ?? req.path.toLowerCase()}`;
    let entry = hits.get(key);
    if (!entry || entry.resetAt <= now) hits.set(key, (entry = { count: 0, resetAt: now + opts.windowMs }));
    entry.count += 1;
    if (entry.count > opts.max) {
      res.set('Retry-After', String(Math.ceil((entry.resetAt - now) / 1000)));
      next(new SuiteError('SUITE_RATE_LIMITED', { seconds: Math.ceil((entry.resetAt - now) / 1000) }));
      return;
    }
    next();
  };
}
