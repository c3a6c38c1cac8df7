/**
 * TOS-1.4 for a batch erasure: the statutory billing records of many subjects of one brand in one select of their
 * invoices (two when the batch holds third-party payers) and one bulk insert — the same records, fields, legal basis
 * and keep-until dates as writeStatutoryRecords writes for each of them on its own.
 */
import type { Knex } from 'knex';
import { insertMany } from '../../../core/db/insert-many';
import type { Kernel } from '../../../core/kernel';
import type { Subject } from '../../../core/subjects/subject-service';

/** The subject facts the records need. */
export type StatutorySubject = Pick<Subject, 'id' | 'kind' | 'externalId'>;
import type { ErasurePlan } from './erasure-plan';
import { billingDetails, INVOICE_SOURCE, retentionEnd, type StatutoryFields } from './statutory-records';

/** What a subject holds in statutory records after the batch, as writeStatutoryRecords answers it. */
export interface StatutoryOutcome { records: number; keepUntil: number | null }

interface InvoiceRow { id: number; client_id: number; payer_id: number | null; total: number | string; status: string; paid_at: number | string | null; created_at: number | string }

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The invoices of the batch's clients and payers, oldest first, per subject. */
async function invoicesOf(trx: Knex.Transaction, brandId: number, subjects: StatutorySubject[]): Promise<Map<number, InvoiceRow[]>> {
  const clients = new Map<number, number>();
  const payers = new Map<number, number>();
  for (const s of subjects) (s.kind === 'payer' ? payers : clients).set(Number(s.externalId), s.id);
  const cols = ['id', 'client_id', 'payer_id', 'total', 'status', 'paid_at', 'created_at'];
  const out = new Map<number, InvoiceRow[]>(subjects.map((s) => [s.id, []]));
  const add = (rows: InvoiceRow[], key: 'client_id' | 'payer_id', by: Map<number, number>): void => {
    for (const r of rows) {
      const sid = by.get(Number(r[key]));
      if (sid !== undefined) out.get(sid)!.push(r);
    }
  };
  const ids = (m: Map<number, number>): number[] => [...m.keys()].filter(Number.isFinite);
  if (clients.size) add((await trx('platform_invoices').where({ brand_id: brandId }).whereIn('client_id', ids(clients)).orderBy('id').select(cols)) as InvoiceRow[], 'client_id', clients);
  if (payers.size) add((await trx('platform_invoices').where({ brand_id: brandId }).whereIn('payer_id', ids(payers)).orderBy('id').select(cols)) as InvoiceRow[], 'payer_id', payers);
  return out;
}

/**
 * Writes the statutory records of the batch's subjects in `trx` (contacts hold none; invoices already recorded for a
 * subject are skipped) and answers per subject how many records it now holds and the latest keep-until date.
 */
export async function writeStatutoryRecordsMany(kernel: Kernel, trx: Knex.Transaction, plan: ErasurePlan, subjects: StatutorySubject[], fields: Map<number, Record<string, string>>): Promise<Map<number, StatutoryOutcome>> {
  const out = new Map<number, StatutoryOutcome>(subjects.map((s) => [s.id, { records: 0, keepUntil: null }]));
  const holders = plan.platformInvoices ? subjects.filter((s) => s.kind !== 'contact') : [];
  if (!holders.length) return out;
  const brandId = plan.brand.id;
  const invoices = await invoicesOf(trx, brandId, holders);
  // By subject id alone, the brand checked here: with `brand_id` in the condition MariaDB may walk the brand's index,
  // which grows with every batch the sweep writes (subject ids belong to one brand anyway).
  const held = ((await trx('rights_statutory_records').whereIn('subject_id', holders.map((s) => s.id)).select('brand_id', 'subject_id', 'record_id', 'source', 'keep_until')) as { brand_id: number | string; subject_id: number; record_id: string; source: string; keep_until: number | string }[])
    .filter((h) => Number(h.brand_id) === brandId);
  const heldBy = new Map<number, typeof held>();
  for (const h of held) heldBy.set(Number(h.subject_id), [...(heldBy.get(Number(h.subject_id)) ?? []), h]);
  const now = Date.now();
  const rows: Record<string, unknown>[] = [];
  for (const s of holders) {
    const mine = heldBy.get(s.id) ?? [];
    const known = new Set(mine.filter((h) => h.source === INVOICE_SOURCE).map((h) => String(h.record_id)));
    let keepUntil = mine.reduce<number | null>((m, h) => Math.max(m ?? 0, Number(h.keep_until)), null);
    const payer = s.kind === 'payer';
    const billing = billingDetails(fields.get(s.id) ?? {});
    let written = 0;
    for (const inv of invoices.get(s.id) ?? []) {
      if (known.has(String(inv.id))) continue;
      const created = Number(inv.created_at);
      const paidAt = inv.paid_at === null ? null : Number(inv.paid_at);
      const body: StatutoryFields = {
        invoice: { id: Number(inv.id), date: day(created), total: Number(inv.total), status: inv.status, paidAt: paidAt === null ? null : day(paidAt) },
        role: payer ? 'payer' : 'customer',
        billing,
      };
      const until = retentionEnd(payer ? paidAt ?? created : created, plan.years);
      rows.push({
        brand_id: brandId, subject_id: s.id, source: INVOICE_SOURCE, record_id: String(inv.id),
        fields_enc: kernel.keyring.encryptSync(JSON.stringify(body)), legal_basis: plan.legalBasis, keep_until: until, created_at: now,
      });
      keepUntil = Math.max(keepUntil ?? 0, until);
      written++;
    }
    out.set(s.id, { records: mine.length + written, keepUntil });
  }
  await insertMany(trx, 'rights_statutory_records', rows);
  return out;
}
