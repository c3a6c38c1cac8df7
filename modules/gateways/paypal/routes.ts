/**
 * The client routes under /b/:brand/gateways/paypal/: the signed pay link (→ 303 to PayPal's approval page), the
 * return (capture, then the result page), the cancel page, and the webhook (raw body: the signature covers its bytes).
 */
import express, { type Router } from 'express';
import { SuiteError } from '../../../core/errors';
import { asyncRoute } from '../../../core/http/respond';
import { wholeNumber } from '../../../core/http/route-input';
import type { Kernel } from '../../../core/kernel';
import { linkTokenOf, verifySignedLink } from '../../../core/links/signed-link';
import { publicBaseUrl } from '../../../core/links/public-url';
import type { PlatformService } from '../../platform';
import { gatewayRouteLimits, payLinkPurpose, renderResult, type ResultState } from '../kit/client-pages';
import type { PaymentStatus } from '../kit/contract';
import { gatewayError } from '../kit/errors';
import { Payments } from '../kit/payments';
import type { PaypalService } from './service';

const payments = new Payments('paypal');

/** What the customer is told of a payment's status. */
const STATE: Record<PaymentStatus, ResultState> = { paid: 'paid', refunded: 'paid', 'partially-refunded': 'paid', pending: 'pending', declined: 'declined' };

/** PayPal's order id, which it appends to the return and cancel URLs as `token`. */
const orderIdOf = (q: unknown): string => {
  if (typeof q !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(q)) throw gatewayError('paypal', 'CHECKOUT_UNKNOWN', { reference: '' });
  return q;
};

export function paypalClientRoutes(router: Router, kernel: Kernel): void {
  const service = (): PaypalService => kernel.service<PaypalService>('gateways/paypal');
  const limits = gatewayRouteLimits(kernel, 'paypal');

  router.get('/pay/:invoiceId', limits.page, asyncRoute(async (req, res) => {
    const brand = req.brand!;
    const invoiceId = wholeNumber(req.params.invoiceId, 'invoiceId', 1, Number.MAX_SAFE_INTEGER);
    const claims = verifySignedLink(kernel, linkTokenOf(req), payLinkPurpose(invoiceId));
    if (claims.brandId !== brand.id) throw new SuiteError('SUITE_LINK_INVALID');
    // The link names the invoice; the invoice must also be the brand's (checkout refuses an unknown one).
    const invoice = await kernel.service<PlatformService>('platform').invoice(invoiceId).catch((err: unknown) => {
      if (err instanceof SuiteError && err.code === 'SUITE_NOT_FOUND') return null;
      throw err;
    });
    if (invoice?.brandId !== brand.id) throw gatewayError('paypal', 'INVOICE_NOT_PAYABLE', { invoice: invoiceId });
    const base = `${publicBaseUrl(kernel, await kernel.brands.profile(brand))}/b/${encodeURIComponent(brand.slug)}/gateways/paypal`;
    const link = await service().checkout(invoiceId, { returnUrl: `${base}/return`, cancelUrl: `${base}/cancel` });
    res.redirect(303, link.url);
  }));

  router.get('/return', limits.page, asyncRoute(async (req, res) => {
    const result = await service().capture(req.brand!, orderIdOf(req.query.token));
    const row = await payments.byReference(kernel.db, req.brand!.id, result.reference);
    await renderResult(kernel, req, res, { state: STATE[result.status], invoiceId: row?.invoiceId ?? null });
  }));

  router.get('/cancel', limits.page, asyncRoute(async (req, res) => {
    const token = typeof req.query.token === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(req.query.token) ? req.query.token : null;
    const row = token ? await payments.byReference(kernel.db, req.brand!.id, token) : undefined;
    await renderResult(kernel, req, res, { state: 'cancelled', invoiceId: row?.invoiceId ?? null });
  }));

  router.post('/webhook', limits.webhook, express.raw({ type: '*/*', limit: '1mb' }), asyncRoute(async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    res.json({ ok: true, ...(await service().webhook(req.brand!, raw, req.headers)) });
  }));
}
