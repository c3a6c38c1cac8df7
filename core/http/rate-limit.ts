/**
 * Rate limits for public routes, pages and forms: express-rate-limit with a database store, so every instance
 * counts the same fixed window. Over the limit: 429 SUITE_RATE_LIMITED with Retry-After. Routes too hot for a
 * database write per request (RDAP) use the in-process token bucket at the end of this file instead.
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
  /** Requests this limit does not count (e.g. a processor's webhook under a customer-facing prefix). */
  skip?: (req: Request) => boolean;
}

/** Middleware allowing `max` requests per `windowMs` per key, counted in the database. */
export function rateLimit(kernel: Pick<Kernel, 'db' | 'keyring'>, opts: RateLimitOptions): RequestHandler {
  const key = opts.key ?? ((req: Request) => `${ipKey(req)}|${brandKey(req)}|${(req.route as { path?: string } | undefined)?.path ?? req.path.toLowerCase()}`);
  return expressRateLimit({
    windowMs: opts.windowMs,
    limit: opts.max,
    store: new DatabaseRateLimitStore(kernel.db, kernel.keyring, opts.name),
    keyGenerator: (req) => key(req as Request),
    ...(opts.skip ? { skip: (req) => opts.skip!(req as Request) } : {}),
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

/** The customer-facing JSON endpoints' shared per-address budget: everything under /b/:brand/ except processors' webhooks. */
export function publicRateLimit(kernel: Pick<Kernel, 'db' | 'keyring' | 'config'>): RequestHandler {
  return rateLimit(kernel, {
    name: 'public', max: kernel.config.publicRatePerMinute, windowMs: 60_000, key: ipKey,
    // A payment processor's webhooks come from its few addresses on behalf of every customer; they have a per-brand limit.
    skip: (req) => /\/webhook\/?$/.test(req.path),
  });
}

/** What a token bucket decides for one request. */
export type BucketVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Token buckets per key, in this process: `perMinute` tokens refilled evenly, a burst of as many. No I/O per request,
 * so it holds at thousands of requests per second; the map is bounded (the least recently added keys go first when
 * it is full). Each instance counts on its own: N instances let an address make up to N times the rate.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(readonly perMinute: number, private readonly maxKeys = 100_000, private readonly now: () => number = Date.now) {}

  take(key: string): BucketVerdict {
    const now = this.now();
    const perMs = this.perMinute / 60_000;
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.evict();
      b = { tokens: this.perMinute, at: now };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * perMs);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
  }

  /** Drops the oldest tenth of the keys (a full bucket is what a new key starts with anyway, so forgetting one is lenient). */
  private evict(): void {
    let n = Math.ceil(this.maxKeys / 10);
    for (const k of this.buckets.keys()) {
      if (n-- <= 0) break;
      this.buckets.delete(k);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}

/** Middleware over TokenBuckets keyed by client address: over the rate, `onLimited` answers (429 with Retry-After). */
export function bucketRateLimit(buckets: TokenBuckets, onLimited: (req: Request, res: Response, retryAfterSeconds: number) => void): RequestHandler {
  return (req, res, next) => {
    const v = buckets.take(ipKey(req));
    if (v.allowed) return next();
    res.set('Retry-After', String(v.retryAfterSeconds));
    onLimited(req, res, v.retryAfterSeconds);
  };
}
