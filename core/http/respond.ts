/** Turns thrown errors into the catalogue's JSON answers; the headers and refusals every answer shares. */
import type { NextFunction, Request, Response } from 'express';
import { SuiteError, fieldIssue } from '../errors';
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

/**
 * The coded error for what body-parser (or express, decoding a path) refuses, by its `type`; undefined for anything
 * else. Each is the client's fault, so a 4xx, never a 500.
 */
function inputError(err: unknown): SuiteError | undefined {
  const e = err as { type?: unknown; status?: unknown; code?: unknown; limit?: unknown; encoding?: unknown; charset?: unknown };
  // express's decodeURIComponent of a route parameter (`/b/%ZZ/…`) throws a URIError it marks 400.
  if (err instanceof URIError && e.status === 400) return new SuiteError('SUITE_PATH_MALFORMED');
  switch (e.type) {
    case 'entity.parse.failed':
      return new SuiteError('SUITE_VALIDATION_FAILED', { fields: 'body' }, [fieldIssue('body', 'validation.input.notJson')]);
    case 'entity.too.large':
      return new SuiteError('SUITE_BODY_TOO_LARGE', { limit: typeof e.limit === 'number' ? `${e.limit} bytes` : 'the limit' });
    case 'parameters.too.many':
      return new SuiteError('SUITE_BODY_TOO_MANY_FIELDS');
    case 'encoding.unsupported':
      return new SuiteError('SUITE_BODY_ENCODING_UNSUPPORTED', { encoding: String(e.encoding ?? '').slice(0, 40) });
    case 'charset.unsupported':
      return new SuiteError('SUITE_BODY_CHARSET_UNSUPPORTED', { charset: String(e.charset ?? '').slice(0, 40) });
    case 'request.aborted':
    case 'request.size.invalid':
    case 'depth.exceeded':
    case 'entity.verify.failed':
      return new SuiteError('SUITE_BODY_UNREADABLE');
  }
  // A body that does not decompress: zlib's error, marked 400 by body-parser.
  if (e.status === 400 && typeof e.code === 'string' && e.code.startsWith('Z_')) return new SuiteError('SUITE_BODY_UNREADABLE');
  return undefined;
}

/** Status and JSON body for a thrown error: SuiteErrors keep their code and status; anything else is a 500 without details (logged). */
export function errorAnswer(err: unknown, acceptLanguage: string | undefined, path: string, log: Logger): { status: number; body: Record<string, unknown> } {
  const locale = resolveLocale(acceptLanguage);
  const known = err instanceof SuiteError ? err : inputError(err);
  if (known) return { status: known.status, body: known.toJSON(locale) };
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
