/**
 * TOS-1.4: before a subject's personal fields are wiped, each of their invoices is copied into
 * rights_statutory_records with only what the law needs on an invoice (number, date, total, status, and the billing
 * name, company, address, country and tax id), encrypted, with the legal basis and the date it may be deleted:
 * the end of the calendar year of the invoice date (a payer's: the payment date) plus the brand's statutory period.
 */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import type { Subject } from '../../../core/subjects/subject-service';
import type { ErasurePlan } from './erasure-plan';

/** Where the billing records come from (the reference platform's invoices). */
export const INVOICE_SOURCE = 'platform_invoices';

/** The billing details an invoice must show, taken from the subject's fields. */
export interface BillingDetails { name?: string; company?: string; address?: string[]; country?: string; taxId?: string }

/** What a statutory record holds (decrypted). */
export interface StatutoryFields {
  invoice: { id: number; date: string; total: number; status: string; paidAt: string | null };
  role: 'customer' | 'payer';
  billing: BillingDetails;
}

/**
 * When a record dated `ms` may go: the end (UTC) of the calendar year it falls in, plus `years`. Statutory periods run
 * from the end of the year the record was made (DE § 147(4) AO, § 14b UStG) or of the accounting period (GB, US), so
 * the end of the calendar year is the earliest date every one of them allows.
 */
export function retentionEnd(ms: number, years: number): number {
  return Date.UTC(new Date(ms).getUTCFullYear() + years, 11, 31, 23, 59, 59, 999);
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The billing details from a subject's decrypted fields; nothing else (no email, phone, IP). */
export function billingDetails(f: Record<string, string>): BillingDetails {
  const out: BillingDetails = {};
  const name = [f.firstname, f.lastname].filter(Boolean).join(' ').trim();
  if (name) out.name = name;
  if (f.companyname) out.company = f.companyname;
  const cityLine = [f.postcode, f.city].filter(Boolean).join(' ').trim();
  const address = [f.address1, f.address2, cityLine, f.state].filter((x): x is string => Boolean(x && x.trim()));
  if (address.length) out.address = address;
  else if (f.billing_address) out.address = [f.billing_address];
  if (f.country) out.country = f.country.toUpperCase();
  if (f.tax_id) out.taxId = f.tax_id;
  return out;
}

interface InvoiceRow { id: number; total: number | string; status: string; paid_at: number | string | null; created_at: number | string }

/**
 * Writes the statutory records of a subject's invoices in `trx` (skipping invoices already recorded for them).
 * Returns how many records the subject now holds and the latest keep-until date among them.
 */
export async function writeStatutoryRecords(kernel: Kernel, trx: Knex.Transaction, plan: ErasurePlan, subject: Subject, fields: Record<string, string>): Promise<{ records: number; keepUntil: number | null }> {
  if (!plan.platformInvoices || subject.kind === 'contact') return { records: 0, keepUntil: null };
  const payer = subject.kind === 'payer';
  const where = payer ? { payer_id: Number(subject.externalId), brand_id: subject.brandId } : { client_id: Number(subject.externalId), brand_id: subject.brandId };
  const invoices = (await trx('platform_invoices').where(where).orderBy('id').select('id', 'total', 'status', 'paid_at', 'created_at')) as InvoiceRow[];
  const held = (await trx('rights_statutory_records').where({ brand_id: subject.brandId, subject_id: subject.id }).select('record_id', 'source', 'keep_until')) as { record_id: string; source: string; keep_until: number | string }[];
  const known = new Set(held.filter((h) => h.source === INVOICE_SOURCE).map((h) => String(h.record_id)));
  let keepUntil = held.reduce<number | null>((m, h) => Math.max(m ?? 0, Number(h.keep_until)), null);
  const billing = billingDetails(fields);
  const now = Date.now();
  const rows = [];
  for (const inv of invoices) {
    if (known.has(String(inv.id))) continue;
    const created = Number(inv.created_at);
    const paidAt = inv.paid_at === null ? null : Number(inv.paid_at);
    const date = payer ? paidAt ?? created : created;
    const body: StatutoryFields = {
      invoice: { id: Number(inv.id), date: day(created), total: Number(inv.total), status: inv.status, paidAt: paidAt === null ? null : day(paidAt) },
      role: payer ? 'payer' : 'customer',
      billing,
    };
    rows.push({
      brand_id: subject.brandId, subject_id: subject.id, source: INVOICE_SOURCE, record_id: String(inv.id),
      fields_enc: kernel.keyring.encryptSync(JSON.stringify(body)), legal_basis: plan.legalBasis, keep_until: retentionEnd(date, plan.years), created_at: now,
    });
  }
  for (let i = 0; i < rows.length; i += 200) await trx('rights_statutory_records').insert(rows.slice(i, i + 200));
  for (const r of rows) keepUntil = Math.max(keepUntil ?? 0, r.keep_until);
  return { records: held.length + rows.length, keepUntil };
}

/** Deletes statutory records whose keep-until date has passed (for some brands, or all); returns how many went and stay. */
export async function deleteExpiredStatutory(db: Knex, now: number, brandIds?: number[]): Promise<{ deleted: number; remaining: number }> {
  let q = db('rights_statutory_records').where('keep_until', '<', now);
  if (brandIds) q = q.whereIn('brand_id', brandIds);
  const deleted = brandIds && brandIds.length === 0 ? 0 : await q.delete();
  let left = db('rights_statutory_records');
  if (brandIds) left = left.whereIn('brand_id', brandIds);
  const r = (await left.count({ n: '*' }).first()) as { n: number | string } | undefined;
  return { deleted, remaining: Number(r?.n ?? 0) };
}
