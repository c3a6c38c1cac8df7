/**
 * `<m>_link`: a Checkout Session for an unpaid invoice, so the card is typed on Stripe's page and never reaches the
 * suite (TOS-1.2). Stripe gets only what it needs: the amount, the currency and opaque ids (invoice id, brand slug) —
 * no e-mail, no name, and no customer unless cards are saved. The session's creation is keyed by brand, invoice and
 * amount, so a retry (or a second click on the pay link) answers the same session; its first opening is logged as a
 * disclosure against the client's subject.
 */
import crypto from 'node:crypto';
import type Stripe from 'stripe';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { recordDisclosure } from '../../../core/registers/disclosure-log';
import type { CheckoutLink } from '../kit/contract';
import { gatewayError } from '../kit/errors';
import { Payments } from '../kit/payments';
import { PaymentTokens } from '../kit/tokens';
import { brandContext, invoiceToPay } from './context';
import { requireEnabled } from './settings';
import { stripeCall, stripeClient, toMinor } from './stripe-client';

const payments = new Payments('stripe');

/** The Idempotency-Key of a session: the same brand, invoice and amount give the same session. */
export const checkoutKey = (brandId: number, invoiceId: number, minor: number): string => `suite-checkout-${brandId}-${invoiceId}-${minor}`;

export async function openCheckout(kernel: Kernel, invoiceId: number, urls: { returnUrl: string; cancelUrl: string }): Promise<CheckoutLink> {
  const invoice = await invoiceToPay(kernel, invoiceId);
  if (invoice.status !== 'unpaid') throw gatewayError('stripe', 'INVOICE_NOT_PAYABLE', { invoice: invoiceId });
  const { brand, profile, settings } = await brandContext(kernel, await kernel.brands.getById(invoice.brandId));
  requireEnabled(settings);
  const stripe = stripeClient(settings);
  const currency = settings.currency.toLowerCase();
  const minor = toMinor(invoice.total, currency);
  const ids = { invoice_id: String(invoice.invoiceId), brand: brand.slug };

  // saveCards: the subject's Stripe customer is reused (the card list is theirs); else Checkout creates one.
  let customer: string | undefined;
  if (settings.saveCards && invoice.subjectId !== null) {
    const tokens = await new PaymentTokens('stripe', kernel.keyring).ofSubjects(kernel.db, [invoice.subjectId]);
    customer = tokens.filter((t) => t.brandId === brand.id && t.token.customerId).pop()?.token.customerId;
  }
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: 'payment',
    line_items: [{ quantity: 1, price_data: { currency, unit_amount: minor, product_data: { name: `Invoice ${invoice.invoiceId}` } } }],
    success_url: urls.returnUrl,
    cancel_url: urls.cancelUrl,
    client_reference_id: String(invoice.invoiceId),
    metadata: ids,
    payment_intent_data: { metadata: ids, ...(settings.saveCards ? { setup_future_usage: 'off_session' as const } : {}) },
    ...(customer ? { customer } : { customer_creation: settings.saveCards ? 'always' as const : 'if_required' as const }),
  };
  const key = checkoutKey(brand.id, invoice.invoiceId, minor);
  const create = (idempotencyKey: string) => stripeCall(() => stripe.checkout.sessions.create(params, { idempotencyKey }));
  const session = await create(key).catch((err: unknown) => {
    // The key was used in the last 24 h with other parameters (the public URL changed, a card was saved since):
    // a session with these parameters, under a key that names them.
    if (!(err instanceof SuiteError && err.params.code === 'idempotency_error')) throw err;
    return create(`${key}-${crypto.createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 16)}`);
  });
  if (!session.url) throw gatewayError('stripe', 'PROCESSOR_FAILED', { code: 'no_session_url', status: 0 });

  await kernel.keyring.activeKeyId();
  await kernel.db.transaction(async (trx) => {
    if (await payments.byReference(trx, brand.id, session.id)) return;
    await payments.opened(trx, { brandId: brand.id, invoiceId: invoice.invoiceId, subjectId: invoice.subjectId, reference: session.id, amount: invoice.total, currency, mode: settings.mode });
    await recordDisclosure(trx, profile, {
      brandId: brand.id, subjectId: invoice.subjectId, recipient: settings.recipient, purpose: settings.purpose,
      categories: customer ? ['billing', 'payment-token'] : ['billing'],
      fields: ['amount', 'currency', 'client_reference_id', 'metadata.invoice_id', 'metadata.brand', ...(customer ? ['customer'] : [])],
      reference: session.id, actor: 'gateways/stripe',
    });
  });
  return { url: session.url, reference: session.id };
}
