/**
 * What a rule does to one batch of subjects, inside the batch's transaction: a whole-subject rule anonymises them
 * through the rights erasure; a category rule deletes the category's inventory fields and lets every module expire
 * its records of the category (the activity log, the consent ledger's IP and user agent); a billing rule strips the
 * billing fields and leaves invoices (TOS-1.4).
 */
import type { Knex } from 'knex';
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import { versionCondition } from '../events/candidates';
import type { EffectiveRule } from '../rules/effective-rules';
import { anonymiseSubjects, type BatchTurn, type ErasurePlan } from './anonymise-subjects';

/**
 * Who runs the batch, for which run, and (whole-subject rules) the brand's erasure plan; `turn` when it overlaps other
 * batches (the rights BatchTurn: see pipeline.ts).
 */
export interface BatchContext { brand: Brand; rule: EffectiveRule; plan: ErasurePlan | null; until: number | undefined; actor: Actor; runId: number; turn?: BatchTurn }

/** What a batch did. */
export interface BatchResult { processed: number; records: number; failures: { subjectId: number; reason: string }[] }

/** Deletes the inventory fields of the rule's category (under its policy versions; collected up to `until` if given). */
async function deleteFields(trx: Knex.Transaction, rule: EffectiveRule, ids: number[], until: number | undefined): Promise<number> {
  let q = trx('subject_fields').whereIn('subject_id', ids).where({ category: rule.category });
  const v = versionCondition(rule, 'policy_version');
  if (v) q = q.whereRaw(v.sql, v.bindings);
  if (until !== undefined) q = q.andWhere('updated_at', '<=', until);
  return q.delete();
}

/** Applies the rule to the batch's subjects (already confirmed inside `trx`). */
export async function applyToBatch(kernel: Kernel, trx: Knex.Transaction, ctx: BatchContext, ids: number[]): Promise<BatchResult> {
  const { rule, brand } = ctx;
  if (!ids.length) return { processed: 0, records: 0, failures: [] };
  if (rule.scope === 'subject') {
    const out = await anonymiseSubjects(kernel, trx, ctx.plan!, ids, { actor: ctx.actor, source: 'retention', reference: `retention-run:${ctx.runId}:${rule.id}`, turn: ctx.turn });
    // Already erased by the time the batch held its lock (with its client in the batch before, or by an erase request):
    // gone, as the rule wants, and no longer a candidate — as a batch run after that one would have found it.
    return { processed: out.erased.length, records: out.erased.length, failures: out.skipped.filter((s) => s.reason !== 'already-erased') };
  }
  let records = await deleteFields(trx, rule, ids, ctx.until);
  // Module records carry no policy version: the general rule of the category expires them (billing: invoices stay).
  if (rule.scope === 'fields' && !rule.policyVersions) {
    for (const m of kernel.modules.list()) {
      if (m.personalData?.expire) records += await m.personalData.expire(rule.category, ids, { kernel, trx, brand, until: ctx.until });
    }
  }
  await ctx.turn?.ordered();
  await kernel.audit.record({
    brandId: brand.id, actor: ctx.actor, action: 'retention.rule.applied', targetType: 'retention_rule', targetId: rule.id,
    details: { runId: ctx.runId, category: rule.category, action: rule.action, subjects: ids.length, records, firstSubjectId: ids[0], lastSubjectId: ids[ids.length - 1] },
  }, trx);
  return { processed: ids.length, records, failures: [] };
}
