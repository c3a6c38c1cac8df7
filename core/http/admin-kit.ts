/**
 * The admin panel's page kit (docs/pages.md, "Admin pages"): what every panel page shares, in core and in modules.
 * `sendAdminPage` renders into the admin layout with the navigation (global sections, and the brand's sections when
 * the page is a brand's); `adminBrandGate` resolves `:brand` and refuses another brand's page with an audited 403;
 * `viewPersonalData` applies the profile's access table to a page that shows personal data (ESM-3) and audits the
 * view with its categories; `adminErrorPage` turns a thrown SuiteError into a page in the reader's language.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { SuiteError, errorStatus, type FieldIssue } from '../errors';
import type { Kernel } from '../kernel';
import { assertBrandAccess, assertCanWrite } from '../apikeys/api-keys';
import { WRITE_ROLES } from '../apikeys/roles';
import type { Brand } from '../brands/brand';
import type { DataCategory } from '../profile/schema';
export type { AdminNavEntry, DashboardPanel } from '../modules/define-module';
import { categoriesFor } from '../subjects/access';
import { t } from '../i18n';
import { csrfToken, pageLocale, sendPage } from '../pages';
import type { UserPrincipal } from '../users/principal';
import { actorOf } from './admin-auth';
import { requireAdminUser, sessionUser } from './admin-session';

/** One link of the panel's navigation. */
export interface NavLink { href: string; label: string; current: boolean }

/** The global sections, in order (label keys under admin.nav). */
const GLOBAL_NAV: readonly { href: string; key: string }[] = [
  { href: '/admin', key: 'admin.nav.dashboard' },
  { href: '/admin/brands', key: 'admin.nav.brands' },
  { href: '/admin/audit', key: 'admin.nav.audit' },
  { href: '/admin/outbox', key: 'admin.nav.outbox' },
  { href: '/admin/alerts', key: 'admin.nav.alerts' },
];

/** The form parser for panel forms (url-encoded, small). Put `requireCsrf(kernel)` after it. */
export function adminForm(opts: { limit?: string; fields?: number } = {}): RequestHandler {
  return express.urlencoded({ extended: false, limit: opts.limit ?? '64kb', parameterLimit: opts.fields ?? 50 });
}

/** The brand's sections: modules and profile (core), then each module's entries where the module is on for the brand. */
export async function brandNav(kernel: Kernel, brand: Brand, locale: string, currentPath: string): Promise<NavLink[]> {
  const base = `/admin/brands/${encodeURIComponent(brand.slug)}`;
  const links: { href: string; label: string }[] = [
    { href: `${base}/modules`, label: t(locale, 'admin.nav.modules') },
    { href: `${base}/profile`, label: t(locale, 'admin.nav.profile') },
  ];
  for (const m of kernel.modules.list()) {
    if (!m.adminNav?.length || !(await kernel.modules.enabledFor(kernel.brands, brand, m.name))) continue;
    for (const e of m.adminNav) links.push({ href: `${base}/${m.name}/${e.path}`, label: t(locale, e.label) });
  }
  return links.map((l) => ({ ...l, current: currentPath === l.href || currentPath.startsWith(`${l.href}/`) }));
}

/** What an admin page is given besides its own view. */
export interface AdminPageOptions {
  /** Template under templates/ (e.g. 'admin/audit', 'rights/admin-queue' lives at templates/rights/admin-queue.hbs). */
  page: string;
  title: string;
  view?: Record<string, unknown>;
  /** The brand the page belongs to: the brand navigation is shown. */
  brand?: Brand;
}

/**
 * Renders a panel page into the admin layout: `title`, `email`, `role`, `canWrite`, `nav` (global sections),
 * `brandNav` and `brandName` (when `brand`), a CSRF token for its forms, and the page's own `view`.
 */
export async function sendAdminPage(kernel: Kernel, req: Request, res: Response, status: number, opts: AdminPageOptions): Promise<void> {
  const user = requireAdminUser(req);
  const locale = pageLocale(req, 'en');
  const path = req.baseUrl + req.path;
  const nav = GLOBAL_NAV.map((n) => ({ href: n.href, label: t(locale, n.key), current: path === n.href || (n.href !== '/admin' && path.startsWith(`${n.href}/`)) }));
  sendPage(req, res, status, {
    page: opts.page, locale, layout: 'admin', csrfToken: csrfToken(kernel, req, res),
    view: {
      ...opts.view, title: opts.title, email: user.email, role: user.role, canWrite: WRITE_ROLES.includes(user.role), nav,
      ...(opts.brand ? { brandName: opts.brand.name, brandSlug: opts.brand.slug, brandNav: await brandNav(kernel, opts.brand, locale, path) } : {}),
    },
  });
}

/** Audits an attempt on another brand's page (`admin.brand.forbidden`: the target brand, who, which page). */
async function auditForbidden(kernel: Kernel, req: Request, brand: Brand): Promise<void> {
  await kernel.audit.record({
    brandId: brand.id, actor: actorOf(req), action: 'admin.brand.forbidden', targetType: 'brand', targetId: brand.slug,
    ip: req.ip, details: { method: req.method, page: (req.baseUrl + req.path).slice(0, 200) },
  });
}

