/**
 * Bulk erasure runs: a rights_erasure_runs row and one 'pending' rights_erasures row per subject, then one subject per
 * transaction (eraseSubject), the run's counter moving in the same transaction. A process killed mid-run leaves every
 * subject either untouched (pending) or fully erased (done); `resumeRuns` carries on with the pending ones.
 */
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError, validationError, fieldIssue, type FieldIssue } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { actorString } from '../requests/request-store';
import { eraseSubject } from './erase-subject';
import { planErasure } from './erasure-plan';

/** Attempts per subject before its row is marked failed (a transient error, e.g. a deadlock, gets retried). */
export const MAX_ATTEMPTS = 3;

/** A run's progress as callers see it. */
export interface RunProgress { runId: number; brandId: number; state: string; total: number; done: number; failed: number; createdAt: number; finishedAt: number | null }

/** Options for processing: a progress callback after each subject, and a signal to stop between subjects. */
export interface RunOptions { onProgress?: (p: RunProgress) => void; signal?: AbortSignal }

interface RunRow { id: number; brand_id: number; actor: string; state: string; total: number; done: number; failed: number; created_at: number; finished_at: number | null }

const toProgress = (r: RunRow): RunProgress => ({
  runId: Number(r.id), brandId: Number(r.brand_id), state: r.state, total: Number(r.total), done: Number(r.done), failed: Number(r.failed),
  createdAt: Number(r.created_at), finishedAt: r.finished_at === null ? null : Number(r.finished_at),
});

async function runRow(kernel: Kernel, runId: number): Promise<RunRow> {
  const r = (await kernel.db('rights_erasure_runs').where({ id: runId }).first()) as RunRow | undefined;
  if (!r) throw new SuiteError('SUITE_NOT_FOUND', { what: 'erasure run', id: runId });
  return r;
}

const ACTOR_TYPES = new Set<Actor['type']>(['apikey', 'cli', 'system', 'hook', 'anonymous']);

/** The actor who created the run (stored as "type:id"), acting for each subject's erasure. */
function runActor(stored: string, runId: number): Actor {
  const i = stored.indexOf(':');
  const type = stored.slice(0, i) as Actor['type'];
  return i > 0 && ACTOR_TYPES.has(type) ? { type, id: stored.slice(i + 1) } : { type: 'system', id: `erasure-run:${runId}` };
}

/** Checks that every id is a subject of the brand; 400 naming each failing `subjectIds.<i>` otherwise (nothing written). */
export async function assertSubjectsOfBrand(kernel: Kernel, brand: Brand, subjectIds: number[]): Promise<void> {
  const found = new Set<number>();
  for (let i = 0; i < subjectIds.length; i += 500) {
    const ids = (await kernel.db('subjects').whereIn('id', subjectIds.slice(i, i + 500)).where({ brand_id: brand.id }).pluck('id')) as number[];
    for (const id of ids) found.add(Number(id));
  }
  const issues: FieldIssue[] = [];
  subjectIds.forEach((id, i) => {
    if (!found.has(id) && issues.length < 20) issues.push(fieldIssue(`subjectIds.${i}`, 'validation.subject.notOfBrand', { subject: id, brand: brand.slug }));
  });
  if (issues.length) throw validationError(issues);
}

/** Creates a run with one pending row per subject (after checking they belong to the brand); returns its id. */
export async function createErasureRun(kernel: Kernel, brand: Brand, subjectIds: number[], actor: Actor): Promise<number> {
  const ids = [...new Set(subjectIds)];
  if (!ids.length) throw validationError([fieldIssue('subjectIds', 'validation.rights.subjectsRequired')]);
  await assertSubjectsOfBrand(kernel, brand, ids);
  const now = Date.now();
  return kernel.db.transaction(async (trx) => {
    const [runId] = await trx('rights_erasure_runs').insert({ brand_id: brand.id, actor: actorString(actor).slice(0, 80), state: 'running', total: ids.length, done: 0, failed: 0, created_at: now, finished_at: null });
    for (let i = 0; i < ids.length; i += 200) {
      await trx('rights_erasures').insert(ids.slice(i, i + 200).map((sid) => ({ run_id: Number(runId), request_id: null, brand_id: brand.id, subject_id: sid, state: 'pending', attempts: 0, created_at: now })));
    }
    await kernel.audit.record({ brandId: brand.id, actor, action: 'rights.erasure-run.created', targetType: 'rights_erasure_run', targetId: Number(runId), details: { total: ids.length } }, trx);
    return Number(runId);
  });
}

