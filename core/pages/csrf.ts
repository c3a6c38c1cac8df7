/**
 * CSRF protection for page forms, a signed double submit: a random seed in a SameSite=Strict, HttpOnly cookie, and in
 * the form (`{{csrfField}}`, field `_csrf`) the keyring's HMAC (`csrf` purpose, derived from the master key) of that
 * seed and the session id when there is one. A state-changing request without the matching token is refused with
 * 403 SUITE_CSRF_INVALID before its handler runs, so nothing is written.
 */
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { SuiteError } from '../errors';
import { t } from '../i18n';
import type { Kernel } from '../kernel';
import { pageLocale } from './locale';
import { sendPage } from './renderer';

/** The cookie holding the seed and the form field (or X-CSRF-Token header) holding the token. */
export const CSRF_COOKIE = 'suite_csrf';
export const CSRF_FIELD = '_csrf';
const SEED = /^[A-Za-z0-9_-]{43}$/;
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Binds the request's CSRF tokens to a session (called by a session middleware that runs before the page route). */
export function bindCsrfSession(res: Response, sessionId: string): void {
  res.locals.csrfSessionId = sessionId;
}

function seedOf(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === CSRF_COOKIE) {
      const v = part.slice(eq + 1).trim();
      return SEED.test(v) ? v : undefined;
    }
  }
  return undefined;
}

function sessionOf(res: Response, sessionId?: string): string {
  const bound: unknown = res.locals.csrfSessionId;
  return sessionId ?? (typeof bound === 'string' ? bound : '');
}

const mac = (kernel: Kernel, seed: string, session: string): string => kernel.keyring.sign(`${seed}|${session}`, 'csrf');

/** The token for this request's forms (sets the seed cookie when the browser has none); bound to `sessionId` if given. */
export function csrfToken(kernel: Kernel, req: Request, res: Response, sessionId?: string): string {
  let seed = seedOf(req) ?? (res.locals.csrfSeed as string | undefined);
  if (!seed) {
    seed = crypto.randomBytes(32).toString('base64url');
    res.locals.csrfSeed = seed;
    res.cookie(CSRF_COOKIE, seed, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
  }
  return mac(kernel, seed, sessionOf(res, sessionId));
}

/** Whether `token` is the right one for this request's cookie and session. */
export function csrfValid(kernel: Kernel, req: Request, res: Response, token: unknown, sessionId?: string): boolean {
  const seed = seedOf(req);
  if (!seed || typeof token !== 'string' || token.length > 128) return false;
  const want = Buffer.from(mac(kernel, seed, sessionOf(res, sessionId)));
  const got = Buffer.from(token);
  return got.length === want.length && crypto.timingSafeEqual(got, want);
}

/**
 * Middleware for form routes (after the body parser): a POST/PUT/PATCH/DELETE passes only with the token in the
 * `_csrf` field or the X-CSRF-Token header; otherwise 403 SUITE_CSRF_INVALID — as a page for a browser (it asks for
 * HTML), else as the coded JSON error.
 */
export function requireCsrf(kernel: Kernel) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (SAFE.has(req.method)) return next();
    const field: unknown = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD] ?? req.get('x-csrf-token');
    if (csrfValid(kernel, req, res, field)) return next();
    if (req.accepts(['json', 'html']) !== 'html') return next(new SuiteError('SUITE_CSRF_INVALID'));
    const locale = pageLocale(req, 'en');
    sendPage(req, res, 403, {
      page: 'common/message', locale,
      view: { title: t(locale, 'pages.csrf.title'), message: t(locale, 'errors.SUITE_CSRF_INVALID'), code: 'SUITE_CSRF_INVALID' },
    });
  };
}
