/**
 * Verified PayPal events applied once each (kit/events.ts): an approved order is captured, a completed capture settles
 * the invoice (idempotent with the return page's capture), a denied one declines it, a refund sets the refunded total.
 * Other event types are recorded as ignored.
 */
import { z } from 'zod';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { WebhookOutcome } from '../kit/contract';
import { gatewayError } from '../kit/errors';
import { WebhookEvents } from '../kit/events';
import { Payments, type PaymentRow } from '../kit/payments';
import { toCents } from './order-facts';
import type { PaypalService } from './service';

const events = new WebhookEvents('paypal');
const payments = new Payments('paypal');

/** The envelope of a PayPal event (v1 and v2 events share it); the resource is read per type. */
const Envelope = z.object({
  id: z.string().min(1).max(255),
  event_type: z.string().min(1).max(120),
  resource: z.record(z.unknown()).default({}),
});

const Resource = z.object({
  id: z.string().max(255).optional(),
  status: z.string().max(40).optional(),
  supplementary_data: z.object({ related_ids: z.object({ order_id: z.string().max(255).optional() }).partial().optional() }).partial().optional(),
  links: z.array(z.object({ rel: z.string(), href: z.string() })).optional(),
  seller_payable_breakdown: z.object({ total_refunded_amount: z.object({ value: z.string() }).optional() }).partial().optional(),
  amount: z.object({ value: z.string() }).partial().optional(),
}).passthrough();
type Resource = z.infer<typeof Resource>;

/** The capture a refund belongs to: its `up` link (…/v2/payments/captures/<id>). */
function capturedOf(r: Resource): string | undefined {
  const up = r.links?.find((l) => l.rel === 'up')?.href;
  return up ? /\/captures\/([^/?#]+)/.exec(up)?.[1] : undefined;
}

/** The payment a capture event names, by its order or by the capture id. */
async function paymentOfCapture(kernel: Kernel, brandId: number, r: Resource): Promise<PaymentRow | undefined> {
  const orderId = r.supplementary_data?.related_ids?.order_id;
  return (orderId ? await payments.byReference(kernel.db, brandId, orderId) : undefined) ?? (r.id ? await payments.byTransaction(kernel.db, brandId, r.id) : undefined);
}

/** Applies one verified event (its raw body) once. */
export async function applyWebhook(service: PaypalService, kernel: Kernel, brand: Brand, rawBody: Buffer): Promise<WebhookOutcome> {
  let parsed: z.infer<typeof Envelope>;
  try {
    parsed = Envelope.parse(JSON.parse(rawBody.toString('utf8')));
  } catch {
    throw gatewayError('paypal', 'WEBHOOK_REFUSED', { reason: 'body' });
  }
  const event = { id: parsed.id, type: parsed.event_type };
  const r = Resource.safeParse(parsed.resource);
  const res: Resource = r.success ? r.data : {};
  switch (event.type) {
    case 'CHECKOUT.ORDER.APPROVED': {
      const known = res.id ? await payments.byReference(kernel.db, brand.id, res.id) : undefined;
      return events.applyOnce(kernel, brand.id, event, {
        outside: known ? async () => { await service.capture(brand, known.reference); } : undefined,
        inside: async () => Boolean(known),
      });
    }
    case 'PAYMENT.CAPTURE.COMPLETED': {
      const row = await paymentOfCapture(kernel, brand.id, res);
      return events.applyOnce(kernel, brand.id, event, {
        // The return page may not have come (the customer closed the tab): capture again, which PayPal replays.
        outside: row && (row.status === 'pending' || row.status === 'declined') ? async () => { await service.capture(brand, row.reference); } : undefined,
        inside: async () => Boolean(row),
      });
    }
    case 'PAYMENT.CAPTURE.DENIED': {
      const row = await paymentOfCapture(kernel, brand.id, res);
      return events.applyOnce(kernel, brand.id, event, {
        inside: async (trx) => {
          if (!row) return false;
          if (row.status === 'pending') await payments.update(trx, row.id, { status: 'declined', transactionId: res.id ?? row.transactionId, failureCode: 'DENIED' });
          return true;
        },
      });
    }
    case 'PAYMENT.CAPTURE.REFUNDED': {
      const captureId = capturedOf(res);
      const row = captureId ? await payments.byTransaction(kernel.db, brand.id, captureId) : undefined;
      const total = res.seller_payable_breakdown?.total_refunded_amount?.value;
      return events.applyOnce(kernel, brand.id, event, {
        // The capture's refunded total, not this refund's amount: the same refund seen by refund() and here counts once.
        outside: row && total !== undefined ? () => service.refunded(row, toCents(Number(total))) : undefined,
        inside: async () => Boolean(row),
      });
    }
    default:
      return events.applyOnce(kernel, brand.id, event, { inside: async () => false });
  }
}
