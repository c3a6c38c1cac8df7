/** Turns thrown errors into the catalogue's JSON answers. */
import type { NextFunction, Request, Response } from 'express';
import { SuiteError } from '../errors';
import { resolveLocale } from '../i18n';
import type { Logger } from '../logger';

/** Wraps an async route so its errors reach the error handler. */
export function asyncRoute(fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    fn(req, res, next).catch(next);
  };
}

/** The express error handler: SuiteErrors keep their code and status; anything else is a 500 without details. */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const locale = resolveLocale(req.headers['accept-language'] as string | undefined);
    if (err instanceof SuiteError) {
      res.status(err.status).json(err.toJSON(locale));
      return;
    }
    if ((err as { type?: string }).type === 'entity.parse.failed') {
      const e = new SuiteError('SUITE_VALIDATION_FAILED', { fields: 'body' }, [{ field: 'body', message: 'the body is not valid JSON' }]);
      res.status(400).json(e.toJSON(locale));
      return;
    }
    log.error({ code: (err as Error).name, path: req.path, frames: (err as Error).stack?.split('\n').slice(1, 5).map((l) => l.trim()).join(' | ') }, 'unhandled error');
    res.status(500).json(new SuiteError('SUITE_INTERNAL').toJSON(locale));
  };
}
