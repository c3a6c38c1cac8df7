/** What the platform holds about one subject (client, contact or third-party payer), for export and erasure. */
import type { Knex } from 'knex';
import type { ExportRecordSet, PersonalDataProvider } from '../../core/modules/define-module';
import { eraseOne } from '../../core/modules/erase-one';
import type { Kernel } from '../../core/kernel';
import { unseal } from './store';
import { rectifyPlatformRecord } from './rectify-record';
import { platformEraseMany } from './erase-many';

type Db = Knex | Knex.Transaction;

async function clientExport(kernel: Kernel, db: Db, brandId: number, clientId: number, sync: boolean): Promise<Record<string, unknown>> {
  const c = await db('platform_clients').where({ id: clientId, brand_id: brandId }).first();
  if (!c) return {};
  const contacts = await db('platform_contacts').where({ client_id: clientId }).orderBy('id');
  const services = await db('platform_services').where({ client_id: clientId }).orderBy('id').select('id', 'product', 'domain', 'status', 'amount', 'created_at');
  const domains = await db('platform_domains').where({ client_id: clientId }).orderBy('id').select('id', 'name', 'status', 'idprotection', 'expiry_at', 'created_at');
  const invoices = await db('platform_invoices').where({ client_id: clientId }).orderBy('id').select('id', 'total', 'status', 'paid_at', 'created_at');
  const out: Record<string, unknown>[] = [];
  for (const ct of contacts) out.push({ id: Number(ct.id), details: await unseal(kernel.keyring, ct.personal_enc, sync) });
  return {
    client: { id: Number(c.id), status: c.status, createdAt: Number(c.created_at), closedAt: c.closed_at === null ? null : Number(c.closed_at), details: await unseal(kernel.keyring, c.personal_enc, sync) },
    contacts: out,
    services: services.map((s: Record<string, unknown>) => ({ id: Number(s.id), product: s.product, domain: s.domain, status: s.status, amount: Number(s.amount), createdAt: Number(s.created_at) })),
    domains: domains.map((x: Record<string, unknown>) => ({ id: Number(x.id), name: x.name, status: x.status, idprotection: Boolean(x.idprotection), expiryAt: x.expiry_at === null ? null : Number(x.expiry_at) })),
    invoices: invoices.map((i: Record<string, unknown>) => ({ id: Number(i.id), total: Number(i.total), status: i.status, paidAt: i.paid_at === null ? null : Number(i.paid_at) })),
  };
}

async function payerExport(kernel: Kernel, db: Db, brandId: number, payerId: number, sync: boolean): Promise<Record<string, unknown>> {
  const p = await db('platform_payers').where({ id: payerId, brand_id: brandId }).first();
  if (!p) return {};
  const paid = await db('platform_invoices').where({ payer_id: payerId }).orderBy('id').select('id', 'total', 'paid_at');
  return {
    payer: { id: Number(p.id), createdAt: Number(p.created_at), details: await unseal(kernel.keyring, p.personal_enc, sync) },
    invoicesPaid: paid.map((i: Record<string, unknown>) => ({ id: Number(i.id), total: Number(i.total), paidAt: i.paid_at === null ? null : Number(i.paid_at) })),
  };
}

async function contactExport(kernel: Kernel, db: Db, brandId: number, contactId: number, sync: boolean): Promise<Record<string, unknown>> {
  const ct = await db('platform_contacts as c').join('platform_clients as k', 'k.id', 'c.client_id').where({ 'c.id': contactId, 'k.brand_id': brandId }).first('c.id', 'c.client_id', 'c.personal_enc');
  if (!ct) return {};
  return { contact: { id: Number(ct.id), clientId: Number(ct.client_id), details: await unseal(kernel.keyring, ct.personal_enc, sync) } };
}

/** Rows fetched per query when streaming a record set (keyset pagination: WHERE id > last ORDER BY id). */
export const RECORD_BATCH = 1000;

