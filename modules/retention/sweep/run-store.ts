/** retention_runs: one row per sweep or dry run, with its checkpoint and report, read by the admin and resumed after a crash. */
import type { Knex } from 'knex';
import type { Actor } from '../../../core/audit/audit-log';
import { SuiteError } from '../../../core/errors';
import { totalsOf, type Checkpoint, type RunReport } from './run-report';

/** A run's state: running (or crashed while running), finished, failed (an error stopped it), interrupted (stopped by a signal). */
export type RunState = 'running' | 'finished' | 'failed' | 'interrupted';

/** A run as stored. */
export interface RunRecord {
  id: number; brandIds: number[]; dryRun: boolean; state: RunState; actor: string; asOf: number; startedAt: number; updatedAt: number;
  finishedAt: number | null; checkpoint: Checkpoint | null; report: RunReport; error: string | null;
}

interface RunRow { id: number; brand_ids: string; dry_run: number | boolean; state: RunState; actor: string; as_of: number; started_at: number; updated_at: number; finished_at: number | null; checkpoint: string | null; report: string; error: string | null }

type Db = Knex | Knex.Transaction;

const toRecord = (r: RunRow): RunRecord => ({
  id: Number(r.id), brandIds: r.brand_ids.split(',').filter(Boolean).map(Number), dryRun: Boolean(r.dry_run), state: r.state, actor: r.actor,
  asOf: Number(r.as_of), startedAt: Number(r.started_at), updatedAt: Number(r.updated_at), finishedAt: r.finished_at === null ? null : Number(r.finished_at),
  checkpoint: r.checkpoint ? (JSON.parse(r.checkpoint) as Checkpoint) : null, report: JSON.parse(r.report) as RunReport, error: r.error,
});

/** Inserts a run; returns its id. */
export async function insertRun(db: Db, run: { brandIds: number[]; dryRun: boolean; state: RunState; actor: Actor; asOf: number; report: RunReport }): Promise<number> {
  const now = Date.now();
  const [id] = await db('retention_runs').insert({
    brand_ids: `,${run.brandIds.join(',')},`, dry_run: run.dryRun, state: run.state, actor: `${run.actor.type}:${run.actor.id}`.slice(0, 80), as_of: run.asOf,
    started_at: now, updated_at: now, finished_at: run.state === 'finished' ? now : null, checkpoint: null, report: JSON.stringify(run.report), error: null,
  });
  return Number(id);
}

/** Thrown when another session took the run over (this process stalled past its lease): it must stop without writing. */
export class RunSuperseded extends Error {
  override readonly name = 'RunSuperseded';
}

/** Makes `holder` the run's session (before reading its checkpoint): batches of an earlier session are refused from now on. */
export async function claimRun(db: Db, id: number, holder: string): Promise<void> {
  await db('retention_runs').where({ id }).update({ holder, updated_at: Date.now() });
}

/**
 * Saves a run's progress (report and checkpoint, and the state if given) — inside the batch's transaction. With
 * `holder`, only while that session holds the run (else RunSuperseded, and the caller's transaction rolls back).
 */
export async function saveRun(db: Db, id: number, patch: { report?: RunReport; checkpoint?: Checkpoint | null; state?: RunState; error?: string | null; finished?: boolean; holder?: string }): Promise<void> {
  const row: Record<string, unknown> = { updated_at: Date.now() };
  if (patch.report) row.report = JSON.stringify(patch.report);
  if (patch.checkpoint !== undefined) row.checkpoint = patch.checkpoint ? JSON.stringify(patch.checkpoint) : null;
  if (patch.state) row.state = patch.state;
  if (patch.error !== undefined) row.error = patch.error ? patch.error.slice(0, 190) : null;
  if (patch.finished) row.finished_at = Date.now();
  const q = db('retention_runs').where({ id });
  if (patch.holder) q.where({ holder: patch.holder });
  const n = await q.update(row);
  if (patch.holder && !n) throw new RunSuperseded();
}

/** A run by id (optionally only if it covers `brandId`). */
export async function loadRun(db: Db, id: number, brandId?: number): Promise<RunRecord> {
  const r = (await db('retention_runs').where({ id }).first()) as RunRow | undefined;
  if (!r || (brandId !== undefined && !r.brand_ids.includes(`,${brandId},`))) throw new SuiteError('SUITE_NOT_FOUND', { what: 'retention run', id });
  return toRecord(r);
}

/** Real runs that did not finish (a crash, a signal, an error), oldest first: the next sweep resumes them. */
export async function unfinishedRuns(db: Db): Promise<RunRecord[]> {
  const rows = (await db('retention_runs').where({ dry_run: false }).whereNot({ state: 'finished' }).orderBy('id')) as RunRow[];
  return rows.map(toRecord);
}

/** The runs that covered a brand, newest first. */
export async function listRuns(db: Db, brandId: number, limit = 50): Promise<RunRecord[]> {
  const rows = (await db('retention_runs').where('brand_ids', 'like', `%,${brandId},%`).orderBy('id', 'desc').limit(limit)) as RunRow[];
  return rows.map(toRecord);
}

/** A run as the API and the CLI show it. */
export type RunView = {
  runId: number; dryRun: boolean; state: RunState; actor: string; asOf: string | null; startedAt: string | null; finishedAt: string | null;
  error: string | null; checkpoint: Checkpoint | null; totals: ReturnType<typeof totalsOf>; report: RunReport;
};

/** A run as the API and the CLI show it: ISO dates, totals, and (for a brand's view) only that brand's part of the report. */
export function runView(run: RunRecord, brandId?: number): RunView {
  const report: RunReport = brandId === undefined ? run.report : { brands: run.report.brands.filter((b) => b.brandId === brandId) };
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  return {
    runId: run.id, dryRun: run.dryRun, state: run.state, actor: run.actor, asOf: iso(run.asOf), startedAt: iso(run.startedAt), finishedAt: iso(run.finishedAt),
    error: run.error, checkpoint: run.checkpoint, totals: totalsOf(report), report,
  };
}
