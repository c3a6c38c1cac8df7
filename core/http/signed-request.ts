/**
 * Signed module endpoints: the hook API's authentication (X-Suite-Timestamp within the skew window, X-Suite-Signature
 * v1 HMAC of "<timestamp>.<raw body>" with the brand's hook secret) for a module route that takes a `{brand, …}` body.
 * Failures go to the access watch (audited once per IP, brand and window; MS-10) and answer 401 like the hook API.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Brand } from '../brands/brand';
import { SuiteError } from '../errors';
import type { Kernel } from '../kernel';
import { HOOK_BODY_LIMIT } from './hook-handler';
import { verifyHookSignature } from './signature';
import { accessWatch } from '../security/access-watch';
import { assertUtf8, assertWellFormed } from './body';

declare module 'express-serve-static-core' {
  interface Request { signedBody?: Record<string, unknown> }
}

const TIMESTAMP = /^\d{1,12}$/;

/** Middleware for a signed POST: reads the raw body, checks timestamp and signature, then sets `req.brand` and `req.signedBody`. */
export function requireSignedBody(kernel: Kernel, target: string) {
  const fail = async (req: Request, code: 'SUITE_HOOK_SIGNATURE_MISSING' | 'SUITE_HOOK_SIGNATURE_INVALID' | 'SUITE_HOOK_TIMESTAMP_STALE', brand?: Brand): Promise<never> => {
    await accessWatch(kernel).failure({ source: 'signed-endpoint', ip: req.ip, brandId: brand?.id ?? null, code, targetType: 'endpoint', targetId: target, actor: 'signed-endpoint' });
    throw new SuiteError(code, { skew: kernel.config.hookSkewSeconds });
  };
  const verify = async (req: Request): Promise<void> => {
    assertUtf8(req.get('content-type'));
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const ts = req.get('x-suite-timestamp');
    const sig = req.get('x-suite-signature');
    if (!ts || !sig) return fail(req, 'SUITE_HOOK_SIGNATURE_MISSING');
    if (!TIMESTAMP.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > kernel.config.hookSkewSeconds) return fail(req, 'SUITE_HOOK_TIMESTAMP_STALE');
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return fail(req, 'SUITE_HOOK_SIGNATURE_INVALID');
    }
    const slug = (json as { brand?: unknown } | null)?.brand;
    const brand = typeof slug === 'string' ? await kernel.brands.find(slug) : undefined;
    if (!brand || !verifyHookSignature(sig, await kernel.brands.hookSecrets(brand), ts, raw)) return fail(req, 'SUITE_HOOK_SIGNATURE_INVALID', brand);
    assertWellFormed(json);
    req.brand = brand;
    req.signedBody = json as Record<string, unknown>;
  };
  const raw = express.raw({ type: () => true, limit: HOOK_BODY_LIMIT });
  return [raw, (req: Request, _res: Response, next: NextFunction): void => { verify(req).then(() => next(), next); }];
}
