/**
 * The admin panel's entry: `GET /admin` (log-in page, or the dashboard once logged in), `POST /admin/login` and
 * `POST /admin/logout`. Log-in is limited per IP (counted in the database) and per account (lockout, AdminUsers);
 * every log-in, failure and log-out is audited; a failed log-in never sets the session cookie.
 */
import express, { type Request, type Response, type Router } from 'express';
import { SuiteError } from '../errors';
import type { Kernel } from '../kernel';
import { csrfToken, pageLocale, requireCsrf, sendPage } from '../pages';
import { AdminSessions } from '../users/admin-sessions';
import { AdminUsers, LoginInput } from '../users/admin-users';
import { t } from '../i18n';
import { asyncRoute } from './respond';
import { adminPanelModulesRouter } from './admin-panel-modules';
import { adminPanelBrandsRouter } from './admin-panel-brands';
import { adminPanelLogsRouter } from './admin-panel-logs';
import { adminBrandGate, adminErrorPage, sendAdminPage } from './admin-kit';
import { buildDashboard } from './admin-dashboard';
import { ipKey, rateLimit } from './rate-limit';
import { adminSession, clearSessionCookie, requireAdminSession, sessionUser, setSessionCookie, type AdminSessionLocals } from './admin-session';

/** Log-in attempts per IP (every instance together) before 429; the per-account lockout is AdminUsers'. */
export const LOGIN_LIMIT = { max: 30, windowMs: 15 * 60_000 };

/** Builds the /admin routes (their own users and sessions services over the kernel's database). */
export function adminPagesRouter(kernel: Kernel): Router {
  const users = new AdminUsers(kernel);
  const sessions = new AdminSessions(kernel.db);
  const r = express.Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });
  const loginLimit = rateLimit(kernel, { name: 'admin-login', ...LOGIN_LIMIT, key: (req) => ipKey(req) });

  r.use('/admin', adminSession(users, sessions));

  function loginPage(req: Request, res: Response, status: number, notice?: { key: string; params?: Record<string, string | number>; error: boolean }): void {
    const locale = pageLocale(req, 'en');
    sendPage(req, res, status, {
      page: 'admin/login', locale, csrfToken: csrfToken(kernel, req, res),
      view: { title: t(locale, 'admin.login.title'), notice: notice ? t(locale, notice.key, notice.params) : null, error: notice?.error ?? false },
    });
  }

  r.get('/admin', asyncRoute(async (req, res) => {
    const user = sessionUser(req);
    if (!user) return loginPage(req, res, 200);
    const locale = pageLocale(req, 'en');
    const brands = (await kernel.brands.list()).filter((b) => !user.brandIds || user.brandIds.includes(b.id))
      .map((b) => ({ slug: b.slug, name: b.name, href: `/admin/brands/${encodeURIComponent(b.slug)}/modules` }));
    const panels = await buildDashboard(kernel, user.brandIds, locale);
    await sendAdminPage(kernel, req, res, 200, { page: 'admin/dashboard', title: t(locale, 'admin.dashboard.title'), view: { brands, allBrands: !user.brandIds, panels } });
  }));

  r.post('/admin/login', loginLimit, form, requireCsrf(kernel), asyncRoute(async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input = LoginInput.safeParse({ email: body.email ?? '', password: body.password ?? '', code: typeof body.code === 'string' && body.code ? body.code : undefined });
    let principal;
    try {
      principal = await users.authenticate(input.success ? input.data : { email: '', password: '' }, req.ip);
    } catch (err) {
      if (!(err instanceof SuiteError)) throw err;
      if (err.code === 'SUITE_RATE_LIMITED') return loginPage(req, res, 429, { key: 'admin.login.locked', params: err.params, error: true });
      return loginPage(req, res, 401, { key: 'admin.login.failed', error: true });
    }
    // A new token on every log-in: a session id planted before log-in is never the one that carries it.
    const previous = (res.locals.adminSession as AdminSessionLocals | undefined)?.token;
    setSessionCookie(req, res, await sessions.open(principal.userId, previous));
    res.redirect(303, '/admin');
  }));

  r.post('/admin/logout', form, requireCsrf(kernel), asyncRoute(async (req, res) => {
    const current = res.locals.adminSession as AdminSessionLocals | undefined;
    const user = sessionUser(req);
    if (current) await sessions.close(current.token);
    if (user) {
      await kernel.audit.record({ brandId: user.brandIds?.[0] ?? null, actor: { type: 'user', id: String(user.userId) }, action: 'user.logout', targetType: 'admin-user', targetId: user.userId, ip: req.ip });
    }
    clearSessionCookie(req, res);
    loginPage(req, res, 200, { key: 'admin.login.loggedOut', error: false });
  }));

  // The per-IP limit answers with the log-in page, not the API's JSON.
  r.use('/admin/login', (err: unknown, req: Request, res: Response, next: (err?: unknown) => void) => {
    if (err instanceof SuiteError && err.code === 'SUITE_RATE_LIMITED') loginPage(req, res, 429, { key: 'admin.login.locked', params: err.params, error: true });
    else next(err);
  });

  r.use(adminPanelModulesRouter(kernel));
  r.use(adminPanelBrandsRouter(kernel));
  r.use(adminPanelLogsRouter(kernel));

  // Each module's pages, under its brand's section: session, brand (403 audited), module on for the brand.
  for (const m of kernel.modules.list()) {
    if (!m.routes?.pages) continue;
    const pages = express.Router({ mergeParams: true });
    m.routes.pages(pages, kernel);
    r.use(`/admin/brands/:brand/${m.name}`, requireAdminSession(), adminBrandGate(kernel, m.name), pages);
  }

  r.use('/admin', adminErrorPage(kernel));

  return r;
}
