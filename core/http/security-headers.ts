/**
 * The express app's security headers, by helmet: exactly the set the lean hook ingress writes (`SECURITY_HEADERS`,
 * plus `HSTS` on HTTPS, in respond.ts), so both paths answer alike (the ingress parity test holds them together).
 * HTTPS is `req.secure`: TLS on the socket, or X-Forwarded-Proto when `trust proxy` is on (SUITE_TRUST_PROXY).
 * Helmet's other defaults (CSP, COOP/CORP …) stay off here: pages get theirs from `applyPageSecurityHeaders` (below,
 * called by core/pages' sendPage), and the embeddable cookie banner sets what it needs.
 */
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

const base = helmet({
  contentSecurityPolicy: false, crossOriginEmbedderPolicy: false, crossOriginOpenerPolicy: false, crossOriginResourcePolicy: false,
  originAgentCluster: false, strictTransportSecurity: false, xDnsPrefetchControl: false, xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false, xXssProtection: false,
  referrerPolicy: { policy: 'no-referrer' }, xContentTypeOptions: true, xFrameOptions: { action: 'deny' }, xPoweredBy: true,
});
// MS-10: a browser that reached us over HTTPS keeps to HTTPS for a year, subdomains included.
const hsts = helmet.strictTransportSecurity({ maxAge: 31_536_000, includeSubDomains: true });

/** Middleware: the security headers on every answer, Strict-Transport-Security on every HTTPS answer. */
export function securityHeaders() {
  return (req: Request, res: Response, next: NextFunction): void => {
    base(req, res, (err?: unknown) => {
      if (err) next(err);
      else if (req.secure) hsts(req, res, next);
      else next();
    });
  };
}

type PageLocals = { cspNonce?: string; cspImgOrigin?: string };
const locals = (res: unknown): PageLocals => ((res as Response).locals ?? {}) as PageLocals;

// Pages (core/pages): only this origin; inline <style>/<script> only with the response's nonce; images also from the
// brand logo's origin; forms post to this origin; no framing, no plugins, no <base>.
const pageCsp = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    styleSrc: ["'self'", (_req, res) => `'nonce-${locals(res).cspNonce ?? ''}'`],
    scriptSrc: ["'self'", (_req, res) => `'nonce-${locals(res).cspNonce ?? ''}'`],
    imgSrc: ["'self'", (_req, res) => locals(res).cspImgOrigin ?? "'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
  },
});

/** Sets a page's Content-Security-Policy (by helmet) for `nonce` and, when the brand shows a logo, its https origin. */
export function applyPageSecurityHeaders(req: Request, res: Response, nonce: string, imgOrigin?: string): void {
  Object.assign(res.locals, { cspNonce: nonce, cspImgOrigin: imgOrigin && /^https:\/\/[^\s;,'"]+$/.test(imgOrigin) ? imgOrigin : undefined });
  pageCsp(req, res, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error(String(err));
  });
}
