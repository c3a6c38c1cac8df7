/**
 * GPC on every consent client route (WSM-11): a `Sec-GPC: 1` request that carries a valid signed link (`?token=`, any
 * purpose) of the brand records the opt-out of sale/sharing for that link's subject before the route runs. It sets
 * `req.gpc` for handlers that identify the person some other way (they call `recordGpcOptOut` themselves).
 */
import type { NextFunction, Request, Response } from 'express';
import type { Kernel } from '../../../core/kernel';
import { verifySignedLink, type SignedLinkClaims } from '../../../core/links/signed-link';
import { hasGpcSignal, recordGpcOptOut } from './gpc-signal';

declare module 'express-serve-static-core' {
  interface Request { gpc?: boolean }
}

/** The claims of a valid signed link of any purpose, or undefined. */
function claimsOf(kernel: Kernel, token: string): SignedLinkClaims | undefined {
  try {
    const purpose = (JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { p?: unknown }).p;
    return typeof purpose === 'string' ? verifySignedLink(kernel, token, purpose) : undefined;
  } catch {
    return undefined;
  }
}

/** Router-level middleware for the consent client routes; never fails the request it watches. */
export function gpcClientSignal(kernel: Kernel) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    req.gpc = hasGpcSignal(req.headers);
    const token = req.query.token;
    if (!req.gpc || typeof token !== 'string' || !req.brand) return next();
    const brand = req.brand;
    (async () => {
      const claims = claimsOf(kernel, token);
      if (!claims || claims.brandId !== brand.id) return;
      const profile = await kernel.brands.profile(brand);
      await kernel.keyring.activeKeyId();
      await kernel.db.transaction((trx) => recordGpcOptOut(kernel, trx, profile, {
        brandId: brand.id, subjectId: claims.subjectId, channel: 'web', collectionPoint: 'privacy-center', ip: req.ip?.slice(0, 64), userAgent: req.get('user-agent')?.slice(0, 1000),
      }));
    })().catch((err: unknown) => kernel.log.warn({ code: (err as { code?: string }).code ?? (err as Error).name, path: req.baseUrl }, 'GPC signal could not be recorded')).then(() => next());
  };
}
