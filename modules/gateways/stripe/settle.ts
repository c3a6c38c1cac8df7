/**
 * The one apply path of what Stripe reports, used by the return page (capture) and by webhooks alike, each step safe
 * to run again: a paid session pays the platform invoice (InvoicePaid, once), marks the payment paid and keeps the
 * card's token (payment-token, sealed) for the subject who paid — the client, or a third-party payer recorded as
 * their own subject and linked to the invoice (ESM-2); a decline keeps only Stripe's code; a refund its amounts.
 */
import type { Knex } from 'knex';
import type Stripe from 'stripe';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { PaymentStatus, WebhookOutcome } from '../kit/contract';
import { WebhookEvents } from '../kit/events';
import { Payments, type PaymentRow } from '../kit/payments';
import { gatewayTables } from '../kit/tables';
import { PaymentTokens } from '../kit/tokens';
import type { BrandContext } from './context';
import { invoiceToPay, platformOf } from './context';
import { fromMinor } from './stripe-client';

const payments = new Payments('stripe');

/** The outbox topic that takes a third-party payer's card off the client's Stripe customer. */
export const DETACH_PAYMENT_METHOD = 'stripe.payment-method.detach';
const events = new WebhookEvents('stripe');
const TABLE = gatewayTables('stripe').payments;

/** An event being applied (webhook), or none (the return page: applied directly, still idempotent). */
export type EventRef = { id: string; type: string } | null;

/** Runs the steps once per event, or directly (outside first, then inside in a transaction). */
async function run(kernel: Kernel, ctx: BrandContext, event: EventRef, steps: { outside?: () => Promise<void>; inside: (trx: Knex.Transaction) => Promise<boolean> }): Promise<WebhookOutcome | null> {
  if (event) return events.applyOnce(kernel, ctx.brand.id, event, steps);
  if (steps.outside) await steps.outside();
  await kernel.keyring.activeKeyId();
  await kernel.db.transaction((trx) => steps.inside(trx));
  return null;
}

/** The payment row, locked for the rest of the transaction. */
async function locked(trx: Knex.Transaction, id: number): Promise<PaymentStatus> {
  const r = (await trx(TABLE).where({ id }).forUpdate().first('status')) as { status: PaymentStatus };
  return r.status;
}

const idOf = (x: string | { id: string } | null | undefined): string | null => (typeof x === 'string' ? x : x?.id ?? null);

/** Where a session stands, as the suite counts it. */
export function sessionStatus(s: Stripe.Checkout.Session): PaymentStatus {
  if (s.payment_status === 'paid' || s.payment_status === 'no_payment_required') return 'paid';
  const pi = typeof s.payment_intent === 'object' ? s.payment_intent : null;
  if (pi?.last_payment_error || s.status === 'expired') return 'declined';
  return 'pending';
}

/** The brand's row for a session; one this suite opened under another brand, or never opened, is not ours (null). */
export async function rowOfSession(kernel: Kernel, ctx: BrandContext, s: Stripe.Checkout.Session): Promise<PaymentRow | null> {
  const found = await payments.byReference(kernel.db, ctx.brand.id, s.id);
  if (found) return found;
  const invoiceId = Number(s.metadata?.invoice_id ?? s.client_reference_id);
  if (s.metadata?.brand !== ctx.brand.slug || !Number.isInteger(invoiceId) || invoiceId <= 0) return null;
  // Opened by this brand but the row is missing (a crash between Stripe's answer and the insert): recreate it.
  const inv = await invoiceToPay(kernel, invoiceId);
  if (inv.brandId !== ctx.brand.id) return null;
  const currency = s.currency ?? ctx.settings.currency.toLowerCase();
  return payments.opened(kernel.db, { brandId: ctx.brand.id, invoiceId, subjectId: inv.subjectId, reference: s.id, amount: fromMinor(s.amount_total ?? 0, currency), currency, mode: s.livemode ? 'live' : 'test' });
}

/**
 * ESM-2: the person who paid on Stripe's page, when not the client (another e-mail address): first and last name
 * from Checkout's one name field (all but the last word, the last word); a missing name is recorded as '-', since
 * the platform's payer record needs both and Stripe only collects a name for some payment methods.
 */
export function thirdPartyPayer(details: Stripe.Checkout.Session.CustomerDetails | null | undefined, clientEmail: string | undefined): { firstname: string; lastname: string; email: string } | undefined {
  const email = details?.email?.trim();
  if (!email || !clientEmail || email.toLowerCase() === clientEmail.trim().toLowerCase()) return undefined;
  const words = (details?.name ?? '').trim().split(/\s+/).filter(Boolean);
  const lastname = words.length ? words[words.length - 1] : '-';
  const firstname = words.length > 1 ? words.slice(0, -1).join(' ') : '-';
  return { firstname: firstname.slice(0, 100), lastname: lastname.slice(0, 100), email };
}

