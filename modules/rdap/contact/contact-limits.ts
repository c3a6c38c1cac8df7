/**
 * The contact form's two limits on sending: per sender address (IP, IPv6 by /56) and per domain, each `max` per window
 * as the answering brand configures them (`contactForm` settings; defaults for an unknown domain, so it answers the
 * same). Counted in the database across instances (core/http/rate-limit.ts); beyond a limit: 429 with Retry-After.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKey, rateLimit } from '../../../core/http/rate-limit';
import type { Kernel } from '../../../core/kernel';
import { ldhName } from '../rdap-routes';
import { RdapSettings } from '../settings';
import type { ContactTarget } from './relay';

/** The settings an unknown domain is limited by. */
export const DEFAULT_RDAP_SETTINGS = RdapSettings.parse({});

/** The target the routes resolved for this request (set before the limits run). */
export function targetOf(res: Response): ContactTarget | undefined {
  return res.locals.contactTarget as ContactTarget | undefined;
}

/** Middleware applying the sender limit, then (for a domain name) the domain limit. */
export function contactLimits(kernel: Kernel): RequestHandler {
  // One limiter per (kind, max, window): brands may differ; a counter is shared by every limiter of its kind and window.
  const limiters = new Map<string, RequestHandler>();
  const limiter = (kind: 'sender' | 'domain', max: number, windowMs: number): RequestHandler => {
    const id = `${kind}:${max}:${windowMs}`;
    let h = limiters.get(id);
    if (!h) {
      const key = kind === 'sender'
        ? (req: Request) => `${windowMs}|${ipKey(req)}`
        : (req: Request) => `${windowMs}|${ldhName(String(req.params.domain)) ?? ''}`;
      h = rateLimit(kernel, { name: `rdap-contact-${kind}`, max, windowMs, key });
      limiters.set(id, h);
    }
    return h;
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    const target = targetOf(res);
    const s = (target?.settings ?? DEFAULT_RDAP_SETTINGS).contactForm;
    const windowMs = s.windowMinutes * 60_000;
    limiter('sender', s.perSender, windowMs)(req, res, (err?: unknown) => {
      if (err || !target) return next(err);
      limiter('domain', s.perDomain, windowMs)(req, res, next);
    });
  };
}