/** The brand of `:brand` for the user; another brand is SUITE_BRAND_FORBIDDEN (403), audited. */
export async function adminBrand(kernel: Kernel, req: Request, user: UserPrincipal = requireAdminUser(req)): Promise<Brand> {
  const brand = await kernel.brands.get(req.params.brand);
  try {
    assertBrandAccess(user, brand.id);
  } catch (err) {
    await auditForbidden(kernel, req, brand);
    throw err;
  }
  return brand;
}

/**
 * Middleware for a module's pages under /admin/brands/:brand/<module>/: the brand (403 audited for another brand's),
 * and 404 where the module is off for it. Sets `req.brand`.
 */
export function adminBrandGate(kernel: Kernel, module?: string) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    (async () => {
      const brand = await adminBrand(kernel, req);
      if (module && !(await kernel.modules.enabledFor(kernel.brands, brand, module))) throw new SuiteError('SUITE_MODULE_DISABLED', { module, brand: brand.slug });
      req.brand = brand;
    })().then(() => next(), next);
  };
}

/** Refuses a change by a read-only role (SUITE_ROLE_FORBIDDEN, 403). */
export function assertAdminCanWrite(req: Request): void {
  assertCanWrite(requireAdminUser(req));
}

/** What a page may show of personal data: the categories granted to the user's role, and those withheld. */
export interface PersonalView { shown: DataCategory[]; withheld: DataCategory[]; may: (c: DataCategory) => boolean }

/**
 * ESM-3 on pages: which of `categories` the user's role may see under the brand's access table (the owner is held to
 * it too), with one `admin.view` audit entry naming the page, the target and the categories shown and withheld. Call
 * it before reading the data and read only what `may` allows; with `required`, a page that would show nothing the
 * role may see is refused (SUITE_ROLE_FORBIDDEN), audited all the same.
 */
export async function viewPersonalData(
  kernel: Kernel, req: Request,
  opts: { brand: Brand; categories: DataCategory[]; targetType: string; targetId: string | number; page: string; required?: boolean },
): Promise<PersonalView> {
  const user = requireAdminUser(req);
  const granted = new Set(categoriesFor(await kernel.brands.profile(opts.brand), user.role));
  const wanted = [...new Set(opts.categories)];
  const shown = wanted.filter((c) => granted.has(c));
  const withheld = wanted.filter((c) => !granted.has(c));
  await kernel.audit.record({
    brandId: opts.brand.id, actor: actorOf(req), action: 'admin.view', targetType: opts.targetType, targetId: String(opts.targetId),
    ip: req.ip, details: { page: opts.page, role: user.role, categories: shown, withheld },
  });
  if (opts.required && shown.length === 0 && wanted.length > 0) throw new SuiteError('SUITE_ROLE_FORBIDDEN', { role: user.role });
  return { shown, withheld, may: (c) => granted.has(c) };
}

/** Field problems of a thrown validation error, in the reader's language: `[{ field, message }]` (empty for other errors). */
export function formErrors(err: unknown, locale: string): { field: string; message: string }[] {
  if (!(err instanceof SuiteError) || !err.fields) return [];
  return err.fields.map((f: FieldIssue) => ({ field: f.field, message: f.key ? t(locale, f.key, f.params ?? {}) : f.message }));
}

/** The flash a redirect carries (`?flash=<key>&item=…`): shown only for a key the page knows and a short item. */
export function flashMessage(req: Request, locale: string, keys: Record<string, string>): string | null {
  const q = z.object({ flash: z.string().max(60), item: z.string().max(100).optional() }).safeParse(req.query);
  if (!q.success || !Object.hasOwn(keys, q.data.flash)) return null;
  return t(locale, keys[q.data.flash], { item: q.data.item ?? '' });
}

/** A refusal or failure as a page with the navigation (the status of the error's code). */
export async function sendAdminError(kernel: Kernel, req: Request, res: Response, err: SuiteError): Promise<void> {
  const locale = pageLocale(req, 'en');
  const key = ({ SUITE_BRAND_FORBIDDEN: 'admin.panel.brandForbidden', SUITE_ROLE_FORBIDDEN: 'admin.panel.readOnly' } as Record<string, string>)[err.code];
  const message = key ? t(locale, key) : t(locale, `errors.${err.code}`, err.params);
  const fields = formErrors(err, locale);
  if (!sessionUser(req)) {
    sendPage(req, res, errorStatus(err.code), { page: 'common/message', locale, view: { title: t(locale, 'admin.panel.refusedTitle'), message, code: err.code } });
    return;
  }
  await sendAdminPage(kernel, req, res, errorStatus(err.code), {
    page: 'common/message', title: t(locale, err.status === 403 ? 'admin.panel.refusedTitle' : 'admin.panel.errorTitle'),
    view: { message, code: err.code, fields },
  });
}

/**
 * The panel's error handler: a SuiteError thrown by a page route becomes a page (a JSON client still gets JSON);
 * anything else goes on to the app's handler (a logged 500 without details).
 */
export function adminErrorPage(kernel: Kernel) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (!(err instanceof SuiteError) || res.headersSent || !req.accepts(['html', 'json']) || req.accepts(['html', 'json']) === 'json' && !req.accepts('html')) return next(err);
    sendAdminError(kernel, req, res, err).catch(next);
  };
}
