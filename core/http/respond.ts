/** Turns thrown errors into the catalogue's JSON answers; the headers and refusals every answer shares. */
import type { NextFunction, Request, Response } from 'express';
import { SuiteError } from '../errors';
import { resolveLocale } from '../i18n';
import type { Logger } from '../logger';

/** Headers on every answer (plus Strict-Transport-Security on HTTPS, see `HSTS`). */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Frame-Options', 'DENY'],
];
export const HSTS = ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'] as const;

/** The answer to any request while the server drains for a graceful stop (sent with `Connection: close`). */
export const SHUTTING_DOWN = { status: 503, body: { ok: false, code: 'SUITE_SHUTTING_DOWN', error: 'The service is restarting; retry shortly.' } } as const;

/** Wraps an async route so its errors reach the error handler. */
export function asyncRoute(fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    fn(req, res, next).catch(next);
  };
}

/** Status and JSON body for a thrown error: SuiteErrors keep their code and status; anything else is a 500 without details (logged). */
export function errorAnswer(err: unknown, acceptLanguage: string | undefined, path: string, log: Logger): { status: number; body: Record<string, unknown> } {
  const locale = resolveLocale(acceptLanguage);
  if (err instanceof SuiteError) return { status: err.status, body: err.toJSON(locale) };
  const type = (err as { type?: string }).type;
  if (type === 'entity.parse.failed') {
    const e = new SuiteError('SUITE_VALIDATION_FAILED', { fields: 'body' }, [{ field: 'body', message: 'the body is not valid JSON' }]);
    return { status: 400, body: e.toJSON(locale) };
  }
  if (type === 'entity.too.large') {
    const limit = (err as { limit?: number }).limit;
    return { status: 413, body: new SuiteError('SUITE_BODY_TOO_LARGE', { limit: limit ? `${limit} bytes` : 'the limit' }).toJSON(locale) };
  }
  log.error({ code: (err as Error).name, path, frames: (err as Error).stack?.split('\n').slice(1, 5).map((l) => l.trim()).join(' | ') }, 'unhandled error');
  return { status: 500, body: new SuiteError('SUITE_INTERNAL').toJSON(locale) };
}

/** The express error handler (see `errorAnswer`). */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const { status, body } = errorAnswer(err, req.headers['accept-language'], req.path, log);
    res.status(status).json(body);
  };
}
