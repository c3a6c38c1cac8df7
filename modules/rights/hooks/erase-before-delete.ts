/**
 * PreDeleteClient (issue 15 point 9; MS-8 erasure, statutory retention of invoices): the panel is about to delete a
 * client — WHMCS's own Data Retention pruning fires this too. Before the panel's rows go, the suite writes its
 * statutory invoice copies and erases the client (and its contacts) in the same transaction, exactly as an erasure
 * does; a client the suite does not know, or already erased, is left alone. The erasure plan is resolved before the
 * transaction opens (the check step), as the erasure runner does.
 */
import type { CallContext } from '../../../core/modules/define-module';
import { onHook } from '../../../core/modules/define-module';
import { planErasure, type ErasurePlan } from '../erase/erasure-plan';
import { eraseInTransaction } from '../erase/erase-subject';

/** Plans resolved in the check step, by the call's request id (read once inside the transaction). */
const plans = new Map<string, ErasurePlan>();
const key = (call: CallContext, userid: number) => `${call.requestId}:${userid}`;

export const eraseBeforeDelete = onHook('PreDeleteClient', async (ctx) => {
  const k = key(ctx.call, ctx.vars.userid);
  const plan = plans.get(k);
  plans.delete(k);
  const s = await ctx.kernel.subjects.findByExternal(ctx.brand.id, 'client', ctx.vars.userid, ctx.trx);
  if (!s) return { data: { erased: false, reason: 'subject-unknown' } };
  if (s.status === 'erased') return { data: { erased: false, reason: 'already-erased', subjectId: s.id } };
  const p = plan ?? (await planErasure(ctx.kernel, ctx.brand, ctx.profile));
  const result = await eraseInTransaction(ctx.kernel, ctx.trx, p, {
    brand: ctx.brand, profile: ctx.profile, subjectId: s.id, actor: { type: 'hook', id: 'PreDeleteClient' },
  });
  return { data: { erased: true, subjectId: s.id, statutoryRecords: result.statutory.records, contacts: result.contacts.length } };
}, {
  check: async (ctx) => {
    if (plans.size > 100) plans.clear(); // a call that failed after its check leaves its plan behind
    plans.set(key(ctx.call, ctx.vars.userid), await planErasure(ctx.kernel, ctx.brand, ctx.profile));
  },
});
