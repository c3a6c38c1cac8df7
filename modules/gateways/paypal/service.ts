/**
 * The PayPal gateway service (kit/contract.ts GatewayService) on Orders v2: checkout (create order → payer-action link),
 * capture, refund and the webhook. Every write carries a PayPal-Request-Id derived from what it is for, so a retry never
 * creates, captures or refunds twice; every transfer is in the disclosure log.
 */
import type { Order, Refund } from '@paypal/paypal-server-sdk';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { recordDisclosure, type Disclosure } from '../../../core/registers/disclosure-log';
import type { PlatformService } from '../../platform';
import type { CaptureResult, CheckoutLink, GatewayService, RefundResult, WebhookOutcome } from '../kit/contract';
import { gatewayError } from '../kit/errors';
import { Payments, type PaymentRow } from '../kit/payments';
import { logFailure, paypalApi, processorFailed } from './client';
import { captureFacts, money, ORDER_FIELDS, orderRequest, payerActionUrl, toCents, type CaptureFacts } from './order-facts';
import { PaypalSettings, SETTINGS_PATH } from './settings';
import { settlePaid } from './settle';
import { applyWebhook } from './webhook-events';
import { verifyWebhook } from './webhook-signature';

const payments = new Payments('paypal');

/** The request ids (PayPal keeps the first answer per id and replays it). */
export const requestIds = {
  create: (brandId: number, invoiceId: number, cents: number): string => `ppc-${brandId}-${invoiceId}-${cents}`,
  /**
   * `cap-<orderId>`; after a declined capture (the customer chose another funding source on the same order) the retry
   * gets its own id, fixed by the declined row's time, so PayPal does not answer it with the first call's refusal.
   */
  capture: (orderId: string, declinedAt?: number): string => (declinedAt === undefined ? `cap-${orderId}` : `cap-${orderId}-r${declinedAt}`),
  refund: (captureId: string, cents: number, alreadyRefundedCents: number): string => `ref-${captureId}-${cents}-${alreadyRefundedCents}`,
};

/** The request id of a payment's next capture. */
const captureId = (row: PaymentRow): string => requestIds.capture(row.reference, row.status === 'declined' ? row.updatedAt : undefined);

export class PaypalService implements GatewayService {
  readonly gateway = 'paypal' as const;

  constructor(private readonly kernel: Kernel) {}

  /** The brand's settings, refused (naming the setting) when the gateway is off for it. */
  async settings(brand: Brand): Promise<PaypalSettings> {
    const s = PaypalSettings.parse(await this.kernel.settings('gateways/paypal', brand));
    if (!s.enabled) throw gatewayError('paypal', 'NOT_CONFIGURED', { field: `${SETTINGS_PATH}.enabled`, variable: '-' });
    return s;
  }

  /** One transfer to PayPal as the disclosure log records it (field names, never values). */
  private transfer(brand: Brand, s: PaypalSettings, subjectId: number | null, fields: string[], reference: string): Disclosure {
    return { brandId: brand.id, subjectId, recipient: s.recipient, purpose: s.purpose, categories: ['billing'], fields, reference };
  }

  /** Writes a transfer to the disclosure log in its own transaction. */
  private async disclose(brand: Brand, s: PaypalSettings, subjectId: number | null, fields: string[], reference: string): Promise<void> {
    const profile = await this.kernel.brands.profile(brand);
    await this.kernel.db.transaction((trx) => recordDisclosure(trx, profile, this.transfer(brand, s, subjectId, fields, reference)));
  }

  async checkout(invoiceId: number, urls: { returnUrl: string; cancelUrl: string }): Promise<CheckoutLink> {
    let invoice;
    try {
      invoice = await this.kernel.service<PlatformService>('platform').invoice(invoiceId);
    } catch (err) {
      if (err instanceof SuiteError && err.code === 'SUITE_NOT_FOUND') throw gatewayError('paypal', 'INVOICE_NOT_PAYABLE', { invoice: invoiceId });
      throw err;
    }
    const brand = await this.kernel.brands.getById(invoice.brandId);
    const s = await this.settings(brand);
    const cents = toCents(invoice.total);
    if (invoice.status !== 'unpaid' || cents <= 0) throw gatewayError('paypal', 'INVOICE_NOT_PAYABLE', { invoice: invoiceId });
    const subjectId = (await this.kernel.subjects.findByExternal(brand.id, 'client', invoice.clientId))?.id ?? null;
    const requestId = requestIds.create(brand.id, invoiceId, cents);
    const api = paypalApi(s);
    let order: Order;
    try {
      ({ result: order } = await api.orders.createOrder({
        body: orderRequest({ brandId: brand.id, invoiceId, cents, currency: s.currency, ...urls, vault: s.vault }), paypalRequestId: requestId, prefer: 'return=minimal',
      }));
    } catch (err) {
      throw processorFailed(logFailure(this.kernel.log, 'orders.create', err));
    }
    const url = payerActionUrl(order);
    if (!order.id || !url) throw processorFailed({ status: null, code: 'NO_PAYER_ACTION', issue: null, debugId: null });
    const orderId = order.id;
    // The same order again (PayPal replayed it) is one payment and one transfer.
    const profile = await this.kernel.brands.profile(brand);
    await this.kernel.db.transaction(async (trx) => {
      if (await payments.byReference(trx, brand.id, orderId)) return;
      await payments.opened(trx, { brandId: brand.id, invoiceId, subjectId, reference: orderId, amount: cents / 100, currency: s.currency, mode: s.mode });
      await recordDisclosure(trx, profile, this.transfer(brand, s, subjectId, ORDER_FIELDS, requestId));
    });
    return { url, reference: orderId };
  }

