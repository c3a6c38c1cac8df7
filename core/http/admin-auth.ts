/** Admin authentication: `Authorization: Bearer psk_…`; failures are audited (MS-10 / WSM-23). */
import type { NextFunction, Request, Response } from 'express';
import { SuiteError } from '../errors';
import type { Kernel } from '../kernel';
import type { ApiKeys, Principal } from '../apikeys/api-keys';
import type { Actor } from '../audit/audit-log';

declare module 'express-serve-static-core' {
  interface Request { principal?: Principal }
}

/** The audit actor of an authenticated request. */
export function actorOf(req: Request): Actor {
  return { type: 'apikey', id: req.principal?.keyId ?? 'unknown' };
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
      await kernel.audit.record({ actor: { type: 'anonymous', id: 'admin-api' }, action: 'auth.failed', targetType: 'route', targetId: req.path.slice(0, 190), ip: req.ip }).catch(() => undefined);
      next(err);
    });
  };
}
