/**
 * GET/POST /rdap/contact/:domain at the site root: the form behind RDAP's and WHOIS's `contact-uri` for a redacted
 * email (WSM-16a, WSM-17). The domain decides the brand (look, language, limits). POST carries a CSRF token, is limited
 * per sender and per domain, validates (errors next to the fields, nothing written) and answers the same neutral page
 * whether the domain is held here, unknown, or has nobody to write to — no address is ever shown.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { SuiteError } from '../../../core/errors';
import { ipKey, rateLimit } from '../../../core/http/rate-limit';
import { asyncRoute } from '../../../core/http/respond';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { csrfToken, pageBasics, pageLocale, requireCsrf, sendPage } from '../../../core/pages';
import type { Branding } from '../../../core/profile/schema';
import { ldhName } from '../rdap-routes';
import { findRegistration } from '../registration-view';
import { contactLimits, DEFAULT_RDAP_SETTINGS, targetOf } from './contact-limits';
import { CONTACT_ROLES, contactForm, contactFormPath, type ContactRole } from './contact-form';
import { relayMessage, type ContactTarget } from './relay';

const PAGE = 'client/rdap-contact';
// 128 kB holds the longest message the settings allow (20,000 characters) form-encoded at up to 6 bytes a character.
const form = express.urlencoded({ extended: false, limit: '128kb', parameterLimit: 20 });

type Values = { name: string; email: string; role: string; message: string };

/** Resolves the URL's domain: its LDH name and the brand answering it; undefined when it is not a domain name. */
async function resolveTarget(kernel: Kernel, req: Request): Promise<ContactTarget | undefined> {
  const domain = ldhName(String(req.params.domain));
  if (!domain) return undefined;
  const found = await findRegistration(kernel, domain);
  return found ? { domain, brand: found.brand, settings: found.settings } : { domain, settings: DEFAULT_RDAP_SETTINGS };
}

async function basicsOf(kernel: Kernel, req: Request, target: ContactTarget | undefined): Promise<{ locale: string; branding?: Branding }> {
  return target?.brand ? pageBasics(kernel, req, target.brand) : { locale: pageLocale(req, 'en') };
}

function roleOf(v: unknown): ContactRole {
  return CONTACT_ROLES.includes(v as ContactRole) ? (v as ContactRole) : 'registrant';
}

function showForm(kernel: Kernel, req: Request, res: Response, status: number, p: { locale: string; branding?: Branding; target: ContactTarget; values: Values; errors?: Record<string, string> }): void {
  const { locale, target } = p;
  sendPage(req, res, status, {
    page: PAGE, locale, branding: p.branding, csrfToken: csrfToken(kernel, req, res),
    view: {
      title: t(locale, 'rdap.contact.title', { domain: target.domain }), domain: target.domain, showForm: true, action: contactFormPath(target.domain),
      values: p.values, errors: p.errors ?? {}, messageMax: target.settings.contactForm.messageMax,
      roles: CONTACT_ROLES.map((r) => ({ value: r, label: t(locale, `rdap.contact.role.${r}`), checked: r === roleOf(p.values.role) })),
    },
  });
}

function showMessage(req: Request, res: Response, status: number, p: { locale: string; branding?: Branding }, titleKey: string, messageKey: string, params: Record<string, string | number> = {}, done = false): void {
  sendPage(req, res, status, { page: PAGE, locale: p.locale, branding: p.branding, view: { title: t(p.locale, titleKey, params), message: t(p.locale, messageKey, params), done, showForm: false } });
}

/** A limit error as a page for a browser (Retry-After is already set); anything else to the error handler. */
function limitPage(kernel: Kernel) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (!(err instanceof SuiteError) || err.code !== 'SUITE_RATE_LIMITED' || req.accepts(['json', 'html']) !== 'html') return next(err);
    void basicsOf(kernel, req, targetOf(res)).then((p) => showMessage(req, res, 429, p, 'rdap.contact.limitedTitle', 'rdap.contact.limited', { seconds: Number(err.params.seconds ?? 60) }), next);
  };
}

/** Mounts the form on the root router (before the RDAP routes' catch-all for /rdap/*). */
export function contactRoutes(r: Router, kernel: Kernel): void {
  const pageLimit = rateLimit(kernel, { name: 'rdap-contact-page', max: 60, windowMs: 60_000, key: (req) => ipKey(req) });
  const path = '/rdap/contact/:domain';

  r.get(path, pageLimit, asyncRoute(async (req, res) => {
    const target = await resolveTarget(kernel, req);
    const p = await basicsOf(kernel, req, target);
    if (!target) return showMessage(req, res, 404, p, 'rdap.contact.badDomainTitle', 'rdap.contact.badDomain');
    showForm(kernel, req, res, 200, { ...p, target, values: { name: '', email: '', role: roleOf(req.query.role), message: '' } });
  }), limitPage(kernel));

  r.post(path, form, requireCsrf(kernel), asyncRoute(async (req, res, next) => {
    res.locals.contactTarget = await resolveTarget(kernel, req);
    next();
  }), contactLimits(kernel), asyncRoute(async (req, res) => {
    const target = targetOf(res);
    const p = await basicsOf(kernel, req, target);
    if (!target) return showMessage(req, res, 404, p, 'rdap.contact.badDomainTitle', 'rdap.contact.badDomain');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const max = target.settings.contactForm.messageMax;
    const input = contactForm(max).safeParse(body);
    if (!input.success) {
      const errors: Record<string, string> = {};
      for (const i of input.error.issues) {
        const field = String(i.path[0] ?? 'message');
        errors[field] ??= t(p.locale, /^rdap\.contact\.error\.\w+$/.test(i.message) ? i.message : `rdap.contact.error.${field}`, { maximum: field === 'name' ? 100 : max });
      }
      const text = (k: string, n: number) => (typeof body[k] === 'string' ? String(body[k]).slice(0, n) : '');
      return showForm(kernel, req, res, 400, { ...p, target, values: { name: text('name', 100), email: text('email', 254), role: text('role', 20), message: text('message', max) }, errors });
    }
    await relayMessage(kernel, target, input.data, req.ip);
    showMessage(req, res, 200, p, 'rdap.contact.sentTitle', 'rdap.contact.sent', { domain: target.domain }, true);
  }), limitPage(kernel));
}
