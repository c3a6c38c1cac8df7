/**
 * PreDeleteClient (issue 15 point 9; MS-8 erasure, TOS-1.4 statutory retention of invoices): the panel is about to
 * delete a client — WHMCS's own Data Retention pruning fires this too, and deletes the client's invoices with it.
 * Before the panel's rows go, in the same transaction: the invoices the connector read from the panel (`invoices`)
 * are copied into the statutory records with only what the law needs on an invoice (as the erasure does for the
 * suite's own panel), then the client (and its contacts) is erased exactly as an erasure does. A client the suite
 * does not know, or already erased, is left alone. The erasure plan is resolved before the transaction opens (the
 * check step), as the erasure runner does.
 */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import type { CallContext } from '../../../core/modules/define-module';
import { onHook } from '../../../core/modules/define-module';
import type { HookVars } from '../../../hooks/catalogue';
import { planErasure, type ErasurePlan } from '../erase/erasure-plan';
import { eraseInTransaction } from '../erase/erase-subject';
import { billingDetails, retentionEnd, type StatutoryFields } from '../erase/statutory-records';

/** Where these statutory records come from: the panel's invoices, as the connector passed them. */
export const PANEL_INVOICE_SOURCE = 'panel_invoices';

/** Plans resolved in the check step, by the call's request id (read once inside the transaction). */
const plans = new Map<string, ErasurePlan>();
const key = (call: CallContext, userid: number) => `${call.requestId}:${userid}`;

/** A panel date ("2026-03-01", "2026-03-01 10:00:00"); WHMCS writes "0000-00-00 …" for none. */
function panelDate(v: string | undefined): number | null {
  if (!v || v.startsWith('0000')) return null;
  const ms = Date.parse(`${v.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(ms) ? null : ms;
}

/** Copies the panel's invoices of `subjectId` into the statutory records (skipping those already copied); returns how many were written. */
async function keepPanelInvoices(kernel: Kernel, trx: Knex.Transaction, plan: ErasurePlan, brandId: number, subjectId: number, invoices: NonNullable<HookVars<'PreDeleteClient'>['invoices']>): Promise<number> {
  if (!invoices.length) return 0;
  const held = new Set(((await trx('rights_statutory_records').where({ brand_id: brandId, subject_id: subjectId, source: PANEL_INVOICE_SOURCE }).pluck('record_id')) as string[]).map(String));
  const fieldRows = (await trx('subject_fields').where({ subject_id: subjectId }).select('field', 'value_enc')) as { field: string; value_enc: string }[];
  const billing = billingDetails(Object.fromEntries(fieldRows.map((f) => [f.field, kernel.keyring.decryptSync(f.value_enc)])));
  const now = Date.now();
  const rows = [];
  for (const inv of invoices) {
    const created = panelDate(inv.date);
    if (created === null || held.has(String(inv.id))) continue;
    held.add(String(inv.id));
    const paidAt = panelDate(inv.datepaid);
    const body: StatutoryFields = {
      invoice: { id: inv.id, date: inv.date.slice(0, 10), total: inv.total, status: inv.status ?? '', paidAt: paidAt === null ? null : new Date(paidAt).toISOString().slice(0, 10) },
      role: 'customer', billing,
    };
    rows.push({
      brand_id: brandId, subject_id: subjectId, source: PANEL_INVOICE_SOURCE, record_id: String(inv.id),
      fields_enc: kernel.keyring.encryptSync(JSON.stringify(body)), legal_basis: plan.legalBasis, keep_until: retentionEnd(created, plan.years), created_at: now,
    });
  }
  for (let i = 0; i < rows.length; i += 200) await trx('rights_statutory_records').insert(rows.slice(i, i + 200));
  return rows.length;
}

export const eraseBeforeDelete = onHook('PreDeleteClient', async (ctx) => {
  const k = key(ctx.call, ctx.vars.userid);
  const plan = plans.get(k);
  plans.delete(k);
  const s = await ctx.kernel.subjects.findByExternal(ctx.brand.id, 'client', ctx.vars.userid, ctx.trx);
  if (!s) return { data: { erased: false, reason: 'subject-unknown' } };
  if (s.status === 'erased') return { data: { erased: false, reason: 'already-erased', subjectId: s.id } };
  const p = plan ?? (await planErasure(ctx.kernel, ctx.brand, ctx.profile));
  const kept = await keepPanelInvoices(ctx.kernel, ctx.trx, p, ctx.brand.id, s.id, ctx.vars.invoices ?? []);
  const result = await eraseInTransaction(ctx.kernel, ctx.trx, p, {
    brand: ctx.brand, profile: ctx.profile, subjectId: s.id, actor: { type: 'hook', id: 'PreDeleteClient' },
  });
  return { data: { erased: true, subjectId: s.id, panelInvoicesKept: kept, statutoryRecords: result.statutory.records, contacts: result.contacts.length } };
}, {
  check: async (ctx) => {
    if (plans.size > 100) plans.clear(); // a call that failed after its check leaves its plan behind
    plans.set(key(ctx.call, ctx.vars.userid), await planErasure(ctx.kernel, ctx.brand, ctx.profile));
  },
});
