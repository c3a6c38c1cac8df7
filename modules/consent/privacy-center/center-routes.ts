/**
 * The customer's privacy center, `/b/:brand/privacy`: entry by the panel's signed single-sign-on link (sso-link.ts)
 * or an emailed code (login-routes.ts) into a database session; the person's consents with their receipts and a
 * withdrawal per consent, marketing choices per channel and cookie settings through the consent ledger, and the way
 * to the rights module's requests when it is on for the brand. Without a session nothing is shown: the log-in.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { validationError, zodIssues } from '../../../core/errors';
import { rateLimit } from '../../../core/http/rate-limit';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { createSignedLink } from '../../../core/links/signed-link';
import { csrfToken, pageBasics, requireCsrf, sendPage } from '../../../core/pages';
import { accessWatch } from '../../../core/security/access-watch';
import type { ConsentService } from '../consent-service';
import { ConsentPurpose } from '../ledger/consent-event';
import { MarketingChannel } from '../marketing/channels';
import { RECEIPT_LINK_PURPOSE } from '../receipts/signed-receipt';
import { CENTER_COOKIE, centerBrand, centerMessage, centerPath, centerRoute, centerSession, visitOf, withCenterSession } from './center-access';
import { centerCookies, CookieForm, saveCenterCookies } from './center-cookies';
import { closeCenterSession, openCenterSession } from './center-sessions';
import { centerLoginRoutes } from './login-routes';
import { checkSso, ssoSignatureHash, SsoQuery, type SsoRefusal } from './sso-link';

export { CENTER_COOKIE };

/** A marketing choice posted from the center. */
export const MarketingChoice = z.object({ channel: MarketingChannel, choice: z.enum(['given', 'withdrawn']) });

/** Purposes a person may withdraw from the center (policies accepted for a contract are not consents to withdraw). */
export const WITHDRAWABLE: readonly ConsentPurpose[] = ['marketing:email', 'marketing:sms', 'marketing:phone', 'cookies:analytics', 'cookies:marketing', 'cookies:social', 'sale-sharing', 'processing'];
export const WithdrawForm = z.object({ purpose: ConsentPurpose.refine((p) => WITHDRAWABLE.includes(p), 'validation.consent.notWithdrawable') });

const form = express.urlencoded({ extended: false, limit: '4kb' });
const SAVED = new Set(['marketing', 'cookies', 'withdrawn']);

