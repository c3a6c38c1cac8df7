/**
 * Rectification of the platform's own record (MS-8e): the client's, contact's or payer's sealed details get the
 * corrected values (validated with the platform's schemas, so the record stays one the platform can use), and the
 * email's blind index follows a new address. The platform tells no one else: the rights module walks the modules.
 */
import type { Knex } from 'knex';
import type { Kernel } from '../../core/kernel';
import type { RectifyOutcome } from '../../core/modules/define-module';
import { stateError } from './errors';
import { PayerDetails, PersonalDetails, parse } from './schemas';
import { seal, unseal } from './store';

const PAYER_FIELDS = new Set(Object.keys(PayerDetails.shape));
const PERSON_FIELDS = new Set(Object.keys(PersonalDetails.shape));

/** The record's table and row for a subject kind, with the brand check (contacts through their client). */
function rowQuery(trx: Knex.Transaction, kind: string, id: number, brandId: number): Knex.QueryBuilder {
  if (kind === 'payer') return trx('platform_payers').where({ id, brand_id: brandId });
  if (kind === 'contact') return trx('platform_contacts').where({ id }).whereIn('client_id', trx('platform_clients').where({ brand_id: brandId }).select('id'));
  return trx('platform_clients').where({ id, brand_id: brandId });
}

/** Applies `changes` to the platform record of `subjectId`; a record that is gone or erased changes nothing. */
export async function rectifyPlatformRecord(kernel: Kernel, trx: Knex.Transaction, subjectId: number, changes: Record<string, string>): Promise<RectifyOutcome> {
  const s = await kernel.subjects.get(subjectId, trx);
  const id = Number(s.externalId);
  const row = (await rowQuery(trx, s.kind, id, s.brandId).first('personal_enc')) as { personal_enc: string | null } | undefined;
  const details = row ? await unseal<Record<string, unknown>>(kernel.keyring, row.personal_enc, true) : null;
  if (!details) return { updated: [], propagated: [] };
  const allowed = s.kind === 'payer' ? PAYER_FIELDS : PERSON_FIELDS;
  const fields = Object.keys(changes).filter((f) => allowed.has(f) && details[f] !== changes[f]);
  if (!fields.length) return { updated: [], propagated: [] };
  const merged: Record<string, unknown> = { ...details };
  for (const f of fields) merged[f] = changes[f];
  const checked = s.kind === 'payer' ? parse(PayerDetails, merged, 'changes') : parse(PersonalDetails, merged, 'changes');
  const patch: Record<string, unknown> = { personal_enc: seal(kernel.keyring, checked) };
  if (fields.includes('email')) {
    patch.email_hash = kernel.keyring.blindIndex(checked.email);
    if (s.kind === 'client' && (await trx('platform_clients').where({ brand_id: s.brandId, email_hash: patch.email_hash }).whereNot({ id }).first('id'))) {
      throw stateError('updateClient', 'emailTaken');
    }
  }
  if (s.kind === 'client') patch.updated_at = Date.now();
  await rowQuery(trx, s.kind, id, s.brandId).update(patch);
  return { updated: fields.sort(), propagated: [] };
}
