/**
 * The contact form's two limits on sending: per sender address (IP, IPv6 by /56) and per domain, each `max` per window
 * as the answering brand configures them (`contactForm` settings; the defaults for an unknown domain, so it answers
 * the same). Counted in the database across instances with the suite's rate-limit store (fixed windows, keys stored
 * as a keyed hash); beyond a limit: 429 SUITE_RATE_LIMITED with Retry-After. The limits differ per brand, so they are
 * counted here rather than by one express-rate-limit instance per route (whose window is fixed when it is created).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SuiteError } from '../../../core/errors';
import { ipKey } from '../../../core/http/rate-limit';
import { DatabaseRateLimitStore } from '../../../core/http/rate-limit-store';
import type { Kernel } from '../../../core/kernel';
import { RdapSettings } from '../settings';
import type { ContactTarget } from './relay';

/** The settings an unknown domain is limited by. */
export const DEFAULT_RDAP_SETTINGS = RdapSettings.parse({});

/** The target the routes resolved for this request (set before the limits run). */
export function targetOf(res: Response): ContactTarget | undefined {
  return res.locals.contactTarget as ContactTarget | undefined;
}

/** Middleware counting the sender, then (for a domain name) the domain; the first over its limit answers 429. */
export function contactLimits(kernel: Kernel): RequestHandler {
  // One store per kind and window: a counter is shared by every brand with the same window.
  const stores = new Map<string, DatabaseRateLimitStore>();
  const storeFor = (kind: 'sender' | 'domain', windowMs: number): DatabaseRateLimitStore => {
    const id = `${kind}:${windowMs}`;
    let s = stores.get(id);
    if (!s) stores.set(id, (s = new DatabaseRateLimitStore(kernel.db, kernel.keyring, `rdap-contact-${kind}`, windowMs)));
    return s;
  };
  /** Seconds until the window ends when `key` is over `max`; undefined while within it (or when the store fails). */
  const over = async (kind: 'sender' | 'domain', key: string, max: number, windowMs: number): Promise<number | undefined> => {
    try {
      const { totalHits, resetTime } = await storeFor(kind, windowMs).increment(`${windowMs}|${key}`);
      if (totalHits <= max) return undefined;
      return Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
    } catch (err) {
      // A database failure lets the message through rather than taking the form down (as core/http/rate-limit.ts).
      kernel.log.warn({ code: (err as { code?: unknown }).code ?? 'error', limit: `rdap-contact-${kind}` }, 'rate limit store failed');
      return undefined;
    }
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    const target = targetOf(res);
    const s = (target?.settings ?? DEFAULT_RDAP_SETTINGS).contactForm;
    const windowMs = s.windowMinutes * 60_000;
    (async () => {
      const seconds = (await over('sender', ipKey(req), s.perSender, windowMs))
        ?? (target ? await over('domain', target.domain, s.perDomain, windowMs) : undefined);
      if (seconds === undefined) return next();
      res.set('Retry-After', String(seconds));
      next(new SuiteError('SUITE_RATE_LIMITED', { seconds }));
    })().catch(next);
  };
}