/** Root routes: the sign-on link, the log-in by code, the center page and its forms, sign-out. */
export function privacyCenterRoutes(r: Router, kernel: Kernel): void {
  const limit = rateLimit(kernel, { name: 'privacy-center', max: 60, windowMs: 60_000 });

  r.get('/b/:brand/privacy/sso', limit, centerRoute(kernel, async (req, res) => {
    const brand = await centerBrand(kernel, req);
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
      await accessWatch(kernel).failure({ source: 'signed-endpoint', ip: req.ip, brandId: brand.id, code, targetType: 'route', targetId: `${centerPath(brand)}/sso`, actor: 'privacy-sso' });
      return centerMessage(kernel, req, res, brand, refusal === 'invalid' ? 401 : 410, `link-${refusal ?? 'invalid'}`);
    }
    res.cookie(CENTER_COOKIE, token, { httpOnly: true, secure: req.secure, sameSite: 'lax', path: centerPath(brand) });
    res.redirect(303, centerPath(brand));
  }));

  centerLoginRoutes(r, kernel);

  r.get('/b/:brand/privacy', limit, centerRoute(kernel, async (req, res) => {
    const brand = await centerBrand(kernel, req);
    const visit = await centerSession(kernel, req, res, brand);
    if (!visit) return void res.redirect(303, `${centerPath(brand)}/login`);
    const { locale, branding } = await pageBasics(kernel, req, brand);
    const state = await kernel.service<ConsentService>('consent').stateFor(brand, visit.subjectId);
    const receiptToken = createSignedLink(kernel, { brandId: brand.id, subjectId: visit.subjectId, purpose: RECEIPT_LINK_PURPOSE, expiresAt: Date.now() + 3600_000 });
    const consents = Object.entries(state.purposes).map(([purpose, s]) => ({
      purpose, label: t(locale, `consent.privacyCenter.purposes.${purpose.replace(':', '-')}`), state: t(locale, `consent.privacyCenter.actions.${s.action}`),
      at: s.at, receiptUrl: `/b/${brand.slug}/consent/receipts/${encodeURIComponent(s.receiptId)}?token=${encodeURIComponent(receiptToken)}`,
      withdrawable: s.action === 'given' && WITHDRAWABLE.includes(purpose as ConsentPurpose),
    }));
    const profile = await kernel.brands.profile(brand);
    const channels = MarketingChannel.options.filter((ch) => profile.consent.channels.includes(ch)).map((ch) => ({
      channel: ch, label: t(locale, `consent.privacyCenter.channels.${ch}`), allowed: state.marketing[ch].allowed,
    }));
    const cookies = (await centerCookies(kernel, brand, visit.subjectId)).map((c) => ({ ...c, label: t(locale, `consent.banner.category.${c.category}`) }));
    const saved = typeof req.query.saved === 'string' && SAVED.has(req.query.saved) ? t(locale, `consent.privacyCenter.savedMessages.${req.query.saved}`) : req.query.saved === '1' ? t(locale, 'consent.privacyCenter.saved') : null;
    sendPage(req, res, 200, {
      page: 'client/privacy-center', locale, branding, csrfToken: csrfToken(kernel, req, res, visit.sessionId),
      view: {
        title: t(locale, 'consent.privacyCenter.title'), brandName: branding.name, base: centerPath(brand), consents, channels, cookies, saved,
        rights: await kernel.modules.enabledFor(kernel.brands, brand, 'rights'),
      },
    });
  }));

  const facts = (req: express.Request) => ({ ip: req.ip?.slice(0, 64), userAgent: req.get('user-agent')?.slice(0, 1000) });

  r.post('/b/:brand/privacy/marketing', limit, form, withCenterSession(kernel), requireCsrf(kernel), centerRoute(kernel, async (req, res) => {
    const { brand, subjectId } = visitOf(res);
    const input = MarketingChoice.safeParse(req.body);
    if (!input.success) throw validationError(zodIssues(input.error.issues));
    const { locale } = await pageBasics(kernel, req, brand);
    await kernel.service<ConsentService>('consent').setPreference(brand, subjectId, input.data.channel, input.data.choice,
      { method: 'checkbox', collectionPoint: 'privacy-center' }, { ...facts(req), via: 'web', locale });
    res.redirect(303, `${centerPath(brand)}?saved=1`);
  }));

  r.post('/b/:brand/privacy/withdraw', limit, form, withCenterSession(kernel), requireCsrf(kernel), centerRoute(kernel, async (req, res) => {
    const { brand, subjectId } = visitOf(res);
    const input = WithdrawForm.safeParse({ purpose: (req.body as Record<string, unknown>).purpose });
    if (!input.success) throw validationError(zodIssues(input.error.issues));
    const svc = kernel.service<ConsentService>('consent');
    // Only a consent in force can be withdrawn: anything else would write a ledger event that changes nothing.
    const current = (await svc.purposeState(kernel.db, brand.id, subjectId))[input.data.purpose];
    if (current?.action !== 'given') throw validationError(zodIssues([{ path: ['purpose'], message: 'validation.consent.notWithdrawable' }]));
    await svc.withdraw(brand, subjectId, input.data.purpose, { method: 'checkbox', collectionPoint: 'privacy-center' }, { ...facts(req), via: 'web' });
    res.redirect(303, `${centerPath(brand)}?saved=withdrawn`);
  }));

  r.post('/b/:brand/privacy/cookies', limit, form, withCenterSession(kernel), requireCsrf(kernel), centerRoute(kernel, async (req, res) => {
    const { brand, subjectId } = visitOf(res);
    const { _csrf: _ignored, ...fields } = req.body as Record<string, unknown>;
    const input = CookieForm.strict().safeParse(fields);
    if (!input.success) throw validationError(zodIssues(input.error.issues));
    await saveCenterCookies(kernel, brand, subjectId, input.data, facts(req));
    res.redirect(303, `${centerPath(brand)}?saved=cookies`);
  }));

  r.post('/b/:brand/privacy/logout', limit, form, withCenterSession(kernel), requireCsrf(kernel), centerRoute(kernel, async (req, res) => {
    const { brand, sessionId } = visitOf(res);
    await closeCenterSession(kernel.db, sessionId);
    res.clearCookie(CENTER_COOKIE, { httpOnly: true, secure: req.secure, sameSite: 'lax', path: centerPath(brand) });
    await centerMessage(kernel, req, res, brand, 200, 'signed-out');
  }));
}
