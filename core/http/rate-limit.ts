/**
 * Rate limits for public routes, pages and forms: express-rate-limit with a database store, so every instance
 * counts the same fixed window (nothing is kept in process memory). Over the limit: 429 SUITE_RATE_LIMITED with
 * Retry-After.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit as expressRateLimit } from 'express-rate-limit';
import { SuiteError } from '../errors';
import type { Kernel } from '../kernel';
import { DatabaseRateLimitStore } from './rate-limit-store';

/** The brand a request is limited under: its id once the brand gate has found it (`req.brand`), else none. */
export function brandKey(req: Request): string {
  return req.brand ? `brand:${req.brand.id}` : 'no-brand';
}

/** The client's address as a limit key (an IPv6 address by its /56, as one household or host gets). */
export function ipKey(req: Request): string {
  return ipKeyGenerator(req.ip ?? 'unknown', 56);
}

/** A limit: `max` requests per `windowMs`, counted per `key` under the limiter's `name`. */
export interface RateLimitOptions {
  /** Names the counter in the database; two limiters with one name share their counts. */
  name: string;
  max: number;
  windowMs: number;
  /** The client key; default the client IP, the brand (its id, never the slug as typed) and the route as declared. */
  key?: (req: Request) => string;
}

/** Middleware allowing `max` requests per `windowMs` per key, counted in the database. */
export function rateLimit(kernel: Pick<Kernel, 'db' | 'keyring'>, opts: RateLimitOptions): RequestHandler {
  const key = opts.key ?? ((req: Request) => `${ipKey(req)}|${brandKey(req)}|${(req.route as { path?: string } | undefined)?.path ?? req.path.toLowerCase()}`);
  return expressRateLimit({
    windowMs: opts.windowMs,
    limit: opts.max,
    store: new DatabaseRateLimitStore(kernel.db, kernel.keyring, opts.name),
    keyGenerator: (req) => key(req as Request),
    standardHeaders: false,
    legacyHeaders: false,
    // A database failure lets the request through rather than taking the page down with it.
    passOnStoreError: true,
    validate: { keyGeneratorIpFallback: false, trustProxy: false, xForwardedForHeader: false },
    handler: (req: Request, res: Response, next: NextFunction) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + opts.windowMs) - Date.now()) / 1000));
      res.set('Retry-After', String(seconds));
      next(new SuiteError('SUITE_RATE_LIMITED', { seconds }));
    },
  });
}
