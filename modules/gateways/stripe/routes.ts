/**
 * The client routes under /b/:brand/gateways/stripe/: the signed pay link (→ 303 to Stripe's Checkout page), the
 * return and cancel pages, and the webhook, which takes the raw body (the signature covers the bytes as sent).
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { publicBaseUrl } from '../../../core/links/public-url';
import { linkTokenOf, verifySignedLink } from '../../../core/links/signed-link';
import { gatewayRouteLimits, payLinkPurpose, renderResult, type ResultState } from '../kit/client-pages';
import { gatewayError } from '../kit/errors';
import { Payments } from '../kit/payments';
import { invoiceToPay } from './context';
import { StripeGateway } from './service';

type Handler = (req: Request, res: Response) => Promise<void>;
const route = (fn: Handler) => (req: Request, res: Response, next: NextFunction): void => void fn(req, res).catch(next);
const brandOf = (req: Request): Brand => req.brand!;
const payments = new Payments('stripe');

/** The return and cancel URLs Checkout sends the customer back to (stable per brand, so a retried create matches). */
async function backUrls(kernel: Kernel, brand: Brand, invoiceId: number): Promise<{ returnUrl: string; cancelUrl: string }> {
  const base = `${publicBaseUrl(kernel, await kernel.brands.profile(brand))}/b/${encodeURIComponent(brand.slug)}/gateways/stripe`;
  return { returnUrl: `${base}/return?session_id={CHECKOUT_SESSION_ID}`, cancelUrl: `${base}/cancel?invoice=${invoiceId}` };
}

const STATE: Record<string, ResultState> = { paid: 'paid', refunded: 'paid', 'partially-refunded': 'paid', declined: 'declined', pending: 'pending' };

export function stripeClientRoutes(router: Router, kernel: Kernel): void {
  const gateway = new StripeGateway(kernel);
  const limits = gatewayRouteLimits(kernel, 'stripe');

  router.get('/pay/:invoiceId', limits.page, route(async (req, res) => {
    const brand = brandOf(req);
    const invoiceId = Number(req.params.invoiceId);
    if (!Number.isInteger(invoiceId) || invoiceId <= 0) throw gatewayError('stripe', 'INVOICE_NOT_PAYABLE', { invoice: String(req.params.invoiceId).slice(0, 20) });
    const claims = verifySignedLink(kernel, linkTokenOf(req), payLinkPurpose(invoiceId));
    const invoice = await invoiceToPay(kernel, invoiceId);
    // The link is the client's, for this invoice of this brand: anything else is an invalid link.
    if (claims.brandId !== brand.id || invoice.brandId !== brand.id || invoice.subjectId !== claims.subjectId) throw new SuiteError('SUITE_LINK_INVALID');
    if (invoice.status !== 'unpaid') return renderResult(kernel, req, res, { state: 'paid', invoiceId });
    const link = await gateway.checkout(invoiceId, await backUrls(kernel, brand, invoiceId));
    res.redirect(303, link.url);
  }));

  router.get('/return', limits.page, route(async (req, res) => {
    const reference = typeof req.query.session_id === 'string' ? req.query.session_id.slice(0, 255) : '';
    if (!reference) throw gatewayError('stripe', 'CHECKOUT_UNKNOWN', { reference: '-' });
    const result = await gateway.capture(brandOf(req), reference);
    const row = await payments.byReference(kernel.db, brandOf(req).id, reference);
    await renderResult(kernel, req, res, { state: STATE[result.status] ?? 'pending', invoiceId: row?.invoiceId ?? null });
  }));

  router.get('/cancel', limits.page, route(async (req, res) => {
    const invoiceId = Number(req.query.invoice);
    await renderResult(kernel, req, res, { state: 'cancelled', invoiceId: Number.isInteger(invoiceId) && invoiceId > 0 ? invoiceId : null });
  }));

  router.post('/webhook', limits.webhook, express.raw({ type: '*/*', limit: '1mb' }), route(async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const outcome = await gateway.webhook(brandOf(req), raw, req.headers);
    res.status(200).json({ received: true, status: outcome.status });
  }));
}
