/**
 * The erased-subject suppression list: keyed hashes only (of the email, and of kind + panel id), so a record the panel
 * sends again for someone already erased can be recognised without keeping anything readable about them.
 */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import type { SubjectKind } from '../../../core/subjects/subject-service';

/** Keyed hash of an erased person's email (trimmed, lower-cased). */
export function erasedEmailHash(kernel: Kernel, email: string): string {
  return kernel.keyring.blindIndex(email.trim().toLowerCase(), 'rights-erased');
}

/** Keyed hash of the panel's reference for an erased subject (brand, kind and panel id). */
export function erasedSubjectHash(kernel: Kernel, brandId: number, kind: SubjectKind, externalId: string | number): string {
  return kernel.keyring.blindIndex(`${brandId}:${kind}:${String(externalId)}`, 'rights-erased-subject');
}

/** Writes the suppression row of one erased subject in `trx`. */
export async function suppressErased(kernel: Kernel, trx: Knex.Transaction, s: { brandId: number; kind: SubjectKind; externalId: string; email?: string; requestId?: number | null; at: number }): Promise<void> {
  await trx('rights_suppression').insert({
    brand_id: s.brandId, email_hash: s.email ? erasedEmailHash(kernel, s.email) : null, subject_hash: erasedSubjectHash(kernel, s.brandId, s.kind, s.externalId),
    request_id: s.requestId ?? null, erased_at: s.at,
  });
}

/** Whether a person (by email, or by the panel's kind and id) was erased on a brand. */
export async function wasErased(kernel: Kernel, db: Knex | Knex.Transaction, brandId: number, who: { email?: string; kind?: SubjectKind; externalId?: string | number }): Promise<boolean> {
  const hashes: { col: 'email_hash' | 'subject_hash'; value: string }[] = [];
  if (who.email) hashes.push({ col: 'email_hash', value: erasedEmailHash(kernel, who.email) });
  if (who.kind && who.externalId !== undefined) hashes.push({ col: 'subject_hash', value: erasedSubjectHash(kernel, brandId, who.kind, who.externalId) });
  if (!hashes.length) return false;
  const row = await db('rights_suppression').where({ brand_id: brandId }).andWhere((q) => {
    for (const h of hashes) q.orWhere(h.col, h.value);
  }).first('id');
  return Boolean(row);
}
