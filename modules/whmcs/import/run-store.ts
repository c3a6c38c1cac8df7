/** The import's run row (whmcs_import_runs): one per brand, its phase and cursor written with each page it commits. */
import type { Knex } from 'knex';
import { emptyCounts, PHASES, type Phase, type PhaseCounts } from './import-context';

export type RunState = 'running' | 'failed' | 'done';

/** A run as stored. */
export interface ImportRun {
  id: number; brandId: number; phase: Phase | 'done'; cursor: number; counts: Record<Phase, PhaseCounts>; state: RunState;
  notReached: string | null; startedAt: number; finishedAt: number | null; lastError: string | null;
}

const TABLE = 'whmcs_import_runs';

export const zeroCounts = (): Record<Phase, PhaseCounts> => Object.fromEntries(PHASES.map((p) => [p, emptyCounts()])) as Record<Phase, PhaseCounts>;

function toRun(r: Record<string, unknown>): ImportRun {
  return {
    id: Number(r.id), brandId: Number(r.brand_id), phase: r.phase as Phase | 'done', cursor: Number(r.cursor), counts: { ...zeroCounts(), ...(JSON.parse(String(r.counts)) as Record<Phase, PhaseCounts>) },
    state: r.state as RunState, notReached: (r.not_reached as string | null) ?? null, startedAt: Number(r.started_at),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at), lastError: (r.last_error as string | null) ?? null,
  };
}

/** The brand's run, if any. */
export async function loadRun(db: Knex | Knex.Transaction, brandId: number): Promise<ImportRun | undefined> {
  const r = (await db(TABLE).where({ brand_id: brandId }).first()) as Record<string, unknown> | undefined;
  return r ? toRun(r) : undefined;
}

/** Starts the brand's run afresh (first run, a finished one, or --restart): first phase, cursor 0, counts zero; `notReached`: why the opt-in history is not. */
export async function startRun(db: Knex, brandId: number, notReached: string | null): Promise<ImportRun> {
  const row = { phase: PHASES[0], cursor: 0, counts: JSON.stringify(zeroCounts()), state: 'running', not_reached: notReached, started_at: Date.now(), finished_at: null, last_error: null };
  await db(TABLE).insert({ brand_id: brandId, ...row }).onConflict('brand_id').merge(Object.keys(row));
  return (await loadRun(db, brandId))!;
}

/** Writes the run's position (in the page's transaction, so the page and its cursor commit together). */
export async function saveRun(db: Knex | Knex.Transaction, run: ImportRun): Promise<void> {
  await db(TABLE).where({ id: run.id }).update({
    phase: run.phase, cursor: run.cursor, counts: JSON.stringify(run.counts), state: run.state, finished_at: run.finishedAt, last_error: run.lastError,
  });
}
