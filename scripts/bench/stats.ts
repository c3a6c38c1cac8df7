/** Small statistics helpers for the bench: percentiles, a concurrency-limited runner. */

/** The p-th percentile (0–100) of a list of numbers (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The outcome of one timed run. */
export interface RunResult { events: number; ms: number; perSecond: number; latencies: number[]; errors: number; firstError?: string; /** CPU time (user + system) this process spent per event, µs. */ cpuUsPerEvent: number }

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight; times each call and the whole run. */
export async function runConcurrent(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<RunResult> {
  const latencies: number[] = new Array(n);
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const cpu0 = process.cpuUsage();
  const started = process.hrtime.bigint();
  const lane = async () => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const t0 = process.hrtime.bigint();
      try {
        await task(i);
      } catch (err) {
        errors += 1;
        firstError ??= (err as Error).message;
      }
      latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { events: n, ms, perSecond: (n / ms) * 1000, latencies, errors, firstError, cpuUsPerEvent: (cpu.user + cpu.system) / n };
}
