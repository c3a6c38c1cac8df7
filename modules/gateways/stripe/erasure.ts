/**
 * What an erasure and a rectification send to Stripe, queued in their own transaction through the outbox (recipient
 * 'stripe', purpose 'legal', allowed while processing is restricted) and retried until Stripe answers: each Stripe
 * customer of the subject is deleted (or corrected); for a WHMCS client of a brand that writes back, the customers
 * WHMCS's own Stripe gateway created are found through WHMCS's pay methods. What Stripe cannot delete is said.
 */
import type { Knex } from 'knex';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { RectifyOutcome } from '../../../core/modules/define-module';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { requireTransfer } from '../../../core/registers/processing-register';
import { whmcsWritesBack } from '../../whmcs/public';
import { Payments } from '../kit/payments';
import type { QueueErasure } from '../kit/personal-data';
import { PaymentTokens } from '../kit/tokens';
import { stripeSettings, type StripeSettings } from './settings';

export const DELETE_CUSTOMER = 'stripe.customer.delete';
export const UPDATE_CUSTOMER = 'stripe.customer.update';

/** Erasure and rectification notices go out under this purpose (Art. 17(2) / 19 duties; allowed while restricted). */
const NOTICE_PURPOSE = 'legal';

/** What stays at Stripe, and locally, after an erasure (plain sentences; the rights module words the reason). */
export const KEPT_AT_STRIPE = "at Stripe, the charges, Checkout Sessions and refunds of the person's payments (Stripe's API cannot delete them; Stripe keeps them under its own legal duties as a payment processor, for accounting and fraud prevention)";
export const KEPT_LOCALLY = 'the Stripe payment records of the invoices (Stripe ids, amounts and status, no personal fields), kept as billing records for accounting';
const notSent = (s: StripeSettings): string => `at Stripe, the customer record NOT updated: recipient "${s.recipient}" with purpose "${NOTICE_PURPOSE}" is not in the brand's register`;

/** The brand's settings when notices can go to its recipient, or the sentence saying why not. */
function target(profile: PrivacyProfile | undefined): { settings: StripeSettings; profile: PrivacyProfile } | { notSent: string } | null {
  if (!profile) return null;
  const settings = stripeSettings(profile);
  try {
    requireTransfer(profile, settings.recipient, NOTICE_PURPOSE);
  } catch {
    return { notSent: notSent(settings) };
  }
  return { settings, profile };
}

/**
 * A WHMCS client id when the subject is a WHMCS client of a brand that writes back (its Stripe customer may be WHMCS's)
 * and uses Stripe (the gateway on, or its key variable set): a brand without Stripe gets no notice it cannot deliver.
 */
function whmcsClientId(profile: PrivacyProfile, settings: StripeSettings, subject: { kind: string; externalId: string } | undefined): number | null {
  if (!subject || subject.kind !== 'client' || !/^\d+$/.test(subject.externalId)) return null;
  if (!settings.enabled && !process.env[settings.secretKeyVar]) return null;
  try {
    return whmcsWritesBack(profile) ? Number(subject.externalId) : null;
  } catch {
    return null;
  }
}

/** The provider's `queue`: one `stripe.customer.delete` per customer of each subject, and one for WHMCS's pay methods. */
export const queueStripeErasure: QueueErasure = async ({ kernel, trx, brand, profile, subjectIds, tokens, known }) => {
  const queued = new Map<number, number[]>();
  const t = target(profile);
  const paid = new Set((await new Payments('stripe').ofSubjects(trx, subjectIds)).map((p) => p.subjectId));
  const touched = new Set<number>();
  for (const id of subjectIds) {
    const customers = [...new Set(tokens.filter((x) => x.subjectId === id && x.brandId === brand.id && x.token.customerId).map((x) => x.token.customerId!))];
    if (customers.length || tokens.some((x) => x.subjectId === id) || paid.has(id)) touched.add(id);
    if (!t || 'notSent' in t) continue;
    const subject = known?.subjects.get(id) ?? (await kernel.subjects.get(id, trx).catch(() => undefined));
    const whmcs = whmcsClientId(t.profile, t.settings, subject);
    const payloads: { payload: Record<string, unknown>; key: string }[] = customers.map((c) => ({ payload: { customerId: c }, key: `${DELETE_CUSTOMER}:${brand.id}:${id}:${c}` }));
    if (whmcs !== null) payloads.push({ payload: { whmcsClientId: whmcs }, key: `${DELETE_CUSTOMER}:${brand.id}:${id}:whmcs-${whmcs}` });
    if (payloads.length) touched.add(id);
    for (const p of payloads) {
      const { id: outboxId } = await kernel.outbox.enqueue(trx, t.profile, {
        brandId: brand.id, topic: DELETE_CUSTOMER, recipient: t.settings.recipient, purpose: NOTICE_PURPOSE, subjectId: id,
        categories: ['payment-token'], payload: p.payload, idempotencyKey: p.key,
      });
      queued.set(id, [...(queued.get(id) ?? []), outboxId]);
    }
  }
  const kept = (id: number): string[] => {
    if (!touched.has(id)) return [];
    return t && 'notSent' in t ? [t.notSent, KEPT_AT_STRIPE, KEPT_LOCALLY] : [KEPT_AT_STRIPE, KEPT_LOCALLY];
  };
  return { queued, kept };
};

/** The name Stripe holds for a customer: the corrected first and last name, the other taken from the subject's fields. */
async function fullName(kernel: Kernel, trx: Knex.Transaction, subjectId: number, changes: Record<string, string>): Promise<string | undefined> {
  if (changes.firstname === undefined && changes.lastname === undefined) return undefined;
  const rows = (await trx('subject_fields').where({ subject_id: subjectId }).whereIn('field', ['firstname', 'lastname']).select('field', 'value_enc')) as { field: string; value_enc: string }[];
  const stored = Object.fromEntries(rows.map((r) => [r.field, kernel.keyring.decryptSync(r.value_enc)]));
  const name = [changes.firstname ?? stored.firstname, changes.lastname ?? stored.lastname].filter(Boolean).join(' ').trim();
  return name || undefined;
}

/** A rectification of the e-mail or name reaches each Stripe customer of the subject (customers.update), queued (MS-8e). */
export async function rectifyAtStripe(kernel: Kernel, trx: Knex.Transaction, subjectId: number, changes: Record<string, string>, brand: Brand, profile: PrivacyProfile): Promise<RectifyOutcome> {
  const t = target(profile);
  if (!t || 'notSent' in t) return { updated: [], propagated: [] };
  const tokens = await new PaymentTokens('stripe', kernel.keyring).ofSubjects(trx, [subjectId]);
  const customers = [...new Set(tokens.filter((x) => x.brandId === brand.id && x.token.customerId).map((x) => x.token.customerId!))];
  const name = await fullName(kernel, trx, subjectId, changes);
  const fields = { ...(changes.email !== undefined ? { email: changes.email } : {}), ...(name !== undefined ? { name } : {}) };
  if (!customers.length || !Object.keys(fields).length) return { updated: [], propagated: [] };
  const propagated: string[] = [];
  for (const customerId of customers) {
    const { id } = await kernel.outbox.enqueue(trx, profile, {
      brandId: brand.id, topic: UPDATE_CUSTOMER, recipient: t.settings.recipient, purpose: NOTICE_PURPOSE, subjectId,
      categories: ['contact'], payload: { customerId, ...fields },
    });
    propagated.push(`outbox:${id}`);
  }
  return { updated: [], propagated };
}
