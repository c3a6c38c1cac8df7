/**
 * Admin panel sessions over HTTP: the `suite_admin` cookie (HttpOnly, SameSite=Lax, Path=/admin, Secure on HTTPS or
 * behind a trusted proxy that says so) carries the session token; the middleware resolves it from the database (any
 * instance) and gives the route the user's principal, the same shape as an API key's, so the admin API's brand and
 * role checks apply unchanged.
 */
import type { NextFunction, Request, Response } from 'express';
import { SuiteError } from '../errors';
import { bindCsrfSession } from '../pages';
import type { AdminSessions } from '../users/admin-sessions';
import type { AdminUsers } from '../users/admin-users';
import { isUserPrincipal, type UserPrincipal } from '../users/principal';

/** The session cookie's name and path. */
export const ADMIN_COOKIE = 'suite_admin';
export const ADMIN_COOKIE_PATH = '/admin';

/** A cookie's value from the request's Cookie header. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Sets the session cookie (a browser-session cookie: the server ends it after idle or absolute expiry). */
export function setSessionCookie(req: Request, res: Response, token: string): void {
  res.cookie(ADMIN_COOKIE, token, { httpOnly: true, secure: req.secure, sameSite: 'lax', path: ADMIN_COOKIE_PATH });
}

/** Clears the session cookie. */
export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(ADMIN_COOKIE, { httpOnly: true, secure: req.secure, sameSite: 'lax', path: ADMIN_COOKIE_PATH });
}

/** What the session middleware leaves for the routes after it. */
export interface AdminSessionLocals { token: string; idHash: string }

/**
 * Middleware: when the cookie names a live session of an enabled user, sets `req.principal` (a `UserPrincipal`),
 * `res.locals.adminSession`, and binds the page's CSRF tokens to the session. Never refuses: see `requireAdminUser`.
 */
export function adminSession(users: AdminUsers, sessions: AdminSessions) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const token = readCookie(req, ADMIN_COOKIE);
    if (!token) return next();
    void (async () => {
      const s = await sessions.resolve(token);
      const principal = s ? await users.principalOf(s.userId) : null;
      if (s && principal) {
        req.principal = principal;
        res.locals.adminSession = { token, idHash: s.idHash } satisfies AdminSessionLocals;
        bindCsrfSession(res, s.idHash);
      }
    })().then(() => next(), next);
  };
}

/** The logged-in user's principal, or null (no session, or the principal is an API key's). */
export function sessionUser(req: Request): UserPrincipal | null {
  return req.principal && isUserPrincipal(req.principal) ? req.principal : null;
}

/**
 * Middleware for panel pages (after `adminSession`): without a logged-in user a GET goes to the log-in page
 * (303 to /admin), anything else is 401 SUITE_AUTH_REQUIRED.
 */
export function requireAdminSession() {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (sessionUser(req)) return next();
    if (req.method === 'GET' || req.method === 'HEAD') {
      res.redirect(303, ADMIN_COOKIE_PATH);
      return;
    }
    next(new SuiteError('SUITE_AUTH_REQUIRED'));
  };
}

/** The logged-in user's principal for a panel route; 401 SUITE_AUTH_REQUIRED without one. */
export function requireAdminUser(req: Request): UserPrincipal {
  const p = sessionUser(req);
  if (!p) throw new SuiteError('SUITE_AUTH_REQUIRED');
  return p;
}
