/**
 * Two batches in flight (MySQL/MariaDB, whole-subject rules): while one batch's transaction waits on the database, the
 * next one's does its Node work (decrypting, building the answers), so the two cores are both busy. Each batch is
 * still ONE transaction, and they commit in batch order:
 *
 *   batch k:   [lock turn k%3][lock rows][ work ........ ][lock turn (k-1)%3 → k-1 has ended][audit, report, checkpoint][commit]
 *   batch k+1:        (starts once k holds its turn and its rows, and k-1 has ended)   [lock turn k%3 → waits for k] ...
 *
 * "Rows" are the batch's subjects and their contacts, locked by the erasure before it reads them (BatchTurn.locked).
 * Batch k+1 locks its own only after k holds k's: where they share one (a contact of a client at the end of batch k
 * is a candidate of batch k+1), k+1 waits for k, never the other way round, so the contact is always erased with its
 * client and k+1 skips it, as one batch after another would. Every wait between two open batches is a row-lock wait
 * the database sees: a cycle with any other lock is a deadlock it detects and rolls back, never a silent hang.
 * Batches run READ COMMITTED, so neither takes gap locks the other runs into, and each reads what the other
 * committed.
 *
 * The checkpoint is the contiguous committed prefix: a batch that commits after one that failed writes the failed
 * one's starting cursor. Failed batches are retried once the pipe is empty, on their own (whole, then one subject per
 * transaction), before the sweep goes on; resuming from any checkpoint is safe because processed subjects are no
 * longer candidates.
 */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import { batchIsolation, batchWork, commitOrSplit, errorCode, recordBatch, type RuleRun } from './batch-commit';
import { RunSuperseded, saveRun } from './run-store';

/** How a batch in flight ended: committed (false when a hold stopped the rule), or failed. */
type Outcome = { ok: true; goOn: boolean } | { ok: false; err: unknown };

/** A batch in flight. */
interface Flight { ids: number[]; last: number; locked: Promise<void>; settled: Promise<Outcome> }

/** The committed prefix: its cursor, and whether a batch after it failed (later batches then keep the cursor). */
interface Prefix { cursor: number; hole: boolean }

/** Thrown inside a batch whose turn came after an earlier batch stopped the rule (a hold): it rolls back. */
class RuleStopped extends Error {}

/** Locks one of the three turn rows (held until the transaction ends). */
async function lockTurn(trx: Knex.Transaction, slot: number): Promise<void> {
  await trx('retention_turns').where({ slot }).forUpdate().select('slot');
}

/**
 * Starts one batch's transaction on its own connection; `prev` is the batch launched just before it. Everything a
 * later batch reads at its turn (the report, the prefix) is final when this one's `settled` resolves.
 */
function launch(kernel: Kernel, r: RuleRun, ids: number[], slot: number, prev: Flight | null, prefix: Prefix): Flight {
  const last = ids[ids.length - 1];
  // Resolved once the batch holds its turn and the locks of its subjects and their contacts (or has ended).
  let markStarted!: () => void;
  const locked = new Promise<void>((resolve) => { markStarted = resolve; });
  const settled = (async (): Promise<Outcome> => {
    let before: string | null = null;
    try {
      const goOn = await kernel.db.transaction(async (trx) => {
        await lockTurn(trx, slot);
        let turn: Promise<void> | null = null;
        const ordered = (): Promise<void> => (turn ??= (async () => {
          await lockTurn(trx, (slot + 2) % 3); // the batch before: free once it committed or rolled back
          if (prev) await prev.settled;
          if (r.rr.state !== 'running') throw new RuleStopped();
        })());
        const delta = await batchWork(kernel, trx, r, ids, { locked: markStarted, ordered });
        await ordered();
        before = JSON.stringify(r.rr);
        return recordBatch(trx, r, delta, prefix.hole ? prefix.cursor : last);
      }, batchIsolation(kernel));
      if (!prefix.hole) prefix.cursor = last;
      return { ok: true, goOn };
    } catch (err) {
      // Rolled back: the report as it was before this batch's record; later batches keep the cursor before it.
      if (before !== null) Object.assign(r.rr, JSON.parse(before));
      if (!(err instanceof RuleStopped) && !(err instanceof RunSuperseded)) prefix.hole = true;
      return { ok: false, err };
    } finally {
      markStarted();
    }
  })();
  return { ids, last, locked, settled };
}

/**
 * Processes one whole-subject rule from `startCursor` with two batches in flight (see above). `find` answers the next
 * batch after a cursor (the caller reads one ahead); `progress` runs after each batch that committed.
 */
export async function processRulePipelined(kernel: Kernel, r: RuleRun, startCursor: number, find: (cursor: number) => Promise<number[]>, progress: () => Promise<void>, shouldStop: () => boolean): Promise<'done' | 'held' | 'stopped'> {
  const prefix: Prefix = { cursor: startCursor, hole: false };
  const open: Flight[] = [];
  const failed: { flight: Flight; err: unknown }[] = [];
  let held = false;
  let superseded: unknown = null;
  let slot = 0;
  let cursor = startCursor;

  /** Waits for the oldest batch in flight and takes its outcome into account. */
  const settleOldest = async (): Promise<void> => {
    const f = open.shift()!;
    const o = await f.settled;
    if (o.ok) {
      r.batches += 1;
      if (!o.goOn) held = true;
      else await progress();
    } else if (o.err instanceof RunSuperseded) superseded = o.err;
    else if (!(o.err instanceof RuleStopped)) failed.push({ flight: f, err: o.err });
  };
  const drain = async (): Promise<void> => {
    while (open.length) await settleOldest();
    if (superseded) throw superseded;
  };
  /** The failed batches, in order, each on its own; then the checkpoint at the end of everything launched. */
  const retryFailed = async (): Promise<void> => {
    for (const { flight, err } of failed.splice(0)) {
      kernel.log.warn({ runId: r.run.id, ruleId: r.rule.id, code: errorCode(err) }, 'retention: an overlapping batch failed; retrying it on its own');
      if (!(await commitOrSplit(kernel, r, flight.ids, flight.last))) {
        held = true;
        return;
      }
      r.batches += 1;
      await progress();
    }
    prefix.hole = false;
    prefix.cursor = cursor;
    await saveRun(kernel.db, r.run.id, { report: r.report, checkpoint: { brandId: r.ctx.brand.id, ruleId: r.rule.id, cursor }, holder: r.holder });
  };

  try {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (held) return 'held';
      if (failed.length) {
        await drain();
        await retryFailed();
        if (held) return 'held';
        continue;
      }
      if (shouldStop()) {
        await drain();
        return 'stopped';
      }
      const ids = await find(cursor);
      if (!ids.length) {
        await drain();
        if (failed.length) {
          await retryFailed();
          if (held) return 'held';
          continue;
        }
        return held ? 'held' : 'done';
      }
      // At most two batches open: the one before must hold its turn and rows, and the one before that must have ended.
      while (open.length >= 2) await settleOldest();
      if (held || failed.length) continue; // its ids are found again from the same cursor
      if (open.length) await open[open.length - 1].locked;
      open.push(launch(kernel, r, ids, slot, open[open.length - 1] ?? null, prefix));
      slot = (slot + 1) % 3;
      cursor = ids[ids.length - 1];
    }
  } finally {
    // Stopped, held or failed: let the batches in flight end (they commit or roll back on their own) before the caller writes the run.
    await Promise.all(open.map((f) => f.settled));
  }
}
