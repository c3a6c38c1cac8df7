/**
 * The sweep itself (SP-8, MS-9): for each brand and approved rule, batches of candidates selected set-based by keyset
 * on subject id; each batch is ONE transaction holding the data changes and the run's checkpoint and report, so a
 * subject is never half-processed and a crashed run resumes right after its last committed batch. A whole-subject
 * batch that fails is retried one subject per transaction, so one bad subject is reported instead of stopping the run.
 */
import crypto from 'node:crypto';
import type { Actor } from '../../../core/audit/audit-log';
import { dialectOfKnex } from '../../../core/db/connection';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { ruleSelection } from '../events/candidates';
import { wideHolds, type WideHolds } from '../holds/hold-store';
import { approvalOf } from '../rules/approvals';
import type { EffectiveRule } from '../rules/effective-rules';
import { envBatchSize } from '../settings';
import { planAnonymisation, prepareAnonymisation, type ErasurePlan } from './anonymise-subjects';
import { applyToBatch, type BatchContext } from './apply-rule';
import { brandContext, startRule, wideHoldIds, type BrandContext } from './brand-context';
import { confirmBatch, nextBatch } from './rule-queries';
import { totalsOf, type RuleReport, type RunReport } from './run-report';
import { claimRun, loadRun, RunSuperseded, saveRun, type RunRecord } from './run-store';

/** Progress after each committed batch (the CLI draws its bar from it). */
export interface SweepProgress { runId: number; brand: string; ruleId: string; done: number; total: number; batches: number }

/** How to process: progress callback, a signal to stop between batches, the batch size, a lease to keep. */
export interface ProcessOptions { onProgress?: (p: SweepProgress) => void | Promise<void>; signal?: AbortSignal; batchSize?: number; lease?: { readonly lost: boolean }; actor: Actor }

/** The most subjects in one batch erasure. */
const MAX_SUBJECT_BATCH = 2000;

/** An error's code for the report (never its message, which might quote data). */
export function errorCode(err: unknown): string {
  if (err instanceof SuiteError) return err.code;
  const e = err as { code?: unknown; name?: unknown };
  return String(typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'Error').slice(0, 64);
}

class Stopped extends Error {}

/** One rule of one brand being processed. */
interface RuleRun { run: RunRecord; report: RunReport; ctx: BrandContext; rule: EffectiveRule; rr: RuleReport; plan: ErasurePlan | null; opts: ProcessOptions; batches: number; holder: string }

const categoriesOf = (rule: EffectiveRule, wide: WideHolds) => (rule.scope === 'subject' ? [...wide.categories.keys()] : []);

/** Runs `fn` on a copy of the rule's report and keeps the copy only if `fn` (and its transaction) succeeded. */
async function onCopy(r: RuleRun, fn: (rr: RuleReport) => Promise<void>): Promise<void> {
  const before = JSON.stringify(r.rr);
  try {
    await fn(r.rr);
  } catch (err) {
    Object.assign(r.rr, JSON.parse(before));
    throw err;
  }
}

/** One batch in one transaction: re-check holds and candidates, apply, move the checkpoint; false when a hold stopped the rule. */
async function commitBatch(kernel: Kernel, r: RuleRun, ids: number[], cursor: number): Promise<boolean> {
  const { ctx, rule, run } = r;
  let goOn = true;
  await onCopy(r, (rr) => kernel.db.transaction(async (trx) => {
    const wide = await wideHolds(trx, ctx.brand.id, run.asOf);
    const whole = wideHoldIds(rule, wide);
    if (whole.length) {
      Object.assign(rr, { state: 'held', reason: 'hold-placed-during-run', holdIds: [...new Set([...rr.holdIds, ...whole])] });
      goOn = false;
    } else {
      const sel = ruleSelection(ctx.env, rule, ctx.brand.id, run.asOf, categoriesOf(rule, wide));
      const ok = await confirmBatch(trx, sel, ids);
      const bctx: BatchContext = { brand: ctx.brand, rule, plan: r.plan, until: sel.until, actor: r.opts.actor, runId: run.id };
      const res = await applyToBatch(kernel, trx, bctx, ok);
      rr.processed += res.processed;
      rr.records += res.records;
      rr.failed += res.failures.length;
      for (const f of res.failures) rr.failures[f.reason] = (rr.failures[f.reason] ?? 0) + 1;
    }
    await saveRun(trx, run.id, { report: r.report, checkpoint: goOn ? { brandId: ctx.brand.id, ruleId: rule.id, cursor } : null, holder: r.holder });
  }));
  return goOn;
}

