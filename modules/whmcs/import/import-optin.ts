/**
 * The marketing opt-in: WHMCS's history (the addon's endpoint, tblmarketing_consent) into the consent ledger with its
 * original times, or — when the addon did not answer — the current opt-in once per subject. Each history row becomes
 * one ledger event, marked in whmcs_import_consent (WHMCS's row id → receipt), so a second run adds nothing. A row
 * older than a choice the suite recorded itself (a hook, the privacy center) is kept out: the ledger's current state
 * must stay the person's latest choice.
 */
import type { Knex } from 'knex';
import { consentHistory, type AddonConsentRow } from '../addon-api';
import type { ImportContext, ImportPhase } from './import-context';
import { knownSubjects } from './subject-sync';

const MARKS = 'whmcs_import_consent';

/** Records a client's current opt-in where the suite has no marketing state yet; answers whether it wrote. */
export async function recordOptInSnapshot(ctx: ImportContext, trx: Knex.Transaction, subjectId: number, clientId: number, optIn: boolean): Promise<boolean> {
  if (!ctx.consent) return false;
  if ((await ctx.consent.purposeState(trx, ctx.brand.id, subjectId))['marketing:email']) return false;
  // As the ClientAdd hook does: an opt-out is only worth recording where the brand's model subscribes by default.
  const action = optIn ? 'given' : ctx.profile.consent.model === 'opt-out' ? 'withdrawn' : null;
  if (!action) return false;
  const receipt = await ctx.consent.recordEvent(trx, ctx.profile, { brandId: ctx.brand.id, subjectId, purpose: 'marketing:email', action, method: 'checkbox', channel: 'panel', collectionPoint: 'profile' });
  await trx(MARKS).insert({ brand_id: ctx.brand.id, whmcs_ref: `client:${clientId}`, receipt_id: receipt.receiptId }).onConflict(['brand_id', 'whmcs_ref']).ignore();
  return true;
}

/** Whether a ledger receipt is one an import wrote (then a history row may follow it). */
async function importedReceipt(trx: Knex.Transaction, brandId: number, receiptId: string): Promise<boolean> {
  return Boolean(await trx(MARKS).where({ brand_id: brandId, receipt_id: receiptId }).first('whmcs_ref'));
}

export const optInHistoryPhase: ImportPhase<AddonConsentRow> = {
  open(ctx, cursor) {
    if (!ctx.history) return { next: () => Promise.resolve({ rows: [], total: 0 }) };
    const rows = consentHistory(ctx.history, undefined, ctx.pageSize);
    // The endpoint pages by offset too; rows before the cursor were committed by an earlier run: read past them.
    let skip = cursor;
    return {
      async next() {
        const out: AddonConsentRow[] = [];
        while (out.length < ctx.pageSize) {
          const r = await rows.next();
          if (r.done) break;
          if (skip > 0) skip--;
          else out.push(r.value);
        }
        return { rows: out, total: null };
      },
    };
  },
  async write(ctx, trx, rows) {
    const counts = { written: 0, unchanged: 0, skipped: 0 };
    const brandId = ctx.brand.id;
    const marked = new Set((await trx(MARKS).where({ brand_id: brandId }).whereIn('whmcs_ref', rows.map((r) => String(r.id))).pluck('whmcs_ref')).map(String));
    const subjects = await knownSubjects(trx, brandId, 'client', rows.map((r) => String(r.userid)));
    for (const row of rows) {
      const subject = subjects.get(String(row.userid));
      const at = Date.parse(row.date);
      if (marked.has(String(row.id))) counts.unchanged++;
      else if (!ctx.consent || !subject || subject.status === 'erased' || !(at > 0)) counts.skipped++;
      else {
        const current = (await ctx.consent.purposeState(trx, brandId, subject.id))['marketing:email'];
        let receiptId: string | null = null;
        if (!current || current.at <= at || (await importedReceipt(trx, brandId, current.receiptId))) {
          receiptId = (await ctx.consent.recordEvent(trx, ctx.profile, {
            brandId, subjectId: subject.id, purpose: 'marketing:email', action: row.optin ? 'given' : 'withdrawn',
            method: row.admin ? 'admin-written' : 'checkbox', channel: 'panel', collectionPoint: row.admin ? 'admin' : 'profile', ip: row.ip || undefined, at,
          })).receiptId;
        }
        await trx(MARKS).insert({ brand_id: brandId, whmcs_ref: String(row.id), receipt_id: receiptId });
        counts.written++;
      }
    }
    return counts;
  },
};