/** Records a failed attempt (error code only, never personal data); the row is failed after MAX_ATTEMPTS. */
async function recordFailure(kernel: Kernel, runId: number, rowId: number, attempts: number, err: unknown): Promise<void> {
  const code = err instanceof SuiteError ? err.code : (err as Error)?.name ?? 'Error';
  const failed = attempts + 1 >= MAX_ATTEMPTS;
  kernel.log.warn({ runId, rowId, code, failed }, 'erasure of one subject failed');
  await kernel.db.transaction(async (trx) => {
    const n = await trx('rights_erasures').where({ id: rowId, state: 'pending' }).update({ attempts: attempts + 1, error: code.slice(0, 500), state: failed ? 'failed' : 'pending', finished_at: failed ? Date.now() : null });
    if (n && failed) await trx('rights_erasure_runs').where({ id: runId }).update({ failed: trx.raw('failed + 1') });
  });
}

/** Processes a run's pending rows one subject per transaction, then marks it finished; returns its progress. */
export async function processRun(kernel: Kernel, runId: number, opts: RunOptions = {}): Promise<RunProgress> {
  const run = await runRow(kernel, runId);
  if (run.state === 'finished') return toProgress(run);
  const brand = await kernel.brands.getById(Number(run.brand_id));
  const profile = await kernel.brands.profile(brand);
  const plan = await planErasure(kernel, brand, profile);
  const actor = runActor(run.actor, runId);
  for (let pass = 0; pass < MAX_ATTEMPTS; pass++) {
    let cursor = 0;
    for (;;) {
      const rows = (await kernel.db('rights_erasures').where({ run_id: runId, state: 'pending' }).andWhere('id', '>', cursor).orderBy('id').limit(100).select('id', 'subject_id', 'attempts')) as { id: number; subject_id: number; attempts: number }[];
      if (!rows.length) break;
      for (const r of rows) {
        if (opts.signal?.aborted) return toProgress(await runRow(kernel, runId));
        cursor = Number(r.id);
        try {
          await eraseSubject(kernel, { brand, profile, subjectId: Number(r.subject_id), runId, actor }, plan);
        } catch (err) {
          await recordFailure(kernel, runId, Number(r.id), Number(r.attempts), err);
        }
        if (opts.onProgress) opts.onProgress(toProgress(await runRow(kernel, runId)));
      }
    }
    const left = (await kernel.db('rights_erasures').where({ run_id: runId, state: 'pending' }).count({ n: '*' }).first()) as { n: number | string };
    if (Number(left.n) === 0) break;
  }
  await kernel.db.transaction(async (trx) => {
    const n = await trx('rights_erasure_runs').where({ id: runId }).whereNot({ state: 'finished' }).update({ state: 'finished', finished_at: Date.now() });
    const fresh = (await trx('rights_erasure_runs').where({ id: runId }).first()) as RunRow;
    if (n) await kernel.audit.record({ brandId: Number(run.brand_id), actor, action: 'rights.erasure-run.finished', targetType: 'rights_erasure_run', targetId: runId, details: { total: Number(fresh.total), done: Number(fresh.done), failed: Number(fresh.failed) } }, trx);
  });
  return toProgress(await runRow(kernel, runId));
}

/** Creates a run for the subjects and processes it to the end. */
export async function eraseSubjects(kernel: Kernel, brand: Brand, subjectIds: number[], actor: Actor, opts: RunOptions = {}): Promise<RunProgress> {
  return processRun(kernel, await createErasureRun(kernel, brand, subjectIds, actor), opts);
}

/** Continues every run that is not finished (after a crash or a restart), oldest first. */
export async function resumeRuns(kernel: Kernel, opts: RunOptions = {}): Promise<RunProgress[]> {
  const ids = (await kernel.db('rights_erasure_runs').whereNot({ state: 'finished' }).orderBy('id').pluck('id')) as number[];
  const out: RunProgress[] = [];
  for (const id of ids) {
    if (opts.signal?.aborted) break;
    out.push(await processRun(kernel, Number(id), opts));
  }
  return out;
}

/** A run's progress and the state of each subject (ids, states, attempts, error codes; no personal data). */
export async function runStatus(kernel: Kernel, brand: Brand, runId: number): Promise<RunProgress & { subjects: { subjectId: number; state: string; attempts: number; error: string | null; finishedAt: number | null }[] }> {
  const run = await runRow(kernel, runId);
  if (Number(run.brand_id) !== brand.id) throw new SuiteError('SUITE_NOT_FOUND', { what: 'erasure run', id: runId });
  const rows = (await kernel.db('rights_erasures').where({ run_id: runId }).orderBy('id').select('subject_id', 'state', 'attempts', 'error', 'finished_at')) as { subject_id: number; state: string; attempts: number; error: string | null; finished_at: number | null }[];
  return {
    ...toProgress(run),
    subjects: rows.map((r) => ({ subjectId: Number(r.subject_id), state: r.state, attempts: Number(r.attempts), error: r.error, finishedAt: r.finished_at === null ? null : Number(r.finished_at) })),
  };
}