/** Records one subject that failed on its own (its error code), moving the checkpoint past it. */
async function recordFailure(kernel: Kernel, r: RuleRun, subjectId: number, code: string): Promise<void> {
  kernel.log.warn({ runId: r.run.id, ruleId: r.rule.id, subjectId, code }, 'retention: one subject failed');
  await onCopy(r, (rr) => kernel.db.transaction(async (trx) => {
    rr.failed += 1;
    rr.failures[code] = (rr.failures[code] ?? 0) + 1;
    await saveRun(trx, r.run.id, { report: r.report, checkpoint: { brandId: r.ctx.brand.id, ruleId: r.rule.id, cursor: subjectId }, holder: r.holder });
  }));
}

/** A batch found and prepared: its candidate ids (the data keys loaded for whole-subject rules). */
interface Found { ids: number[] }

/** The next batch after `cursor`, selected with the holds in force now, and prepared. */
async function findBatch(kernel: Kernel, r: RuleRun, cursor: number, size: number): Promise<Found> {
  const { ctx, rule, run } = r;
  const wide = await wideHolds(kernel.db, ctx.brand.id, run.asOf);
  const ids = await nextBatch(kernel.db, ruleSelection(ctx.env, rule, ctx.brand.id, run.asOf, categoriesOf(rule, wide)), cursor, size);
  if (ids.length && rule.scope === 'subject') await prepareAnonymisation(kernel);
  return { ids };
}

/**
 * Processes one rule from its checkpoint to the end (or until stopped). On MySQL the next batch is found on a second
 * connection while the current one is in its transaction (reads only: each batch re-checks its candidates under its
 * own lock), so the selection overlaps the batch's work; SQLite has one connection and does it in turn.
 */
async function processRule(kernel: Kernel, r: RuleRun, startCursor: number): Promise<void> {
  const { ctx, rule, run, rr, opts } = r;
  const size = Math.min(opts.batchSize ?? envBatchSize() ?? ctx.settings.batchSize, rule.scope === 'subject' ? MAX_SUBJECT_BATCH : 10_000);
  const ahead = dialectOfKnex(kernel.db) === 'mysql';
  let cursor = startCursor;
  let next: Promise<Found> | null = null;
  try {
    for (;;) {
      // Back to the event loop between batches: on SQLite every statement is synchronous, so without this a signal, the
      // lease renewal timer or an HTTP request would wait for the whole run.
      await new Promise((r) => setImmediate(r));
      if (opts.signal?.aborted || opts.lease?.lost) throw new Stopped();
      const found: Found = await (next ?? findBatch(kernel, r, cursor, size));
      next = null;
      const { ids } = found;
      if (!ids.length) {
        rr.state = 'done';
        await saveRun(kernel.db, run.id, { report: r.report, checkpoint: null, holder: r.holder });
        return;
      }
      const last = ids[ids.length - 1];
      if (ahead) {
        next = findBatch(kernel, r, last, size);
        next.catch(() => undefined); // handled: a failure surfaces when the next turn awaits it
      }
      try {
        if (!(await commitBatch(kernel, r, ids, last))) return;
      } catch (err) {
        if (rule.scope !== 'subject' || ids.length === 1 || err instanceof RunSuperseded) throw err;
        kernel.log.warn({ runId: run.id, ruleId: rule.id, code: errorCode(err) }, 'retention: a batch failed; retrying it one subject at a time');
        for (const id of ids) {
          try {
            if (!(await commitBatch(kernel, r, [id], id))) return;
          } catch (one) {
            if (one instanceof RunSuperseded) throw one;
            await recordFailure(kernel, r, id, errorCode(one));
          }
        }
      }
      cursor = last;
      r.batches += 1;
      await opts.onProgress?.({ runId: run.id, brand: ctx.brand.slug, ruleId: rule.id, done: rr.processed + rr.failed, total: rr.eligible, batches: r.batches });
    }
  } finally {
    // A batch read ahead and not used (stopped, held, failed): let its reads finish before the caller writes the run.
    await next?.catch(() => undefined);
  }
}

