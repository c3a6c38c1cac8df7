/** Runs the modules' scheduled jobs with node-cron; each run first takes the job's lease, so one instance runs it. */
import crypto from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type { Kernel } from '../kernel';
import type { JobSpec } from '../modules/define-module';
import { Leases } from './leases';

/** The outcome of one attempt to run a job. */
export interface JobRun { job: string; ran: boolean; reason?: string; result?: Record<string, unknown> | void; error?: string }

export class Scheduler {
  readonly holder = `i_${crypto.randomBytes(6).toString('hex')}`;
  readonly leases: Leases;
  private tasks: ScheduledTask[] = [];
  private readonly inFlight = new Set<Promise<JobRun>>();
  private abort = new AbortController();
  /** Jobs running in this instance: a cron tick that comes while the previous run is still going is skipped. */
  private readonly running = new Set<string>();

  constructor(private readonly kernel: Kernel, private readonly leaseMs = 10 * 60_000) {
    this.leases = new Leases(kernel.db, this.holder);
  }

  /** Every job of every loaded module, named `<module>:<job>`. */
  jobs(): { name: string; module: string; spec: JobSpec }[] {
    return this.kernel.modules.list().flatMap((m) => (m.jobs ?? []).map((spec) => ({ name: `${m.name}:${spec.name}`, module: m.name, spec })));
  }

  /** Runs one job now if its lease can be taken; the job sees only brands its module is on for. */
  async runJob(name: string): Promise<JobRun> {
    const job = this.jobs().find((j) => j.name === name);
    if (!job) return { job: name, ran: false, reason: 'unknown job' };
    // The lease row lets its holder re-acquire it, so a second run in this same instance is refused here.
    if (this.running.has(name)) return { job: name, ran: false, reason: 'already running in this instance' };
    this.running.add(name);
    let acquired = false;
    try {
      acquired = await this.leases.acquire(name, this.leaseMs);
    } finally {
      if (!acquired) this.running.delete(name);
    }
    if (!acquired) return { job: name, ran: false, reason: 'lease held by another instance' };
    const p = (async (): Promise<JobRun> => {
      const log = this.kernel.log.child({ job: name });
      // A job that runs longer than the lease keeps it: renew at a third of its length.
      const renew = setInterval(() => {
        this.leases.renew(name, this.leaseMs).then((held) => { if (!held) log.warn('job lease was lost while running'); }, () => undefined);
      }, Math.max(1000, Math.floor(this.leaseMs / 3)));
      renew.unref();
      try {
        const brands = [];
        for (const b of await this.kernel.brands.list()) if (await this.kernel.modules.enabledFor(this.kernel.brands, b, job.module)) brands.push(b);
        const started = Date.now();
        const result = await job.spec.run({ kernel: this.kernel, brands, log, signal: this.abort.signal });
        log.info({ ms: Date.now() - started }, 'job finished');
        return { job: name, ran: true, result };
      } catch (err) {
        log.error({ code: (err as Error).name }, 'job failed');
        return { job: name, ran: true, error: (err as Error).message };
      } finally {
        clearInterval(renew);
        await this.leases.release(name).catch(() => undefined);
        this.running.delete(name);
      }
    })();
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    return p;
  }

  /** Schedules every job with node-cron. */
  start(): void {
    if (this.abort.signal.aborted) this.abort = new AbortController();
    for (const j of this.jobs()) {
      if (!cron.validate(j.spec.schedule)) throw new Error(`job ${j.name} has an invalid cron expression "${j.spec.schedule}"`);
      this.tasks.push(cron.schedule(j.spec.schedule, () => { void this.runJob(j.name); }, { name: j.name }));
    }
  }

  /** Stops scheduling, signals running jobs, waits for them, and releases every lease this instance holds. */
  async stop(): Promise<void> {
    for (const t of this.tasks) await t.stop();
    this.tasks = [];
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
    await this.leases.releaseAll();
  }
}
