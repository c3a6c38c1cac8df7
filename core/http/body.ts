/**
 * Request bodies at the edge: JSON in UTF-8 only (415 otherwise) and only well-formed text (a lone UTF-16 surrogate
 * is a 400 naming the field: the databases store it replaced, so what a hash chain hashed would not be what it keeps).
 * body-parser's own refusals (encoding, size, too many form fields) are answered by `errorAnswer` in respond.ts.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { fieldIssue, SuiteError, validationError } from '../errors';

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** 415 SUITE_BODY_CHARSET_UNSUPPORTED when a Content-Type names a charset other than UTF-8 (none means UTF-8). */
export function assertUtf8(contentType: string | undefined): void {
  const charset = CHARSET.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new SuiteError('SUITE_BODY_CHARSET_UNSUPPORTED', { charset: charset.slice(0, 40) });
}

/** The path ("vars.params.tld", "items.0") of the first string, or object key, holding a lone UTF-16 surrogate. */
export function illFormedPath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path || '(root)' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (LONE_SURROGATE.test(k)) return at.replace(/[\uD800-\uDFFF]/gu, '\uFFFD');
    const bad = illFormedPath(v, at);
    if (bad) return bad;
  }
  return undefined;
}

/** 400 naming the field when a parsed JSON body holds ill-formed text anywhere (see `illFormedPath`). */
export function assertWellFormed(value: unknown): void {
  const bad = illFormedPath(value);
  if (bad) throw validationError([fieldIssue(bad, 'validation.input.illFormedText')]);
}

/** express.json with the edge's checks: UTF-8 only, well-formed text only. */
export function jsonBody(opts: { limit?: string | number } = {}): RequestHandler {
  const parse = express.json(opts.limit === undefined ? {} : { limit: opts.limit });
  return (req: Request, res: Response, next: NextFunction): void => {
    try {
      if (req.is('application/json')) assertUtf8(req.get('content-type'));
    } catch (err) {
      return next(err);
    }
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      try {
        assertWellFormed(req.body);
      } catch (e) {
        return next(e);
      }
      next();
    });
  };
}
