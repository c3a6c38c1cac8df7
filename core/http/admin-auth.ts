/** Admin authentication: `Authorization: Bearer psk_…`; failures are counted and audited by the access watch (MS-10 / WSM-23). */
import type { NextFunction, Request, Response } from 'express';
import { SuiteError } from '../errors';
import type { Kernel } from '../kernel';
import type { ApiKeys, Principal } from '../apikeys/api-keys';
import type { Actor } from '../audit/audit-log';
import { accessWatch } from '../security/access-watch';
import { isUserPrincipal } from '../users/principal';

declare module 'express-serve-static-core' {
  interface Request { principal?: Principal }
}

/** The audit actor of an authenticated request: the API key, or the logged-in admin user. */
export function actorOf(req: Request): Actor {
  const p = req.principal;
  if (p && isUserPrincipal(p)) return { type: 'user', id: String(p.userId) };
  return { type: 'apikey', id: p?.keyId ?? 'unknown' };
}

/** Middleware that requires a valid API key. */
export function requireApiKey(kernel: Kernel, keys: ApiKeys) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const header = req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      next(new SuiteError('SUITE_AUTH_REQUIRED'));
      return;
    }
    keys.verify(m[1]).then((p) => {
      req.principal = p;
      next();
    }, async (err) => {
      // Counted per IP across instances (audited once per window, unusual access past the threshold: MS-10).
      await accessWatch(kernel).failure({ source: 'api-key', ip: req.ip, code: (err as { code?: string }).code ?? 'SUITE_AUTH_INVALID', targetType: 'route', targetId: req.path, actor: 'admin-api' });
      next(err);
    });
  };
}
