/** The disclosure log: every transfer of personal data to a recipient, with its purpose. Hash-chained (MS-5.1, WSM-12). */
import type { Knex } from 'knex';
import { HashChain } from '../chain/hash-chain';
import type { DataCategory, PrivacyProfile } from '../profile/schema';
import { requireTransfer } from './processing-register';

export const disclosureChain = new HashChain('disclosure_log', ['brand_id', 'subject_id', 'recipient', 'purpose', 'categories', 'fields', 'reference', 'actor']);

/** One transfer to record. `fields` are field names, never values. */
export interface Disclosure {
  brandId: number;
  subjectId: number | null;
  recipient: string;
  purpose: string;
  categories: DataCategory[];
  fields: string[];
  reference?: string;
  actor?: string;
}

/** Records a transfer inside `trx`, after checking the recipient and purpose are registered for the brand. */
export async function recordDisclosure(trx: Knex.Transaction, profile: PrivacyProfile, d: Disclosure): Promise<number> {
  requireTransfer(profile, d.recipient, d.purpose);
  const { id } = await disclosureChain.append(trx, {
    brand_id: d.brandId, subject_id: d.subjectId, recipient: d.recipient, purpose: d.purpose,
    categories: JSON.stringify([...d.categories].sort()), fields: JSON.stringify([...d.fields].sort()), reference: d.reference ?? null, actor: d.actor ?? 'system',
  });
  return id;
}
