/**
 * What every privacy center page shares, here and in other modules' center pages (through consent's public.ts): the
 * brand (consent on for it), the person's session bound to the page's CSRF tokens, and the page shell — message pages,
 * errors as pages naming the invalid fields, and the redirect to the log-in when there is no session.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError, errorStatus } from '../../../core/errors';
import { readCookie } from '../../../core/http/admin-session';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { bindCsrfSession, pageBasics, sendPage } from '../../../core/pages';
import { resolveCenterSession, type CenterMethod } from './center-sessions';

/** The session cookie (HttpOnly, SameSite=Lax, Path=/b/<brand>/privacy). */
export const CENTER_COOKIE = 'suite_privacy';

/** The center's path for a brand. */
export const centerPath = (brand: Pick<Brand, 'slug'>): string => `/b/${brand.slug}/privacy`;

/** A person in their privacy center: the brand, the inventory subject, and how they proved who they are. */
export interface CenterVisit { brand: Brand; subjectId: number; sessionId: string; method: CenterMethod }

/** The brand of the URL; 404 when unknown, SUITE_MODULE_DISABLED when consent is off for it. */
export async function centerBrand(kernel: Kernel, req: Request): Promise<Brand> {
  const brand = await kernel.brands.get(String(req.params.brand));
  if (!(await kernel.modules.enabledFor(kernel.brands, brand, 'consent'))) throw new SuiteError('SUITE_MODULE_DISABLED', { module: 'consent', brand: brand.slug });
  return brand;
}

/**
 * The live session of this request for `brand`, or null (none, ended, another brand's, or the person was erased);
 * binds the response's CSRF tokens to it.
 */
export async function centerSession(kernel: Kernel, req: Request, res: Response, brand: Brand): Promise<CenterVisit | null> {
  const s = await resolveCenterSession(kernel.db, brand.id, readCookie(req, CENTER_COOKIE));
  if (!s) return null;
  const subject = await kernel.subjects.get(s.subjectId).catch(() => undefined);
  if (!subject || subject.brandId !== brand.id || subject.status === 'erased') return null;
  bindCsrfSession(res, s.idHash);
  return { brand, subjectId: s.subjectId, sessionId: s.idHash, method: s.method };
}

/** An explanation page in the reader's language (`consent.privacyCenter.<key>.title/message`). */
export async function centerMessage(kernel: Kernel, req: Request, res: Response, brand: Brand, status: number, key: string): Promise<void> {
  const { locale, branding } = await pageBasics(kernel, req, brand);
  // Signed out or refused: the way back in is the log-in page (the client area's link, or a code by email).
  sendPage(req, res, status, {
    page: 'client/privacy-message', locale, branding,
    view: { title: t(locale, `consent.privacyCenter.${key}.title`), message: t(locale, `consent.privacyCenter.${key}.message`), link: { href: `${centerPath(brand)}/login`, text: t(locale, 'consent.privacyCenter.login.title') } },
  });
}

/** A refusal or failure as a branded page with its status and the invalid fields listed. */
export async function centerError(kernel: Kernel, req: Request, res: Response, brand: Brand | undefined, err: SuiteError): Promise<void> {
  const { locale, branding } = brand ? await pageBasics(kernel, req, brand) : { locale: 'en', branding: undefined };
  const fields = (err.fields ?? []).map((f) => ({ field: f.field, message: f.key ? t(locale, f.key, f.params ?? {}) : f.message }));
  sendPage(req, res, errorStatus(err.code), {
    page: 'client/privacy-message', locale, branding,
    view: {
      title: t(locale, 'consent.privacyCenter.error.title'), message: t(locale, `errors.${err.code}`, err.params ?? {}), fields,
      link: brand ? { href: centerPath(brand), text: t(locale, 'consent.privacyCenter.backToCenter') } : undefined,
    },
  });
}

type Handler = (req: Request, res: Response, next: NextFunction) => Promise<void>;

/** An async page handler whose SuiteErrors become branded pages (anything else goes on to the app's error handler). */
export function centerRoute(kernel: Kernel, fn: Handler) {
  return (req: Request, res: Response, next: NextFunction): void => {
    fn(req, res, next).catch(async (err: unknown) => {
      if (!(err instanceof SuiteError) || res.headersSent) return next(err);
      const brand = await kernel.brands.get(String(req.params.brand)).catch(() => undefined);
      await centerError(kernel, req, res, brand, err).catch(next);
    });
  };
}

/**
 * Middleware for the center's form posts, before the CSRF check (so the form's token is bound to the session): puts
 * the visit in `res.locals.centerVisit`, or answers 401 with how to sign in.
 */
export function withCenterSession(kernel: Kernel) {
  return centerRoute(kernel, async (req, res, next) => {
    const brand = await centerBrand(kernel, req);
    const visit = await centerSession(kernel, req, res, brand);
    if (!visit) return centerMessage(kernel, req, res, brand, 401, 'no-session');
    res.locals.centerVisit = visit;
    next();
  });
}

/** The visit `withCenterSession` found. */
export const visitOf = (res: Response): CenterVisit => res.locals.centerVisit as CenterVisit;
