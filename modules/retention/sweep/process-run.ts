/**
 * The sweep itself (SP-8, MS-9): for each brand and approved rule, batches of candidates selected set-based by keyset
 * on subject id; each batch is ONE transaction holding the data changes and the run's checkpoint and report, so a
 * subject is never half-processed and a crashed run resumes right after its last committed batch (batch-commit.ts).
 * A whole-subject batch that fails is retried one subject per transaction, so one bad subject is reported instead of
 * stopping the run. On MySQL/MariaDB whole-subject batches overlap, two in flight, committing in order (pipeline.ts).
 */
import crypto from 'node:crypto';
import type { Actor } from '../../../core/audit/audit-log';
import { dialectOfKnex } from '../../../core/db/connection';
import type { Kernel } from '../../../core/kernel';
import { ruleSelection } from '../events/candidates';
import { wideHolds } from '../holds/hold-store';
import { approvalOf } from '../rules/approvals';
import { envBatchSize, envOverlap } from '../settings';
import { planAnonymisation, prepareAnonymisation, type ErasurePlan } from './anonymise-subjects';
import { categoriesOf, commitOrSplit, errorCode, type RuleRun } from './batch-commit';
import { brandContext, startRule } from './brand-context';
import { processRulePipelined } from './pipeline';
import { nextBatch } from './rule-queries';
import { totalsOf } from './run-report';
import { claimRun, loadRun, RunSuperseded, saveRun, type RunRecord } from './run-store';

/** Progress after each committed batch (the CLI draws its bar from it). */
export interface SweepProgress { runId: number; brand: string; ruleId: string; done: number; total: number; batches: number }

/** How to process: progress callback, a signal to stop between batches, the batch size, a lease to keep. */
export interface ProcessOptions { onProgress?: (p: SweepProgress) => void | Promise<void>; signal?: AbortSignal; batchSize?: number; lease?: { readonly lost: boolean }; actor: Actor }

/** The most subjects in one batch erasure. */
const MAX_SUBJECT_BATCH = 2000;

class Stopped extends Error {}

/**
 * A rule's next batches by keyset on subject id, each read while the batch before it is processed (MySQL: on another
 * connection; reads only, since each batch re-checks its candidates under its own lock) and prepared (data keys loaded).
 */
function batchFinder(kernel: Kernel, r: RuleRun, size: number, ahead: boolean) {
  const { ctx, rule, run } = r;
  const read = async (cursor: number): Promise<number[]> => {
    const wide = await wideHolds(kernel.db, ctx.brand.id, run.asOf);
    const ids = await nextBatch(kernel.db, ruleSelection(ctx.env, rule, ctx.brand.id, run.asOf, categoriesOf(rule, wide)), cursor, size);
    if (ids.length && rule.scope === 'subject') await prepareAnonymisation(kernel);
    return ids;
  };
  let next: { cursor: number; ids: Promise<number[]> } | null = null;
  return {
    async find(cursor: number): Promise<number[]> {
      const pending = next && next.cursor === cursor ? next.ids : read(cursor);
      await next?.ids.catch(() => undefined);
      next = null;
      const ids = await pending;
      if (ahead && ids.length) {
        next = { cursor: ids[ids.length - 1], ids: read(ids[ids.length - 1]) };
        next.ids.catch(() => undefined); // handled: a failure surfaces when the next turn awaits it
      }
      return ids;
    },
    /** Lets a read ahead that was not used finish (before the caller writes the run). */
    settle: async (): Promise<void> => { await next?.ids.catch(() => undefined); },
  };
}

/** Whether a rule's batches overlap (two in flight): MySQL, whole-subject rules, every erasing module set-based. */
function overlaps(kernel: Kernel, r: RuleRun): boolean {
  return dialectOfKnex(kernel.db) === 'mysql' && r.rule.scope === 'subject' && envOverlap() && Boolean(r.plan?.modules.every((m) => m.personalData.eraseMany));
}

/**
 * Processes one rule from its checkpoint to the end (or until stopped): batches overlapping where they can
 * (pipeline.ts), else one after another; SQLite has one connection and does everything in turn.
 */
async function processRule(kernel: Kernel, r: RuleRun, startCursor: number): Promise<void> {
  const { ctx, rule, run, rr, opts } = r;
  const size = Math.min(opts.batchSize ?? envBatchSize() ?? ctx.settings.batchSize, rule.scope === 'subject' ? MAX_SUBJECT_BATCH : 10_000);
  const finder = batchFinder(kernel, r, size, dialectOfKnex(kernel.db) === 'mysql');
  const stop = (): boolean => Boolean(opts.signal?.aborted || opts.lease?.lost);
  const progress = async (): Promise<void> => { await opts.onProgress?.({ runId: run.id, brand: ctx.brand.slug, ruleId: rule.id, done: rr.processed + rr.failed, total: rr.eligible, batches: r.batches }); };
  const finish = async (): Promise<void> => {
    rr.state = 'done';
    await saveRun(kernel.db, run.id, { report: r.report, checkpoint: null, holder: r.holder });
  };
  try {
    if (overlaps(kernel, r)) {
      const end = await processRulePipelined(kernel, r, startCursor, (c) => finder.find(c), progress, stop);
      if (end === 'stopped') throw new Stopped();
      if (end === 'done') await finish();
      return;
    }
    let cursor = startCursor;
    for (;;) {
      // Back to the event loop between batches: on SQLite every statement is synchronous, so without this a signal, the
      // lease renewal timer or an HTTP request would wait for the whole run.
      await new Promise((resolve) => setImmediate(resolve));
      if (stop()) throw new Stopped();
      const ids = await finder.find(cursor);
      if (!ids.length) return await finish();
      const last = ids[ids.length - 1];
      if (!(await commitOrSplit(kernel, r, ids, last))) return;
      cursor = last;
      r.batches += 1;
      await progress();
    }
  } finally {
    // A batch read ahead and not used (stopped, held, failed): let its reads finish before the caller writes the run.
    await finder.settle();
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
