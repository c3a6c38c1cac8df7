/**
 * Consent to publish registration data: the registrant names the fields (name, org, addr, voice, email) that may be
 * published for a domain. The consent ledger records the event (purpose `registration-publish`); this module's table
 * keeps which fields, per domain. A withdrawal in the ledger makes every field private again.
 */
import type { Knex } from 'knex';
import { validationError, fieldIssue } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { ConsentEvent, ConsentService } from '../../consent/public';
import { PUBLISH_FIELDS, type PublishField } from '../contacts/disclose';

/** The consent module's service (registrant requires consent): it keeps the ledger. */
const consent = (kernel: Kernel): ConsentService => kernel.service<ConsentService>('consent');

/** One consent to publish (an empty list withdraws it). */
export interface PublishConsentInput {
  brandId: number; subjectId: number; domain: string; fields: string[];
  method?: ConsentEvent['method']; channel?: ConsentEvent['channel']; collectionPoint?: ConsentEvent['collectionPoint']; ip?: string; userAgent?: string;
}

/** Records the consent in the ledger and the consented fields in `registrant_publish_consent`; returns the receipt id. */
export async function recordPublishConsent(kernel: Kernel, trx: Knex.Transaction, profile: PrivacyProfile, input: PublishConsentInput): Promise<{ receiptId: string; fields: PublishField[] }> {
  const bad = input.fields.filter((f) => !(PUBLISH_FIELDS as readonly string[]).includes(f));
  if (bad.length) throw validationError([fieldIssue('fields', 'validation.registrant.unknownPublishFields', { fields: bad.join(', '), allowed: PUBLISH_FIELDS.join(', ') })]);
  const fields = PUBLISH_FIELDS.filter((f) => input.fields.includes(f));
  const receipt = await consent(kernel).recordEvent(trx, profile, {
    brandId: input.brandId, subjectId: input.subjectId, purpose: 'registration-publish', action: fields.length ? 'given' : 'withdrawn',
    method: input.method ?? 'checkbox', channel: input.channel ?? 'api', collectionPoint: input.collectionPoint ?? 'privacy-center', ip: input.ip, userAgent: input.userAgent,
  });
  const domain = input.domain.toLowerCase();
  const row = { subject_id: input.subjectId, fields: JSON.stringify(fields), receipt_id: receipt.receiptId, updated_at: Date.now() };
  const n = await trx('registrant_publish_consent').where({ brand_id: input.brandId, domain }).update(row);
  if (!n) await trx('registrant_publish_consent').insert({ brand_id: input.brandId, domain, ...row });
  return { receiptId: receipt.receiptId, fields };
}

/** The fields the registrant of `domain` consented to publish (none without consent, or after a withdrawal). */
export async function publishableFields(kernel: Kernel, db: Knex | Knex.Transaction, brandId: number, domain: string): Promise<PublishField[]> {
  const r = (await db('registrant_publish_consent').where({ brand_id: brandId, domain: domain.toLowerCase() }).first()) as { subject_id: number; fields: string } | undefined;
  if (!r) return [];
  const state = await consent(kernel).purposeState(db, brandId, Number(r.subject_id));
  if (state['registration-publish']?.action !== 'given') return [];
  return JSON.parse(r.fields) as PublishField[];
}
