/**
 * The express app's security headers, by helmet: exactly the set the lean hook ingress writes (`SECURITY_HEADERS`,
 * plus `HSTS` on HTTPS, in respond.ts), so both paths answer alike (the ingress parity test holds them together).
 * HTTPS is `req.secure`: TLS on the socket, or X-Forwarded-Proto when `trust proxy` is on (SUITE_TRUST_PROXY).
 * Helmet's other defaults (CSP, COOP/CORP …) stay off: pages and the embeddable cookie banner set what they need.
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
