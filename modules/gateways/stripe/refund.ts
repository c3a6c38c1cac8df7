/**
 * `<m>_refund`: all or part of an invoice's Stripe payment back, through `refunds.create` keyed by invoice, amount and
 * what was already refunded — a retry of the same refund (a lost answer, a 500) sends the same key and Stripe answers
 * the first refund instead of making a second. Logged as a disclosure; the answer is WHMCS's refund shape.
 */
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import { recordDisclosure } from '../../../core/registers/disclosure-log';
import type { RefundResult } from '../kit/contract';
import { gatewayError } from '../kit/errors';
import { Payments } from '../kit/payments';
import { brandContext } from './context';
import { requireEnabled } from './settings';
import { fromMinor, stripeCall, stripeClient, toMinor } from './stripe-client';

const payments = new Payments('stripe');

export const refundKey = (brandId: number, invoiceId: number, minor: number, refundedMinor: number): string => `suite-refund-${brandId}-${invoiceId}-${minor}-${refundedMinor}`;

export async function refundInvoice(kernel: Kernel, b: Brand, invoiceId: number, amount?: number): Promise<RefundResult> {
  const { brand, profile, settings } = await brandContext(kernel, b);
  requireEnabled(settings);
  const row = await payments.paidFor(kernel.db, brand.id, invoiceId);
  if (!row?.transactionId) throw gatewayError('stripe', 'NOT_REFUNDABLE', { invoice: invoiceId });
  const leftMinor = toMinor(row.amount, row.currency) - toMinor(row.refunded, row.currency);
  const minor = amount === undefined ? leftMinor : toMinor(amount, row.currency);
  if (minor <= 0 || minor > leftMinor) throw gatewayError('stripe', 'NOT_REFUNDABLE', { invoice: invoiceId });
  const refundedMinor = toMinor(row.refunded, row.currency);
  const stripe = stripeClient(settings);
  const refund = await stripeCall(() => stripe.refunds.create(
    { payment_intent: row.transactionId!, amount: minor, metadata: { invoice_id: String(invoiceId), brand: brand.slug } },
    { idempotencyKey: refundKey(brand.id, invoiceId, minor, refundedMinor) },
  ));
  const status: RefundResult['status'] = refund.status === 'failed' || refund.status === 'canceled' ? 'declined' : 'success';
  await kernel.keyring.activeKeyId();
  await kernel.db.transaction(async (trx) => {
    const now = (await payments.byReference(trx, brand.id, row.reference))!;
    if (status === 'success') {
      // A charge.refunded webhook may have counted this refund already: take the larger of the two.
      const refunded = Math.max(now.refunded, fromMinor(refundedMinor + minor, row.currency));
      await payments.update(trx, row.id, { refunded, status: toMinor(refunded, row.currency) >= toMinor(row.amount, row.currency) ? 'refunded' : 'partially-refunded' });
    }
    await recordDisclosure(trx, profile, {
      brandId: brand.id, subjectId: row.subjectId, recipient: settings.recipient, purpose: settings.purpose, categories: ['billing'],
      fields: ['payment_intent', 'amount', 'metadata.invoice_id', 'metadata.brand'], reference: refund.id, actor: 'gateways/stripe',
    });
  });
  return { status, transid: refund.id, rawdata: { id: refund.id, status: refund.status, amount: refund.amount, currency: refund.currency, payment_intent: row.transactionId } };
}
