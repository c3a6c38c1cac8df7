/**
 * One batch of the sweep in one transaction (SP-8): its work (re-check holds and candidates, apply the rule), then its
 * record (the rule's report and the run's checkpoint, in the same transaction), so a subject is never half-processed
 * and a crashed run resumes right after its last committed batch. The serial sweep and the overlapping one
 * (pipeline.ts) share these pieces.
 */
import type { Knex } from 'knex';
import { dialectOfKnex } from '../../../core/db/connection';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { ruleSelection } from '../events/candidates';
import { wideHolds, type WideHolds } from '../holds/hold-store';
import type { EffectiveRule } from '../rules/effective-rules';
import type { BatchTurn, ErasurePlan } from './anonymise-subjects';
import { applyToBatch, type BatchContext } from './apply-rule';
import { wideHoldIds, type BrandContext } from './brand-context';
import type { ProcessOptions } from './process-run';
import { confirmBatch } from './rule-queries';
import type { RuleReport, RunReport } from './run-report';
import { RunSuperseded, saveRun, type RunRecord } from './run-store';

/** One rule of one brand being processed. */
export interface RuleRun { run: RunRecord; report: RunReport; ctx: BrandContext; rule: EffectiveRule; rr: RuleReport; plan: ErasurePlan | null; opts: ProcessOptions; batches: number; holder: string }

/** What one batch's work came to: a hold that stopped the rule, or its counts and failure reasons. */
export type BatchDelta = { holdIds: number[] } | { processed: number; records: number; failures: string[] };

/** An error's code for the report (never its message, which might quote data). */
export function errorCode(err: unknown): string {
  if (err instanceof SuiteError) return err.code;
  const e = err as { code?: unknown; name?: unknown };
  return String(typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'Error').slice(0, 64);
}

export const categoriesOf = (rule: EffectiveRule, wide: WideHolds) => (rule.scope === 'subject' ? [...wide.categories.keys()] : []);

/** The batch's work inside `trx`: holds re-checked, candidates confirmed, the rule applied (`turn` as apply-rule takes it). */
export async function batchWork(kernel: Kernel, trx: Knex.Transaction, r: RuleRun, ids: number[], turn?: BatchTurn): Promise<BatchDelta> {
  const { ctx, rule, run } = r;
  const wide = await wideHolds(trx, ctx.brand.id, run.asOf);
  const whole = wideHoldIds(rule, wide);
  if (whole.length) return { holdIds: whole };
  const sel = ruleSelection(ctx.env, rule, ctx.brand.id, run.asOf, categoriesOf(rule, wide));
  const ok = await confirmBatch(trx, sel, ids);
  const bctx: BatchContext = { brand: ctx.brand, rule, plan: r.plan, until: sel.until, actor: r.opts.actor, runId: run.id, turn };
  const res = await applyToBatch(kernel, trx, bctx, ok);
  return { processed: res.processed, records: res.records, failures: res.failures.map((f) => f.reason) };
}

/**
 * Adds the batch's delta to the rule's report and saves it with the checkpoint `cursor`, in `trx`; false when a hold
 * stopped the rule (no checkpoint then). The caller restores the report if the transaction does not commit.
 */
export async function recordBatch(trx: Knex.Transaction, r: RuleRun, delta: BatchDelta, cursor: number): Promise<boolean> {
  const { rr } = r;
  const goOn = !('holdIds' in delta);
  if ('holdIds' in delta) Object.assign(rr, { state: 'held', reason: 'hold-placed-during-run', holdIds: [...new Set([...rr.holdIds, ...delta.holdIds])] });
  else {
    rr.processed += delta.processed;
    rr.records += delta.records;
    rr.failed += delta.failures.length;
    for (const f of delta.failures) rr.failures[f] = (rr.failures[f] ?? 0) + 1;
  }
  await saveRun(trx, r.run.id, { report: r.report, checkpoint: goOn ? { brandId: r.ctx.brand.id, ruleId: r.rule.id, cursor } : null, holder: r.holder });
  return goOn;
}

/** Runs `fn` and puts the rule's report back as it was if `fn` (and its transaction) failed. */
export async function keepingReport<T>(r: RuleRun, fn: () => Promise<T>): Promise<T> {
  const before = JSON.stringify(r.rr);
  try {
    return await fn();
  } catch (err) {
    Object.assign(r.rr, JSON.parse(before));
    throw err;
  }
}

/**
 * How batch transactions run: READ COMMITTED on MySQL/MariaDB, so every read after the batch's locks sees what a
 * concurrent erasure committed (and no gap locks); SQLite has one writer and only serializable transactions.
 */
export const batchIsolation = (kernel: Kernel): Knex.TransactionConfig => (dialectOfKnex(kernel.db) === 'mysql' ? { isolationLevel: 'read committed' } : {});

/** One batch in one transaction, on its own; false when a hold stopped the rule. */
export function commitBatch(kernel: Kernel, r: RuleRun, ids: number[], cursor: number): Promise<boolean> {
  return keepingReport(r, () => kernel.db.transaction(async (trx) => recordBatch(trx, r, await batchWork(kernel, trx, r, ids), cursor), batchIsolation(kernel)));
}

/** Records one subject that failed on its own (its error code), moving the checkpoint past it. */
async function recordFailure(kernel: Kernel, r: RuleRun, subjectId: number, code: string): Promise<void> {
  kernel.log.warn({ runId: r.run.id, ruleId: r.rule.id, subjectId, code }, 'retention: one subject failed');
  await keepingReport(r, () => kernel.db.transaction(async (trx) => {
    r.rr.failed += 1;
    r.rr.failures[code] = (r.rr.failures[code] ?? 0) + 1;
    await saveRun(trx, r.run.id, { report: r.report, checkpoint: { brandId: r.ctx.brand.id, ruleId: r.rule.id, cursor: subjectId }, holder: r.holder });
  }));
}

/**
 * A batch on its own: one transaction; if that fails (whole-subject rules), one subject per transaction, so one bad
 * subject is reported instead of stopping the run. False when a hold stopped the rule.
 */
export async function commitOrSplit(kernel: Kernel, r: RuleRun, ids: number[], cursor: number): Promise<boolean> {
  try {
    return await commitBatch(kernel, r, ids, cursor);
  } catch (err) {
    if (r.rule.scope !== 'subject' || ids.length === 1 || err instanceof RunSuperseded) throw err;
    kernel.log.warn({ runId: r.run.id, ruleId: r.rule.id, code: errorCode(err) }, 'retention: a batch failed; retrying it one subject at a time');
    for (const id of ids) {
      try {
        if (!(await commitBatch(kernel, r, [id], id))) return false;
      } catch (one) {
        if (one instanceof RunSuperseded) throw one;
        await recordFailure(kernel, r, id, errorCode(one));
      }
    }
    return true;
  }
}
