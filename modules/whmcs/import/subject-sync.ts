/**
 * Writes a page of WHMCS records into the subject register the way the ClientAdd / ContactAdd hooks would, but only
 * where something differs: a subject whose stored fields already hold WHMCS's values is not touched (the register's
 * upsert would move `updated_at` and re-encrypt), so a second import over an unchanged WHMCS writes nothing. An erased
 * subject is never brought back (MS-8f).
 */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import { SubjectService, type SubjectKind, type SubjectStatus } from '../../../core/subjects/subject-service';
import type { PageCounts } from './import-context';

/** One record to bring in: the panel's id, its parent subject (a contact's client) and the fields as a hook sends them. */
export interface SubjectRecord { externalId: string; parentId?: number | null; fields: Record<string, unknown>; closed?: boolean }

/** A known subject of the page: id and status by panel id. */
export type KnownSubjects = Map<string, { id: number; status: SubjectStatus }>;

/** The brand's subjects of `kind` with these panel ids. */
export async function knownSubjects(trx: Knex | Knex.Transaction, brandId: number, kind: SubjectKind, externalIds: string[]): Promise<KnownSubjects> {
  if (!externalIds.length) return new Map();
  const rows = (await trx('subjects').where({ brand_id: brandId, kind }).whereIn('external_id', [...new Set(externalIds)]).select('id', 'external_id', 'status')) as { id: number; external_id: string; status: SubjectStatus }[];
  return new Map(rows.map((r) => [String(r.external_id), { id: Number(r.id), status: r.status }]));
}

/** Stored field values (decrypted) of the subjects, by subject id. */
async function storedFields(kernel: Kernel, trx: Knex.Transaction, ids: number[]): Promise<Map<number, Map<string, string>>> {
  const out = new Map<number, Map<string, string>>();
  if (!ids.length) return out;
  const rows = (await trx('subject_fields').whereIn('subject_id', ids).select('subject_id', 'field', 'value_enc')) as { subject_id: number; field: string; value_enc: string }[];
  for (const r of rows) {
    const id = Number(r.subject_id);
    if (!out.has(id)) out.set(id, new Map());
    out.get(id)!.set(r.field, kernel.keyring.decryptSync(r.value_enc));
  }
  return out;
}

/** Brings the records in; answers the counts and each record's subject id (erased ones absent). */
export async function syncSubjects(kernel: Kernel, trx: Knex.Transaction, brandId: number, kind: SubjectKind, records: SubjectRecord[]): Promise<PageCounts & { ids: Map<string, number> }> {
  const known = await knownSubjects(trx, brandId, kind, records.map((r) => r.externalId));
  const stored = await storedFields(kernel, trx, [...known.values()].filter((s) => s.status !== 'erased').map((s) => s.id));
  const out = { written: 0, unchanged: 0, skipped: 0, ids: new Map<string, number>() };
  for (const r of records) {
    const k = known.get(r.externalId);
    if (k?.status === 'erased') {
      out.skipped++;
      continue;
    }
    const input = { brandId, kind, externalId: r.externalId, parentId: r.parentId ?? null, fields: r.fields };
    const have = k ? stored.get(k.id) : undefined;
    const same = Boolean(k) && SubjectService.classify(input).every((f) => have?.get(f.name) === f.value);
    const close = Boolean(r.closed) && k?.status !== 'closed';
    let id = k?.id;
    if (!same) id = (await kernel.subjects.upsert(trx, input)).id;
    if (close) await kernel.subjects.setStatus(trx, id!, 'closed');
    out.ids.set(r.externalId, id!);
    if (same && !close) out.unchanged++;
    else out.written++;
  }
  return out;
}