/** Pays the platform invoice once (a second call finds it paid); answers the payer's subject, if a third party paid. */
async function payInvoice(kernel: Kernel, ctx: BrandContext, invoiceId: number, s: Stripe.Checkout.Session): Promise<number | null> {
  const platform = platformOf(kernel);
  let inv = await platform.invoice(invoiceId);
  if (inv.status === 'unpaid') {
    const client = await platform.client(inv.clientId).catch(() => undefined);
    const payer = thirdPartyPayer(s.customer_details, client?.details?.email);
    try {
      await platform.pay(invoiceId, payer ? { payer } : {}, { actor: 'gateways/stripe' });
    } catch (err) {
      // Paid a moment ago by the other path (return page or webhook): what it recorded stands.
      if (!(err instanceof SuiteError && err.code === 'SUITE_PLATFORM_STATE')) throw err;
    }
    inv = await platform.invoice(invoiceId);
  }
  if (inv.payerId === null) return null;
  return (await kernel.subjects.findByExternal(ctx.brand.id, 'payer', inv.payerId))?.id ?? null;
}

/** A paid session: InvoicePaid once, the payment paid, the card's token kept for whoever paid. */
export async function applyPaid(kernel: Kernel, ctx: BrandContext, row: PaymentRow, event: EventRef, expanded: () => Promise<Stripe.Checkout.Session>): Promise<WebhookOutcome | null> {
  let session: Stripe.Checkout.Session | undefined;
  let payerSubject: number | null = null;
  return run(kernel, ctx, event, {
    outside: async () => {
      session = await expanded();
      payerSubject = await payInvoice(kernel, ctx, row.invoiceId, session);
    },
    inside: async (trx) => {
      const status = await locked(trx, row.id);
      if (status === 'paid' || status === 'refunded' || status === 'partially-refunded') return true;
      const s = session!;
      const pi = typeof s.payment_intent === 'object' ? s.payment_intent : null;
      const subjectId = payerSubject ?? row.subjectId;
      await payments.update(trx, row.id, { status: 'paid', transactionId: idOf(s.payment_intent), subjectId, failureCode: null });
      const pm = pi && typeof pi.payment_method === 'object' ? pi.payment_method : null;
      if (subjectId === null || !pm) return true;
      const store = new PaymentTokens('stripe', kernel.keyring);
      let customerId = idOf(s.customer) ?? idOf(pm.customer) ?? undefined;
      // ESM-2: a third party who paid at a checkout opened with the client's saved customer: their card must not stay
      // on the client's customer (nor the client's customer id in their token): it is detached, through the outbox (purpose
      // 'legal', as erasure notices: it keeps one person's card out of another's account, and goes even while restricted).
      if (customerId && (await store.subjectsOfCustomer(trx, ctx.brand.id, customerId)).some((id) => id !== subjectId)) {
        customerId = undefined;
        await kernel.outbox.enqueue(trx, ctx.profile, {
          brandId: ctx.brand.id, topic: DETACH_PAYMENT_METHOD, recipient: ctx.settings.recipient, purpose: 'legal', subjectId,
          categories: ['payment-token'], payload: { paymentMethodId: pm.id }, idempotencyKey: `${DETACH_PAYMENT_METHOD}:${ctx.brand.id}:${pm.id}`,
        });
      }
      const card = pm.card;
      await store.save(trx, { brandId: ctx.brand.id, subjectId, token: { customerId, paymentMethodId: pm.id, cardBrand: card?.brand, last4: card?.last4, expMonth: card?.exp_month, expYear: card?.exp_year } });
      return true;
    },
  });
}

/** A declined payment: the invoice stays unpaid; only Stripe's decline code (never its message) is kept. */
export async function applyDeclined(kernel: Kernel, ctx: BrandContext, row: PaymentRow, event: EventRef, p: { code: string; paymentIntent: string | null }): Promise<WebhookOutcome | null> {
  return run(kernel, ctx, event, {
    inside: async (trx) => {
      const status = await locked(trx, row.id);
      if (status !== 'pending' && status !== 'declined') return true;
      await payments.update(trx, row.id, { status: 'declined', failureCode: p.code, ...(p.paymentIntent ? { transactionId: p.paymentIntent } : {}) });
      return true;
    },
  });
}

/** Refunded amounts as Stripe reports them on the charge (absolute, so never counted twice; never lowered). */
export async function applyRefunded(kernel: Kernel, ctx: BrandContext, event: EventRef, charge: Stripe.Charge): Promise<WebhookOutcome | null> {
  return run(kernel, ctx, event, {
    inside: async (trx) => {
      const pi = idOf(charge.payment_intent);
      const row = pi ? await payments.byTransaction(trx, ctx.brand.id, pi) : undefined;
      if (!row) return false;
      await locked(trx, row.id);
      const refunded = fromMinor(charge.amount_refunded, charge.currency);
      const current = (await payments.byReference(trx, ctx.brand.id, row.reference))!;
      if (refunded <= current.refunded) return true;
      await payments.update(trx, row.id, { refunded, status: charge.amount_refunded >= charge.amount ? 'refunded' : 'partially-refunded' });
      return true;
    },
  });
}

/** The latest payment of an invoice still open or declined (a failed PaymentIntent names the invoice in its metadata). */
export async function openRowOfInvoice(db: Knex, brandId: number, invoiceId: number): Promise<PaymentRow | undefined> {
  const r = (await db(TABLE).where({ brand_id: brandId, invoice_id: invoiceId }).whereIn('status', ['pending', 'declined']).orderBy('id', 'desc').first('reference')) as { reference: string } | undefined;
  return r ? payments.byReference(db, brandId, r.reference) : undefined;
}
