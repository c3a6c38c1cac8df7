/**
 * The callback: Stripe's signature checked by the SDK over the raw body (300 s tolerance) before anything is read or
 * written, then each event applied once by its id: a paid session pays the invoice, a failed payment keeps its decline
 * code, a refunded charge its amounts; other types are recorded as ignored.
 */
import Stripe from 'stripe';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { WebhookOutcome } from '../kit/contract';
import { gatewayError } from '../kit/errors';
import { WebhookEvents } from '../kit/events';
import { brandContext, type BrandContext } from './context';
import { webhookSecret } from './settings';
import { applyDeclined, applyPaid, applyRefunded, openRowOfInvoice, rowOfSession } from './settle';
import { stripeCall, stripeClient } from './stripe-client';

/** Seconds a signature stays acceptable (Stripe's default; a replay of an older body is refused). */
export const TOLERANCE_SECONDS = 300;

const events = new WebhookEvents('stripe');

/** The session again, with its PaymentIntent and PaymentMethod (the card's brand, last four and expiry for the token). */
export const expandedSession = (ctx: BrandContext, id: string) => (): Promise<Stripe.Checkout.Session> =>
  stripeCall(() => stripeClient(ctx.settings).checkout.sessions.retrieve(id, { expand: ['payment_intent.payment_method'] }));

const ignore = (kernel: Kernel, ctx: BrandContext, event: Stripe.Event): Promise<WebhookOutcome> =>
  events.applyOnce(kernel, ctx.brand.id, event, { inside: async () => false });

export async function receiveWebhook(kernel: Kernel, brand: Brand, rawBody: Buffer, headers: Record<string, string | string[] | undefined>): Promise<WebhookOutcome> {
  const ctx = await brandContext(kernel, brand);
  const secret = webhookSecret(ctx.settings);
  const header = headers['stripe-signature'];
  let event: Stripe.Event;
  try {
    if (typeof header !== 'string' || !Buffer.isBuffer(rawBody)) throw new Error('no signature');
    // The SDK's static check: verifying needs the signing secret only, not the API key.
    event = Stripe.webhooks.constructEvent(rawBody, header, secret, TOLERANCE_SECONDS);
  } catch {
    throw gatewayError('stripe', 'WEBHOOK_REFUSED');
  }
  // An event of the other mode (a test event sent to a live brand) is not this brand's money.
  if (event.livemode !== (ctx.settings.mode === 'live')) return ignore(kernel, ctx, event);
  const ref = { id: event.id, type: event.type };
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const s = event.data.object;
      const row = await rowOfSession(kernel, ctx, s);
      if (!row || (s.payment_status !== 'paid' && s.payment_status !== 'no_payment_required')) return ignore(kernel, ctx, event);
      return (await applyPaid(kernel, ctx, row, ref, expandedSession(ctx, s.id)))!;
    }
    case 'checkout.session.async_payment_failed': {
      const s = event.data.object;
      const row = await rowOfSession(kernel, ctx, s);
      if (!row) return ignore(kernel, ctx, event);
      return (await applyDeclined(kernel, ctx, row, ref, { code: 'async_payment_failed', paymentIntent: typeof s.payment_intent === 'string' ? s.payment_intent : s.payment_intent?.id ?? null }))!;
    }
    case 'payment_intent.payment_failed': {
      const pi = event.data.object;
      const invoiceId = Number(pi.metadata?.invoice_id);
      const row = pi.metadata?.brand === brand.slug && Number.isInteger(invoiceId) ? await openRowOfInvoice(kernel.db, brand.id, invoiceId) : undefined;
      if (!row) return ignore(kernel, ctx, event);
      const code = pi.last_payment_error?.decline_code ?? pi.last_payment_error?.code ?? 'payment_failed';
      return (await applyDeclined(kernel, ctx, row, ref, { code, paymentIntent: pi.id }))!;
    }
    case 'charge.refunded':
      return (await applyRefunded(kernel, ctx, ref, event.data.object))!;
    default:
      return ignore(kernel, ctx, event);
  }
}
