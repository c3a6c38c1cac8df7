/**
 * The retention module's settings: per brand from the profile's `modules.retention`, and the sweep's process-wide
 * knobs from the environment (batch size, lease length, schedule), which win so an operator can tune a big sweep.
 */
import { z } from 'zod';

/** Per-brand settings (profile `modules.retention`). */
export const RetentionSettings = z.object({
  /** Subjects per batch transaction for this brand (SUITE_RETENTION_BATCH_SIZE overrides it). */
  batchSize: z.number().int().min(1).max(10_000).default(1000),
  /** Samples a dry run shows per rule (subject ids and event dates, never personal values). */
  samples: z.number().int().min(0).max(50).default(5),
}).passthrough();
export type RetentionSettings = z.infer<typeof RetentionSettings>;

/** The job's cron expression: daily at 03:00 unless SUITE_RETENTION_CRON says otherwise. */
export const SWEEP_SCHEDULE = process.env.SUITE_RETENTION_CRON || '0 3 * * *';

/** The lease the sweep runs under: the scheduler's name for the job, so the CLI, the API and cron exclude each other. */
export const SWEEP_LEASE = 'retention:sweep';

function intEnv(name: string, min: number, max: number): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

/** The batch size from the environment (SUITE_RETENTION_BATCH_SIZE, 1–10,000), if set. */
export function envBatchSize(): number | undefined {
  return intEnv('SUITE_RETENTION_BATCH_SIZE', 1, 10_000);
}

/** How long a sweep's lease lasts without renewal (SUITE_RETENTION_LEASE_MS, default 60 s; renewed every third). */
export function leaseMs(): number {
  return intEnv('SUITE_RETENTION_LEASE_MS', 2_000, 3_600_000) ?? 60_000;
}

/**
 * Whether whole-subject batches overlap on MySQL/MariaDB, two in flight (SUITE_RETENTION_OVERLAP, default on; "0"
 * or "off" makes the sweep do one batch after another, as it always does on SQLite).
 */
export function envOverlap(): boolean {
  const raw = (process.env.SUITE_RETENTION_OVERLAP ?? '').trim().toLowerCase();
  return !(raw === '0' || raw === 'off' || raw === 'false' || raw === 'no');
}
