/**
 * Erasure runs in the background of a serving process: runs started through the admin API, and the resume of
 * unfinished runs when the suite starts (module `start`). Shutdown (module `stop`) stops them between two subjects
 * and waits; what is left stays pending for the next resume.
 */
import type { Kernel } from '../../../core/kernel';
import { processRun } from './erasure-runs';

interface Background { abort: AbortController; running: Map<number, Promise<void>> }

const state = new WeakMap<Kernel, Background>();

function slot(kernel: Kernel): Background {
  let s = state.get(kernel);
  if (!s) state.set(kernel, (s = { abort: new AbortController(), running: new Map() }));
  return s;
}

/** Processes a run in the background (once per process: a run already running here is left to it). */
export function runInBackground(kernel: Kernel, runId: number): void {
  const s = slot(kernel);
  if (s.running.has(runId) || s.abort.signal.aborted) return;
  const p = processRun(kernel, runId, { signal: s.abort.signal })
    .then(() => undefined, (err: unknown) => { kernel.log.error({ runId, code: (err as Error)?.name }, 'erasure run stopped; it resumes at the next start'); })
    .finally(() => { s.running.delete(runId); });
  s.running.set(runId, p);
}

/** Resumes every unfinished run in the background (called when the suite starts its background work). */
export async function resumeInBackground(kernel: Kernel): Promise<void> {
  const ids = (await kernel.db('rights_erasure_runs').whereNot({ state: 'finished' }).orderBy('id').pluck('id')) as number[];
  for (const id of ids) runInBackground(kernel, Number(id));
}

/** Stops background runs between two subjects and waits for them. */
export async function stopBackground(kernel: Kernel): Promise<void> {
  const s = state.get(kernel);
  if (!s) return;
  s.abort.abort();
  await Promise.allSettled([...s.running.values()]);
  state.delete(kernel);
}

/** Waits until the background runs of this process are done (tests and the CLI). */
export async function settleBackground(kernel: Kernel): Promise<void> {
  const s = state.get(kernel);
  while (s && s.running.size) await Promise.allSettled([...s.running.values()]);
}
