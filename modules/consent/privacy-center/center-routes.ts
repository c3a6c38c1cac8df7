/**
 * The customer's privacy center, `/b/:brand/privacy`: entry by the panel's signed single-sign-on link (sso-link.ts) into a
 * database session, the person's consents with their receipts, and marketing choices per channel through the consent
 * service. A session only ever serves the brand it was opened for.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError, validationError, zodIssues } from '../../../core/errors';
import { readCookie } from '../../../core/http/admin-session';
import { rateLimit } from '../../../core/http/rate-limit';
import { asyncRoute } from '../../../core/http/respond';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { createSignedLink } from '../../../core/links/signed-link';
import { bindCsrfSession, csrfToken, pageBasics, requireCsrf, sendPage } from '../../../core/pages';
import { accessWatch } from '../../../core/security/access-watch';
import type { ConsentService } from '../consent-service';
import { MarketingChannel } from '../marketing/channels';
import { RECEIPT_LINK_PURPOSE } from '../receipts/signed-receipt';
import { closeCenterSession, openCenterSession, resolveCenterSession, type CenterSession } from './center-sessions';
import { checkSso, ssoSignatureHash, SsoQuery, type SsoRefusal } from './sso-link';

/** The session cookie (HttpOnly, SameSite=Lax, Path=/b/<brand>/privacy). */
export const CENTER_COOKIE = 'suite_privacy';
const pathOf = (brand: Brand): string => `/b/${brand.slug}/privacy`;

/** A marketing choice posted from the center. */
export const MarketingChoice = z.object({ channel: MarketingChannel, choice: z.enum(['given', 'withdrawn']) });

const form = express.urlencoded({ extended: false, limit: '4kb' });

async function brandOf(kernel: Kernel, req: Request): Promise<Brand> {
  const brand = await kernel.brands.get(String(req.params.brand));
  if (!(await kernel.modules.enabledFor(kernel.brands, brand, 'consent'))) throw new SuiteError('SUITE_MODULE_DISABLED', { module: 'consent', brand: brand.slug });
  return brand;
}

async function sessionOf(kernel: Kernel, req: Request, res: Response, brand: Brand): Promise<CenterSession | null> {
  const s = await resolveCenterSession(kernel.db, brand.id, readCookie(req, CENTER_COOKIE));
  if (!s) return null;
  // An erased person's session shows nothing more (and a subject of another brand never matches).
  const subject = await kernel.subjects.get(s.subjectId).catch(() => undefined);
  if (!subject || subject.brandId !== brand.id || subject.status === 'erased') return null;
  bindCsrfSession(res, s.idHash);
  return s;
}

/** An explanation page (no session, or a refused link) in the reader's language. */
async function messagePage(kernel: Kernel, req: Request, res: Response, brand: Brand, status: number, key: string): Promise<void> {
  const { locale, branding } = await pageBasics(kernel, req, brand);
  sendPage(req, res, status, { page: 'client/privacy-message', locale, branding, view: { title: t(locale, `consent.privacyCenter.${key}.title`), message: t(locale, `consent.privacyCenter.${key}.message`) } });
}

