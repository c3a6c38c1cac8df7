/**
 * The person's JSON endpoints under /b/:brand/rights/ (for the privacy center): open a request (an emailed code
 * follows), verify it with the code, read its status with the signed status link. JSON only — a form post gets
 * 415, so a cross-site form cannot submit them (and a cross-site fetch with a JSON body needs a CORS preflight,
 * which these routes never grant) — with small body limits, per-IP rate limits and `Cache-Control: no-store`.
 */
import type { NextFunction, Request, Response, Router } from 'express';
import { SuiteError } from '../../../core/errors';
import { asyncRoute } from '../../../core/http/respond';
import { brandKey, ipKey, rateLimit } from '../../../core/http/rate-limit';
import { jsonBody } from '../../../core/http/body';
import type { Kernel } from '../../../core/kernel';
import { openPublicRequest } from '../verify/public-intake';
import { statusWithToken, verifyWithCode } from '../verify/verify-by-code';
import { idParam } from '../../../core/http/route-input';

/** Per-IP limits per brand (keyed on the brand's id, not its spelling in the path): intake, code tries, status reads. */
export const PUBLIC_LIMITS = {
  intake: { max: 10, windowMs: 60 * 60_000 },
  verify: { max: 20, windowMs: 15 * 60_000 },
  status: { max: 60, windowMs: 60_000 },
} as const;

/** Refuses anything but a JSON body (415 SUITE_JSON_REQUIRED) before the body is read. */
function requireJson(req: Request, _res: Response, next: NextFunction): void {
  next(req.is('application/json') ? undefined : new SuiteError('SUITE_JSON_REQUIRED'));
}

function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.set('Cache-Control', 'no-store');
  next();
}

/** Mounts the public request routes on the module's client router. */
export function publicRequestRoutes(r: Router, kernel: Kernel): void {
  const byIp = (req: Request) => `${ipKey(req)}|${brandKey(req)}`;
  const intakeLimit = rateLimit(kernel, { name: 'rights-intake', ...PUBLIC_LIMITS.intake, key: byIp });
  const verifyLimit = rateLimit(kernel, { name: 'rights-verify', ...PUBLIC_LIMITS.verify, key: byIp });
  const statusLimit = rateLimit(kernel, { name: 'rights-status', ...PUBLIC_LIMITS.status, key: byIp });

  r.post('/requests', noStore, intakeLimit, requireJson, jsonBody({ limit: '16kb' }), asyncRoute(async (req, res) => {
    res.status(202).json(await openPublicRequest(kernel, req.brand!, req.body, { ip: req.ip, acceptLanguage: req.get('accept-language') ?? undefined }));
  }));
  r.post('/requests/:id/verify', noStore, verifyLimit, requireJson, jsonBody({ limit: '1kb' }), asyncRoute(async (req, res) => {
    const { request, statusToken } = await verifyWithCode(kernel, req.brand!, idParam(req.params.id), req.body, { ip: req.ip });
    res.json({ ok: true, verified: true, request, statusToken });
  }));
  r.get('/requests/:id/status', noStore, statusLimit, asyncRoute(async (req, res) => {
    res.json({ ok: true, request: await statusWithToken(kernel, req.brand!, idParam(req.params.id), req.query.token) });
  }));
}
