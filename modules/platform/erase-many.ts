/**
 * The platform's erasure, of one subject or many of one brand at once (`erase(id)` is `eraseMany([id])`; the batch
 * erasure the retention sweep uses passes many): two statements per table.
 */
import type { Knex } from 'knex';
import type { EraseOutcome } from '../../core/modules/define-module';
import type { EraseMany } from '../../core/modules/erase-one';

/** What the platform keeps of an erased payer. */
export const PAYER_KEPT = 'payer id on the invoices it paid (accounting record, no personal fields)';
/** What the platform keeps of an erased client. */
export const CLIENT_KEPT = ['invoices (statutory retention)', 'services and domains (product, name, status) without personal fields'];

/** Rows of `q` per value of `column` (e.g. contacts per client), one grouped query. */
async function countBy(q: Knex.QueryBuilder, column: string): Promise<Map<number, number>> {
  const rows = (await q.groupBy(column).select(column).count({ n: '*' })) as Record<string, number | string>[];
  return new Map(rows.map((r) => [Number(r[column]), Number(r.n)]));
}

/** The ids among `ids` that `q` (a select of `id`) finds. */
async function found(q: Knex.QueryBuilder): Promise<number[]> {
  return ((await q.pluck('id')) as (number | string)[]).map(Number);
}

/** `eraseMany` (and so `erase`) for the platform's tables (clients with their contacts and activity log, contacts, third-party payers). */
export const platformEraseMany: EraseMany = async (subjectIds, { trx, brand, known }) => {
  const subjects = known
    ? subjectIds.flatMap((id) => { const s = known.subjects.get(id); return s ? [{ id, kind: s.kind, external_id: s.externalId }] : []; })
    : ((await trx('subjects').whereIn('id', subjectIds).select('id', 'kind', 'external_id')) as { id: number; kind: string; external_id: string }[]);
  const byKind = { client: new Map<number, number>(), contact: new Map<number, number>(), payer: new Map<number, number>() };
  for (const s of subjects) {
    const ext = Number(s.external_id);
    if (Number.isSafeInteger(ext)) byKind[s.kind as keyof typeof byKind]?.set(ext, Number(s.id)); // else no platform row is theirs
  }
  const out = new Map<number, EraseOutcome>();
  const wipe = { personal_enc: null, email_hash: null };

  const payers = byKind.payer.size ? await found(trx('platform_payers').whereIn('id', [...byKind.payer.keys()]).where({ brand_id: brand.id })) : [];
  if (payers.length) await trx('platform_payers').whereIn('id', payers).update(wipe);
  const payerHit = new Set(payers);
  for (const [ext, sid] of byKind.payer) out.set(sid, { erased: payerHit.has(ext) ? 1 : 0, kept: [PAYER_KEPT] });

  const brandClients = trx('platform_clients').where({ brand_id: brand.id }).select('id');
  const contacts = byKind.contact.size ? await found(trx('platform_contacts').whereIn('id', [...byKind.contact.keys()]).whereIn('client_id', brandClients)) : [];
  if (contacts.length) await trx('platform_contacts').whereIn('id', contacts).update(wipe);
  const contactHit = new Set(contacts);
  for (const [ext, sid] of byKind.contact) out.set(sid, { erased: contactHit.has(ext) ? 1 : 0, kept: [] });

  const clients = byKind.client.size ? await found(trx('platform_clients').whereIn('id', [...byKind.client.keys()]).where({ brand_id: brand.id })) : [];
  let contactsOf = new Map<number, number>();
  let activityOf = new Map<number, number>();
  if (clients.length) {
    await trx('platform_clients').whereIn('id', clients).update({ ...wipe, password_hash: null, updated_at: Date.now() });
    contactsOf = await countBy(trx('platform_contacts').whereIn('client_id', clients), 'client_id');
    if (contactsOf.size) await trx('platform_contacts').whereIn('client_id', clients).update(wipe);
    activityOf = await countBy(trx('platform_activity_log').whereIn('client_id', clients).where({ brand_id: brand.id }), 'client_id');
    if (activityOf.size) await trx('platform_activity_log').whereIn('client_id', clients).where({ brand_id: brand.id }).delete();
  }
  const clientHit = new Set(clients);
  for (const [ext, sid] of byKind.client) {
    out.set(sid, clientHit.has(ext) ? { erased: 1 + (contactsOf.get(ext) ?? 0) + (activityOf.get(ext) ?? 0), kept: [...CLIENT_KEPT] } : { erased: 0, kept: [] });
  }
  return out;
};