/** Root routes: GET /b/:brand/privacy/sso, GET /b/:brand/privacy, POST /b/:brand/privacy/marketing and /logout. */
export function privacyCenterRoutes(r: Router, kernel: Kernel): void {
  const limit = rateLimit(kernel, { name: 'privacy-center', max: 60, windowMs: 60_000 });

  r.get('/b/:brand/privacy/sso', limit, asyncRoute(async (req, res) => {
    const brand = await brandOf(kernel, req);
    // A HEAD (a link checker's probe) must not spend the single-use link.
    if (req.method === 'HEAD') return void res.status(204).set('Cache-Control', 'no-store').end();
    const q = SsoQuery.safeParse(req.query);
    let refusal: SsoRefusal | null = q.success ? checkSso(q.data, brand.slug, await kernel.brands.hookSecrets(brand), Date.now()) : 'invalid';
    let token: string | null = null;
    if (q.success && !refusal) {
      const subject = await kernel.subjects.findByExternal(brand.id, 'client', q.data.client);
      if (!subject || subject.status === 'erased') refusal = 'invalid';
      else {
        token = await openCenterSession(kernel.db, brand.id, subject.id, ssoSignatureHash(q.data.sig), Number(q.data.exp) * 1000);
        if (!token) refusal = 'reused';
      }
    }
    if (refusal || !token) {
      const code = refusal === 'invalid' ? 'SUITE_LINK_INVALID' : `SUITE_LINK_${String(refusal).toUpperCase()}`;
      await accessWatch(kernel).failure({ source: 'signed-endpoint', ip: req.ip, brandId: brand.id, code, targetType: 'route', targetId: `${pathOf(brand)}/sso`, actor: 'privacy-sso' });
      return messagePage(kernel, req, res, brand, refusal === 'invalid' ? 401 : 410, `link-${refusal ?? 'invalid'}`);
    }
    res.cookie(CENTER_COOKIE, token, { httpOnly: true, secure: req.secure, sameSite: 'lax', path: pathOf(brand) });
    res.redirect(303, pathOf(brand));
  }));

  r.get('/b/:brand/privacy', limit, asyncRoute(async (req, res) => {
    const brand = await brandOf(kernel, req);
    const session = await sessionOf(kernel, req, res, brand);
    if (!session) return messagePage(kernel, req, res, brand, 401, 'no-session');
    const { locale, branding } = await pageBasics(kernel, req, brand);
    const state = await kernel.service<ConsentService>('consent').stateFor(brand, session.subjectId);
    const receiptToken = createSignedLink(kernel, { brandId: brand.id, subjectId: session.subjectId, purpose: RECEIPT_LINK_PURPOSE, expiresAt: Date.now() + 3600_000 });
    const consents = Object.entries(state.purposes).map(([purpose, s]) => ({
      label: t(locale, `consent.privacyCenter.purposes.${purpose.replace(':', '-')}`), state: t(locale, `consent.privacyCenter.actions.${s.action}`),
      at: s.at, receiptUrl: `/b/${brand.slug}/consent/receipts/${encodeURIComponent(s.receiptId)}?token=${encodeURIComponent(receiptToken)}`,
    }));
    const profile = await kernel.brands.profile(brand);
    const channels = MarketingChannel.options.filter((ch) => profile.consent.channels.includes(ch)).map((ch) => ({
      channel: ch, label: t(locale, `consent.privacyCenter.channels.${ch}`), allowed: state.marketing[ch].allowed,
    }));
    sendPage(req, res, 200, {
      page: 'client/privacy-center', locale, branding, csrfToken: csrfToken(kernel, req, res, session.idHash),
      view: { title: t(locale, 'consent.privacyCenter.title'), brandName: branding.name, consents, channels, saved: req.query.saved === '1' },
    });
  }));

  // The session is resolved before the CSRF check, so that the form's token is bound to it.
  const withSession = asyncRoute(async (req, res, next) => {
    const brand = await brandOf(kernel, req);
    const session = await sessionOf(kernel, req, res, brand);
    if (!session) return messagePage(kernel, req, res, brand, 401, 'no-session');
    res.locals.privacyCenter = { brand, session };
    next();
  });
  r.post('/b/:brand/privacy/marketing', limit, form, withSession, requireCsrf(kernel), asyncRoute(async (req, res) => {
    const { brand, session } = res.locals.privacyCenter as { brand: Brand; session: CenterSession };
    const input = MarketingChoice.safeParse(req.body);
    if (!input.success) throw validationError(zodIssues(input.error.issues));
    const { locale } = await pageBasics(kernel, req, brand);
    await kernel.service<ConsentService>('consent').setPreference(brand, session.subjectId, input.data.channel, input.data.choice,
      { method: 'checkbox', collectionPoint: 'privacy-center' }, { ip: req.ip?.slice(0, 64), userAgent: req.get('user-agent')?.slice(0, 1000), via: 'web', locale });
    res.redirect(303, `${pathOf(brand)}?saved=1`);
  }));

  r.post('/b/:brand/privacy/logout', limit, form, withSession, requireCsrf(kernel), asyncRoute(async (req, res) => {
    const { brand, session } = res.locals.privacyCenter as { brand: Brand; session: CenterSession };
    await closeCenterSession(kernel.db, session.idHash);
    res.clearCookie(CENTER_COOKIE, { httpOnly: true, secure: req.secure, sameSite: 'lax', path: pathOf(brand) });
    await messagePage(kernel, req, res, brand, 200, 'signed-out');
  }));
}
