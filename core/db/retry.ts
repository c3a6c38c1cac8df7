/**
 * Runs a transaction again when MySQL/MariaDB chose it as a deadlock victim (ER_LOCK_DEADLOCK 1213; InnoDB has
 * rolled it back whole) or it waited too long for a lock (ER_LOCK_WAIT_TIMEOUT 1205): a bounded number of times, after
 * a short random pause so the contenders do not collide again. SQLite runs one writer at a time and never needs it.
 */
import type { Knex } from 'knex';

const ER_LOCK_DEADLOCK = 1213;
const ER_LOCK_WAIT_TIMEOUT = 1205;

/** Attempts in all for a deadlock; a lock wait timeout (which already waited innodb_lock_wait_timeout) gets one more. */
export const DEADLOCK_ATTEMPTS = 4;
const LOCK_WAIT_ATTEMPTS = 2;

/** Whether `err` (or what it wraps) is a deadlock or a lock wait timeout: the transaction may simply run again. */
export function isRetryableConflict(err: unknown): boolean {
  for (let e = err as { errno?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.errno === ER_LOCK_DEADLOCK || e.errno === ER_LOCK_WAIT_TIMEOUT) return true;
  }
  return false;
}

function attemptsFor(err: unknown): number {
  return (err as { errno?: unknown }).errno === ER_LOCK_WAIT_TIMEOUT ? LOCK_WAIT_ATTEMPTS : DEADLOCK_ATTEMPTS;
}

export interface RetryOptions {
  /** Called before each new attempt (1 for the first retry), e.g. to log it. */
  onRetry?: (attempt: number, err: unknown) => void;
  /** Upper bound of the first pause in ms (doubled per attempt, a random part of it taken). */
  baseDelayMs?: number;
}

/**
 * Runs `attempt` until it does not fail with a retryable conflict, at most DEADLOCK_ATTEMPTS times. `attempt` must be
 * a whole unit that can run again from the start: it opens its transaction(s) itself and keeps no state between runs.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isRetryableConflict(err) || n >= attemptsFor(err)) throw err;
      opts.onRetry?.(n, err);
      const cap = (opts.baseDelayMs ?? 15) * 2 ** (n - 1);
      await new Promise((r) => setTimeout(r, cap / 2 + Math.random() * cap / 2));
    }
  }
}

/** `db.transaction(fn)`, run again from the start after a deadlock (see retryOnConflict). */
export function retryConflicts<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  return retryOnConflict(() => db.transaction(fn), opts);
}