  /** Captures an approved order (PayPal replays the first capture for the same request id). */
  private async captureOrder(s: PaypalSettings, row: PaymentRow): Promise<{ facts: CaptureFacts } | { declined: string }> {
    const api = paypalApi(s);
    try {
      const { result } = await api.orders.captureOrder({ id: row.reference, paypalRequestId: captureId(row), prefer: 'return=representation' });
      return { facts: captureFacts(result) };
    } catch (err) {
      const f = logFailure(this.kernel.log, 'orders.capture', err);
      if (f.status === 422 && f.issue === 'ORDER_ALREADY_CAPTURED') {
        try {
          return { facts: captureFacts((await api.orders.getOrder({ id: row.reference })).result) };
        } catch (again) {
          throw processorFailed(logFailure(this.kernel.log, 'orders.get', again));
        }
      }
      if (f.status === 422 && f.issue) return { declined: f.issue };
      throw processorFailed(f);
    }
  }

  async capture(brand: Brand, reference: string): Promise<CaptureResult> {
    const s = await this.settings(brand);
    const row = await payments.byReference(this.kernel.db, brand.id, reference);
    if (!row) throw gatewayError('paypal', 'CHECKOUT_UNKNOWN', { reference: reference.slice(0, 64) });
    if (row.status !== 'pending' && row.status !== 'declined') return { status: row.status, reference, transactionId: row.transactionId };
    const out = await this.captureOrder(s, row);
    await this.disclose(brand, s, row.subjectId, ['order_id'], captureId(row));
    if ('declined' in out) {
      await payments.update(this.kernel.db, row.id, { status: 'declined', failureCode: out.declined });
      return { status: 'declined', reference, transactionId: null };
    }
    const { facts } = out;
    if (facts.status === 'COMPLETED') {
      await settlePaid(this.kernel, brand, row, facts);
      return { status: 'paid', reference, transactionId: facts.captureId };
    }
    if (facts.status === 'PENDING') {
      await payments.update(this.kernel.db, row.id, { transactionId: facts.captureId });
      return { status: 'pending', reference, transactionId: facts.captureId };
    }
    await payments.update(this.kernel.db, row.id, { status: 'declined', transactionId: facts.captureId, failureCode: facts.status ?? 'UNKNOWN' });
    return { status: 'declined', reference, transactionId: facts.captureId };
  }

  async refund(brand: Brand, invoiceId: number, amount?: number): Promise<RefundResult> {
    const s = await this.settings(brand);
    const row = await payments.paidFor(this.kernel.db, brand.id, invoiceId);
    if (!row?.transactionId) throw gatewayError('paypal', 'NOT_REFUNDABLE', { invoice: invoiceId });
    const refunded = toCents(row.refunded);
    const left = toCents(row.amount) - refunded;
    const cents = amount === undefined ? left : toCents(amount);
    if (cents <= 0 || cents > left) throw gatewayError('paypal', 'NOT_REFUNDABLE', { invoice: invoiceId });
    const requestId = requestIds.refund(row.transactionId, cents, refunded);
    const api = paypalApi(s);
    let result: Refund;
    try {
      ({ result } = await api.payments.refundCapturedPayment({
        captureId: row.transactionId, paypalRequestId: requestId, prefer: 'return=representation',
        body: { amount: { currencyCode: row.currency.toUpperCase(), value: money(cents, row.currency) } },
      }));
    } catch (err) {
      // A refusal (422: already refunded, too much) is WHMCS's `declined`; anything else an `error` to try again (same request id).
      const f = logFailure(this.kernel.log, 'captures.refund', err);
      return { status: f.status === 422 ? 'declined' : 'error', transid: '', rawdata: { status: f.status, code: f.code, issue: f.issue, debugId: f.debugId } };
    }
    await this.disclose(brand, s, row.subjectId, ['capture_id', 'amount'], requestId);
    const total = result.sellerPayableBreakdown?.totalRefundedAmount?.value;
    await this.refunded(row, total === undefined ? refunded + cents : toCents(Number(total)));
    return { status: 'success', transid: result.id ?? '', rawdata: { id: result.id ?? null, status: result.status ?? null, amount: result.amount?.value ?? money(cents, row.currency) } };
  }

  /** Sets a payment's refunded total (never lowers it: a late webhook may report an older total). */
  async refunded(row: PaymentRow, totalCents: number): Promise<void> {
    await this.kernel.db.transaction(async (trx) => {
      const now = await payments.byReference(trx, row.brandId, row.reference);
      const cents = Math.max(toCents(now?.refunded ?? 0), Math.min(totalCents, toCents(row.amount)));
      await payments.update(trx, row.id, { refunded: cents / 100, status: cents >= toCents(row.amount) ? 'refunded' : 'partially-refunded' });
    });
  }

  async webhook(brand: Brand, rawBody: Buffer, headers: Record<string, string | string[] | undefined>): Promise<WebhookOutcome> {
    const s = await this.settings(brand);
    if (!s.webhookId) throw gatewayError('paypal', 'NOT_CONFIGURED', { field: `${SETTINGS_PATH}.webhookId`, variable: '-' });
    await verifyWebhook(rawBody, headers, s.webhookId, { timeoutMs: s.timeoutSeconds * 1000 });
    return applyWebhook(this, this.kernel, brand, rawBody);
  }
}
