/**
 * Client routes without login: one-click unsubscribe (RFC 8058), double opt-in confirmation and withdrawal of
 * processing consent, each authenticated by its signed token. GET shows a page; only POST changes anything.
 */
import express, { type Request, type Response, type Router } from 'express';
import { SuiteError } from '../../../core/errors';
import { rateLimit } from '../../../core/http/rate-limit';
import { asyncRoute } from '../../../core/http/respond';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { pageBasics, sendPage } from '../../../core/pages';
import type { Branding } from '../../../core/profile/schema';
import { verifySignedLink, linkTokenOf } from '../../../core/links/signed-link';
import { WITHDRAW_LINK_PURPOSE, withdrawProcessing } from '../withdrawal/withdraw-processing';
import type { ConsentContext } from './consent-context';
import { confirmDoubleOptIn } from './confirm-double-opt-in';
import { CONFIRM_LINK_PURPOSE, signedPartOf } from './double-opt-in';
import { unsubscribe, verifyUnsubscribeToken } from './unsubscribe';

const form = express.urlencoded({ extended: false, limit: '4kb' });

const tokenOf = linkTokenOf;

/** Runs `fn` in a transaction with the request's brand, profile, IP and user agent. */
async function inTransaction<T>(kernel: Kernel, req: Request, fn: (c: ConsentContext) => Promise<T>): Promise<T> {
  const brand = req.brand!;
  const profile = await kernel.brands.profile(brand);
  await kernel.keyring.activeKeyId();
  return kernel.db.transaction((trx) => fn({ kernel, trx, brand, profile, ip: req.ip?.slice(0, 64), userAgent: req.get('user-agent')?.slice(0, 1000), via: 'web' }));
}

/** Answers an invalid or expired link with the page (HTML) and 401; other errors go to the error handler. */
function invalidLink(req: Request, res: Response, p: PageOf, err: unknown, page: 'consent-unsubscribe' | 'consent-confirm'): void {
  if (!(err instanceof SuiteError) || err.code !== 'SUITE_LINK_INVALID') throw err;
  const { locale } = p;
  sendPage(req, res, 401, { page: `client/${page}`, locale, branding: p.branding, view: { title: t(locale, 'consent.unsubscribe.invalidTitle'), message: t(locale, 'errors.SUITE_LINK_INVALID'), showForm: false } });
}

type PageOf = { locale: string; branding: Branding };

/** GET/POST /unsubscribe, GET/POST /confirm, GET/POST /withdraw under /b/:brand/consent/. */
export function marketingClientRoutes(router: Router, kernel: Kernel): void {
  // The pages are open to the web: 60 a minute per IP, brand and page, counted across instances.
  const limit = rateLimit(kernel, { name: 'consent-link-pages', max: 60, windowMs: 60_000 });
  router.get('/unsubscribe', limit, asyncRoute(async (req, res) => {
    const p = await pageBasics(kernel, req, req.brand!);
    const { locale, branding } = p;
    const token = tokenOf(req);
    try {
      const { channel } = verifyUnsubscribeToken(kernel, req.brand!, token);
      sendPage(req, res, 200, { page: 'client/consent-unsubscribe', locale, branding, view: {
        title: t(locale, 'consent.unsubscribe.title'), message: t(locale, `consent.unsubscribe.question.${channel}`),
        button: t(locale, 'consent.unsubscribe.button'), action: `unsubscribe?token=${encodeURIComponent(token!)}`, showForm: true,
      } });
    } catch (err) {
      invalidLink(req, res, p, err, 'consent-unsubscribe');
    }
  }));
  // RFC 8058 one-click: the mail client POSTs "List-Unsubscribe=One-Click" to the URL; the signed token authenticates it.
  router.post('/unsubscribe', limit, form, asyncRoute(async (req, res) => {
    const p = await pageBasics(kernel, req, req.brand!);
    const { locale, branding } = p;
    try {
      const r = await inTransaction(kernel, req, (c) => unsubscribe(c, tokenOf(req)));
      sendPage(req, res, 200, { page: 'client/consent-unsubscribe', locale, branding, view: { title: t(locale, 'consent.unsubscribe.doneTitle'), message: t(locale, `consent.unsubscribe.done.${r.channel}`), showForm: false } });
    } catch (err) {
      invalidLink(req, res, p, err, 'consent-unsubscribe');
    }
  }));

  router.get('/confirm', limit, asyncRoute(async (req, res) => {
    const p = await pageBasics(kernel, req, req.brand!);
    const { locale, branding } = p;
    const token = tokenOf(req);
    try {
      verifySignedLink(kernel, signedPartOf(token ?? ''), CONFIRM_LINK_PURPOSE);
      sendPage(req, res, 200, { page: 'client/consent-confirm', locale, branding, view: {
        title: t(locale, 'consent.marketing.confirmTitle'), message: t(locale, 'consent.marketing.confirmQuestion'),
        button: t(locale, 'consent.marketing.confirmButton'), action: 'confirm', token, showForm: true,
      } });
    } catch (err) {
      invalidLink(req, res, p, err, 'consent-confirm');
    }
  }));
  router.post('/confirm', limit, form, asyncRoute(async (req, res) => {
    const p = await pageBasics(kernel, req, req.brand!);
    const { locale, branding } = p;
    try {
      await inTransaction(kernel, req, (c) => confirmDoubleOptIn(c, tokenOf(req) ?? ''));
      sendPage(req, res, 200, { page: 'client/consent-confirm', locale, branding, view: { title: t(locale, 'consent.marketing.confirmedTitle'), message: t(locale, 'consent.marketing.confirmed'), showForm: false } });
    } catch (err) {
      invalidLink(req, res, p, err, 'consent-confirm');
    }
  }));

  router.get('/withdraw', limit, asyncRoute(async (req, res) => {
    const p = await pageBasics(kernel, req, req.brand!);
    const { locale, branding } = p;
    const token = tokenOf(req);
    try {
      verifySignedLink(kernel, token, WITHDRAW_LINK_PURPOSE);
      sendPage(req, res, 200, { page: 'client/consent-confirm', locale, branding, view: {
        title: t(locale, 'consent.withdrawal.title'), message: t(locale, 'consent.withdrawal.question'),
        button: t(locale, 'consent.withdrawal.button'), action: 'withdraw', token, showForm: true,
      } });
    } catch (err) {
      invalidLink(req, res, p, err, 'consent-confirm');
    }
  }));
  // SP-6.1: the signed link is the form's CSRF protection (only its addressee holds it).
  router.post('/withdraw', limit, form, asyncRoute(async (req, res) => {
    const p = await pageBasics(kernel, req, req.brand!);
    const { locale, branding } = p;
    try {
      const claims = verifySignedLink(kernel, tokenOf(req), WITHDRAW_LINK_PURPOSE);
      if (claims.brandId !== req.brand!.id) throw new SuiteError('SUITE_LINK_INVALID');
      const r = await inTransaction(kernel, req, (c) => withdrawProcessing(c, claims.subjectId, { method: 'link', collectionPoint: 'privacy-center' }));
      if (req.accepts(['html', 'json']) === 'json') {
        res.json({ ok: true, receiptId: r.receipt.receiptId, withdrawalId: r.withdrawalId });
        return;
      }
      sendPage(req, res, 200, { page: 'client/consent-confirm', locale, branding, view: { title: t(locale, 'consent.withdrawal.doneTitle'), message: t(locale, 'consent.withdrawal.done'), showForm: false } });
    } catch (err) {
      invalidLink(req, res, p, err, 'consent-confirm');
    }
  }));
}
