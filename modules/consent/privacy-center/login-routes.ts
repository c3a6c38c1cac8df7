/**
 * The privacy center's log-in without the panel: `GET/POST /b/:brand/privacy/login` asks for an email address and
 * always answers the same (a code goes only to a person of this brand with that address, to the address on record);
 * `GET/POST /b/:brand/privacy/login/code` takes the code and opens the same session as the signed link. Both forms
 * are rate-limited per IP and brand and carry a CSRF token; the browser's ticket for the code is an HttpOnly cookie.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Brand } from '../../../core/brands/brand';
import { fieldIssue, validationError } from '../../../core/errors';
import { ipKey, rateLimit } from '../../../core/http/rate-limit';
import { readCookie } from '../../../core/http/admin-session';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { csrfToken, pageBasics, requireCsrf, sendPage } from '../../../core/pages';
import { accessWatch } from '../../../core/security/access-watch';
import { CENTER_COOKIE, centerBrand, centerPath, centerRoute, centerSession } from './center-access';
import { CODE_MAX_ATTEMPTS, CODE_TTL_MS, redeemCenterCode, requestCenterCode } from './center-codes';

/** The cookie holding the browser's ticket between the two forms. */
export const LOGIN_COOKIE = 'suite_privacy_login';
/** Per IP and brand: code requests and code tries. */
export const LOGIN_LIMITS = { request: { max: 10, windowMs: 15 * 60_000 }, code: { max: 20, windowMs: 15 * 60_000 } } as const;

export const LoginForm = z.object({ email: z.string().trim().email('validation.format.email').max(254) });
export const CodeForm = z.object({ code: z.string().trim().max(32).transform((c) => c.replace(/[\s-]/g, '')).pipe(z.string().regex(/^\d{8}$/, 'validation.consent.centerCode')) });

const form = express.urlencoded({ extended: false, limit: '2kb' });

/** Whether the brand registered a mail relay for service messages (else no code can be sent, to anyone). */
function canEmail(profile: PrivacyProfile): boolean {
  const r = profile.recipients.find((x) => x.code === 'email');
  return Boolean(r?.purposes.includes('service') && profile.purposes.some((p) => p.code === 'service'));
}

async function showLogin(kernel: Kernel, req: Request, res: Response, brand: Brand, status: number, extra: { email?: string; errors?: { field: string; message: string }[] } = {}): Promise<void> {
  const { locale, branding } = await pageBasics(kernel, req, brand);
  const profile = await kernel.brands.profile(brand);
  sendPage(req, res, status, {
    page: 'client/privacy-login', locale, branding, csrfToken: csrfToken(kernel, req, res),
    view: { title: t(locale, 'consent.privacyCenter.login.title'), base: centerPath(brand), emailLogin: canEmail(profile), email: extra.email ?? '', errors: extra.errors ?? [] },
  });
}

async function showCode(kernel: Kernel, req: Request, res: Response, brand: Brand, status: number, failed = false): Promise<void> {
  const { locale, branding } = await pageBasics(kernel, req, brand);
  sendPage(req, res, status, {
    page: 'client/privacy-code', locale, branding, csrfToken: csrfToken(kernel, req, res),
    view: { title: t(locale, 'consent.privacyCenter.code.title'), base: centerPath(brand), minutes: CODE_TTL_MS / 60_000, tries: CODE_MAX_ATTEMPTS, failed },
  });
}

/** Mounts the log-in pages on the root router. */
export function centerLoginRoutes(r: Router, kernel: Kernel): void {
  // Root routes have no brand gate: the brand is the URL's (an unknown one answers 404 before any work).
  const key = (req: Request) => `${ipKey(req)}|${String(req.params.brand).slice(0, 64)}`;
  const pageLimit = rateLimit(kernel, { name: 'privacy-login-page', max: 60, windowMs: 60_000 });
  const requestLimit = rateLimit(kernel, { name: 'privacy-login', ...LOGIN_LIMITS.request, key });
  const codeLimit = rateLimit(kernel, { name: 'privacy-login-code', ...LOGIN_LIMITS.code, key });

  r.get('/b/:brand/privacy/login', pageLimit, centerRoute(kernel, async (req, res) => {
    const brand = await centerBrand(kernel, req);
    if (await centerSession(kernel, req, res, brand)) return void res.redirect(303, centerPath(brand));
    await showLogin(kernel, req, res, brand, 200);
  }));

  r.post('/b/:brand/privacy/login', requestLimit, form, requireCsrf(kernel), centerRoute(kernel, async (req, res) => {
    const brand = await centerBrand(kernel, req);
    const { locale } = await pageBasics(kernel, req, brand);
    const input = LoginForm.safeParse(req.body);
    if (!input.success) {
      const email = typeof (req.body as Record<string, unknown>).email === 'string' ? String((req.body as Record<string, unknown>).email).slice(0, 254) : '';
      return showLogin(kernel, req, res, brand, 400, { email, errors: [{ field: 'email', message: t(locale, 'validation.format.email') }] });
    }
    const profile = await kernel.brands.profile(brand);
    if (!canEmail(profile)) throw validationError([fieldIssue('email', 'validation.consent.centerNoEmail')]);
    const ticket = await requestCenterCode(kernel, brand, profile, input.data.email, locale);
    res.cookie(LOGIN_COOKIE, ticket, { httpOnly: true, secure: req.secure, sameSite: 'lax', path: centerPath(brand), maxAge: CODE_TTL_MS });
    res.redirect(303, `${centerPath(brand)}/login/code`);
  }));

  r.get('/b/:brand/privacy/login/code', pageLimit, centerRoute(kernel, async (req, res) => {
    const brand = await centerBrand(kernel, req);
    if (!readCookie(req, LOGIN_COOKIE)) return void res.redirect(303, `${centerPath(brand)}/login`);
    await showCode(kernel, req, res, brand, 200);
  }));

  r.post('/b/:brand/privacy/login/code', codeLimit, form, requireCsrf(kernel), centerRoute(kernel, async (req, res) => {
    const brand = await centerBrand(kernel, req);
    const input = CodeForm.safeParse(req.body);
    const opened = input.success ? await redeemCenterCode(kernel, brand, readCookie(req, LOGIN_COOKIE), input.data.code) : null;
    if (!opened) {
      await accessWatch(kernel).failure({ source: 'login', ip: req.ip, brandId: brand.id, code: 'SUITE_LINK_INVALID', targetType: 'route', targetId: `${centerPath(brand)}/login/code`, actor: 'privacy-code' });
      return showCode(kernel, req, res, brand, 401, true);
    }
    res.clearCookie(LOGIN_COOKIE, { httpOnly: true, secure: req.secure, sameSite: 'lax', path: centerPath(brand) });
    res.cookie(CENTER_COOKIE, opened.token, { httpOnly: true, secure: req.secure, sameSite: 'lax', path: centerPath(brand) });
    res.redirect(303, centerPath(brand));
  }));
}