/**
 * Streams `table`'s rows matching `where`, oldest first, `RECORD_BATCH` at a time, never the whole set at once; the
 * next batch is asked for while the current one is consumed (on MySQL the round trip overlaps the work).
 */
async function* keyset<T>(db: Knex, table: string, where: Record<string, unknown>, columns: string[], map: (r: Record<string, unknown>) => Promise<T> | T): AsyncGenerator<T> {
  const fetch = (after: number): Promise<Record<string, unknown>[]> => db(table).where(where).andWhere('id', '>', after).orderBy('id').limit(RECORD_BATCH).select(columns).then((r) => r as Record<string, unknown>[]);
  let next: Promise<Record<string, unknown>[]> | null = fetch(0);
  try {
    while (next) {
      const rows: Record<string, unknown>[] = await next;
      next = rows.length < RECORD_BATCH ? null : fetch(Number(rows[rows.length - 1].id));
      for (const r of rows) yield await map(r);
    }
  } finally {
    next?.catch(() => undefined); // abandoned early: the prefetched batch is dropped
  }
}

const ms = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A client's long record sets: invoices (billing) and the activity log with IPs (usage); rows are read only when iterated. */
async function* clientRecords(kernel: Kernel, brandId: number, clientId: number): AsyncGenerator<ExportRecordSet> {
  const own = await kernel.db('platform_clients').where({ id: clientId, brand_id: brandId }).first('id');
  if (!own) return;
  yield {
    name: 'invoices', category: 'billing',
    rows: keyset(kernel.db, 'platform_invoices', { client_id: clientId }, ['id', 'order_id', 'payer_id', 'total', 'status', 'paid_at', 'created_at'], (i) => ({
      id: Number(i.id), orderId: ms(i.order_id), paidByThirdParty: i.payer_id !== null, total: Number(i.total), status: i.status, createdAt: Number(i.created_at), paidAt: ms(i.paid_at),
    })),
  };
  yield {
    name: 'activity', category: 'usage',
    rows: keyset(kernel.db, 'platform_activity_log', { client_id: clientId }, ['id', 'action', 'ip_enc', 'created_at'], async (a) => ({
      id: Number(a.id), action: a.action, ip: a.ip_enc ? await kernel.keyring.decrypt(String(a.ip_enc)) : null, at: Number(a.created_at),
    })),
  };
}

/** Export and erase for the platform's tables; payers are handled on their own, apart from the clients they paid for (ESM-2). */
export const platformPersonalData: PersonalDataProvider = {
  async export(subjectId, { kernel, trx }) {
    const db = trx ?? kernel.db;
    const s = await kernel.subjects.get(subjectId, db);
    const id = Number(s.externalId);
    if (s.kind === 'client') return clientExport(kernel, db, s.brandId, id, Boolean(trx));
    if (s.kind === 'payer') return payerExport(kernel, db, s.brandId, id, Boolean(trx));
    return contactExport(kernel, db, s.brandId, id, Boolean(trx));
  },
  async *records(subjectId, { kernel }) {
    const s = await kernel.subjects.get(subjectId);
    if (s.kind === 'client') yield* clientRecords(kernel, s.brandId, Number(s.externalId));
  },
  rectify(subjectId, changes, { kernel, trx }) {
    return rectifyPlatformRecord(kernel, trx, subjectId, changes);
  },
  erase: eraseOne(platformEraseMany),
  eraseMany: platformEraseMany,
  /** Retention (MS-9): usage records — the activity log with its IPs — of the subjects' client accounts, at or before `until` if given. */
  async expire(category, subjectIds, { trx, brand, until }) {
    if (category !== 'usage' || !subjectIds.length) return 0;
    const clients = ((await trx('subjects').whereIn('id', subjectIds).where({ brand_id: brand.id, kind: 'client' }).pluck('external_id')) as string[]).map(Number);
    if (!clients.length) return 0;
    let q = trx('platform_activity_log').where({ brand_id: brand.id }).whereIn('client_id', clients);
    if (until !== undefined) q = q.andWhere('created_at', '<=', until);
    return q.delete();
  },
};
