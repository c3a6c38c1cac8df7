/** A gateway's payment records: one row per checkout, keyed by the processor's reference; no personal data, only ids and amounts. */
import type { Knex } from 'knex';
import type { GatewayName, PaymentStatus } from './contract';
import { gatewayTables } from './tables';

/** One payment as the module and the admin list read it. */
export interface PaymentRow {
  id: number; brandId: number; invoiceId: number; subjectId: number | null; reference: string; transactionId: string | null;
  status: PaymentStatus; amount: number; refunded: number; currency: string; mode: 'test' | 'live'; failureCode: string | null;
  createdAt: number; updatedAt: number;
}

interface Raw {
  id: number; brand_id: number; invoice_id: number; subject_id: number | null; reference: string; transaction_id: string | null; status: string;
  amount: string | number; refunded: string | number; currency: string; mode: string; failure_code: string | null; created_at: number | string; updated_at: number | string;
}

const toRow = (r: Raw): PaymentRow => ({
  id: Number(r.id), brandId: Number(r.brand_id), invoiceId: Number(r.invoice_id), subjectId: r.subject_id === null ? null : Number(r.subject_id),
  reference: r.reference, transactionId: r.transaction_id, status: r.status as PaymentStatus, amount: Number(r.amount), refunded: Number(r.refunded),
  currency: r.currency, mode: r.mode as 'test' | 'live', failureCode: r.failure_code, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
});

/** The payments of one gateway. */
export class Payments {
  private readonly table: string;
  constructor(readonly gateway: GatewayName) { this.table = gatewayTables(gateway).payments; }

  /** Records an opened checkout (or leaves the existing row of the same reference as it is). */
  async opened(db: Knex | Knex.Transaction, p: { brandId: number; invoiceId: number; subjectId: number | null; reference: string; amount: number; currency: string; mode: 'test' | 'live' }): Promise<PaymentRow> {
    const found = await this.byReference(db, p.brandId, p.reference);
    if (found) return found;
    const now = Date.now();
    await db(this.table).insert({
      brand_id: p.brandId, invoice_id: p.invoiceId, subject_id: p.subjectId, reference: p.reference, transaction_id: null, status: 'pending',
      amount: p.amount, refunded: 0, currency: p.currency.toLowerCase(), mode: p.mode, failure_code: null, created_at: now, updated_at: now,
    }).onConflict(['brand_id', 'reference']).ignore();
    return (await this.byReference(db, p.brandId, p.reference))!;
  }

  async byReference(db: Knex | Knex.Transaction, brandId: number, reference: string): Promise<PaymentRow | undefined> {
    const r = (await db(this.table).where({ brand_id: brandId, reference }).first()) as Raw | undefined;
    return r ? toRow(r) : undefined;
  }

  async byTransaction(db: Knex | Knex.Transaction, brandId: number, transactionId: string): Promise<PaymentRow | undefined> {
    const r = (await db(this.table).where({ brand_id: brandId, transaction_id: transactionId }).first()) as Raw | undefined;
    return r ? toRow(r) : undefined;
  }

  /** The invoice's paid (or partly refunded) payment, the one a refund goes against. */
  async paidFor(db: Knex | Knex.Transaction, brandId: number, invoiceId: number): Promise<PaymentRow | undefined> {
    const r = (await db(this.table).where({ brand_id: brandId, invoice_id: invoiceId }).whereIn('status', ['paid', 'partially-refunded']).orderBy('id', 'desc').first()) as Raw | undefined;
    return r ? toRow(r) : undefined;
  }

  /** Sets what the processor reported; only the fields given change. */
  async update(db: Knex | Knex.Transaction, id: number, p: { status?: PaymentStatus; transactionId?: string | null; subjectId?: number | null; refunded?: number; failureCode?: string | null }): Promise<void> {
    const set: Record<string, unknown> = { updated_at: Date.now() };
    if (p.status !== undefined) set.status = p.status;
    if (p.transactionId !== undefined) set.transaction_id = p.transactionId;
    if (p.subjectId !== undefined) set.subject_id = p.subjectId;
    if (p.refunded !== undefined) set.refunded = p.refunded;
    if (p.failureCode !== undefined) set.failure_code = p.failureCode === null ? null : p.failureCode.slice(0, 80);
    await db(this.table).where({ id }).update(set);
  }

  /** A page of a brand's payments, newest first (the admin's transaction list). */
  async list(db: Knex, brandId: number, opts: { limit?: number; offset?: number; status?: PaymentStatus } = {}): Promise<{ rows: PaymentRow[]; total: number }> {
    const base = db(this.table).where({ brand_id: brandId });
    if (opts.status) base.where({ status: opts.status });
    const [rows, count] = await Promise.all([
      base.clone().orderBy('id', 'desc').limit(Math.min(opts.limit ?? 50, 500)).offset(opts.offset ?? 0).select() as Promise<Raw[]>,
      base.clone().count({ n: '*' }).first() as Promise<{ n: number | string } | undefined>,
    ]);
    return { rows: rows.map(toRow), total: Number(count?.n ?? 0) };
  }

  /** The payments a subject made (export). */
  async ofSubjects(db: Knex | Knex.Transaction, subjectIds: number[]): Promise<PaymentRow[]> {
    if (!subjectIds.length) return [];
    return ((await db(this.table).whereIn('subject_id', subjectIds).orderBy('id')) as Raw[]).map(toRow);
  }
}