/** Processes (or resumes) a real run to the end; stops between batches on the signal (state interrupted), records errors (state failed). */
export async function processRun(kernel: Kernel, runId: number, opts: ProcessOptions): Promise<RunRecord> {
  const first = await loadRun(kernel.db, runId);
  if (first.state === 'finished' || first.dryRun) return first;
  // Take the run over before reading its checkpoint: a stalled earlier session's next batch is refused from here on.
  const holder = `s_${crypto.randomBytes(8).toString('hex')}`;
  await claimRun(kernel.db, runId, holder);
  const run = await loadRun(kernel.db, runId);
  if (run.state !== 'running') await saveRun(kernel.db, runId, { state: 'running', error: null, holder });
  const report = run.report;
  try {
    for (const br of report.brands) {
      const ctx = await brandContext(kernel, await kernel.brands.getById(br.brandId));
      let plan: ErasurePlan | null = null;
      for (const rr of br.rules) {
        if (rr.state !== 'pending' && rr.state !== 'running') continue;
        const rule = ctx.rules.find((x) => x.id === rr.ruleId);
        if (!rule || rule.hash !== rr.hash || !approvalOf(ctx.approvals, rule)) {
          Object.assign(rr, { state: 'changed', reason: rule ? 'definition-changed' : 'rule-removed' });
          await saveRun(kernel.db, runId, { report, holder });
          continue;
        }
        let cursor = run.checkpoint && run.checkpoint.brandId === br.brandId && run.checkpoint.ruleId === rr.ruleId ? run.checkpoint.cursor : 0;
        if (rr.state === 'pending') {
          Object.assign(rr, await startRule(kernel.db, ctx, rule, run.asOf, await wideHolds(kernel.db, ctx.brand.id, run.asOf)));
          if (rr.state === 'pending') rr.state = 'running';
          cursor = 0;
          await saveRun(kernel.db, runId, { report, checkpoint: rr.state === 'running' ? { brandId: br.brandId, ruleId: rr.ruleId, cursor } : null, holder });
          if (rr.state !== 'running') continue;
        }
        if (rule.scope === 'subject' && !plan) plan = await planAnonymisation(kernel, ctx.brand);
        await processRule(kernel, { run, report, ctx, rule, rr, plan, opts, batches: 0, holder }, cursor);
      }
    }
  } catch (err) {
    // Another session has the run now: leave it to that one, write nothing.
    if (err instanceof RunSuperseded) return loadRun(kernel.db, runId);
    const stopped = err instanceof Stopped;
    await saveRun(kernel.db, runId, { state: stopped ? 'interrupted' : 'failed', error: stopped ? (opts.lease?.lost ? 'lease-lost' : 'stopped') : errorCode(err), holder }).catch(() => undefined);
    if (stopped) return loadRun(kernel.db, runId);
    throw err;
  }
  await kernel.db.transaction(async (trx) => {
    await saveRun(trx, runId, { state: 'finished', finished: true, checkpoint: null, report, holder });
    const t = totalsOf(report);
    await kernel.audit.record({
      brandId: report.brands.length === 1 ? report.brands[0].brandId : null, actor: opts.actor, action: 'retention.run.finished', targetType: 'retention_run', targetId: runId,
      details: { processed: t.processed, records: t.records, held: t.held, failed: t.failed, awaitingApproval: t.awaitingApproval.length },
    }, trx);
  });
  return loadRun(kernel.db, runId);
}
