/**
 * The escrow module's service: `deposit` builds and queues a deposit for one brand (`--brand`) or every brand the
 * module is on for with escrow enabled, under the job's lease (the scheduled job already holds it), and reports each
 * one. `privacy-suite escrow deposit [--full] [--brand <slug>]` calls it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Actor } from '../../core/audit/audit-log';
import type { Brand } from '../../core/brands/brand';
import { SuiteError } from '../../core/errors';
import type { Kernel } from '../../core/kernel';
import { moduleSettings } from '../../core/profile/module-settings';
import { Leases } from '../../core/scheduler/leases';
import { buildDeposit, type DepositReport } from './deposit/build-deposit';
import { failDeposit, getDeposit, type DepositRow } from './deposit/deposit-store';
import { depositProgress, type ProgressStream } from './progress';
import { DEPOSIT_LEASE, EscrowSettings } from './settings';

/** `deposit`'s options: the CLI's (`full`, `brand`) and the job's (`brandIds`, `leaseHeld`). */
export interface DepositOptions {
  full?: boolean; brand?: string; brandIds?: number[]; leaseHeld?: boolean; now?: number;
  actor?: Actor; signal?: AbortSignal; progressStream?: ProgressStream;
}

/**
 * What a run answers: one report per brand, or the error code of a brand that failed (the others still ran); how many
 * undelivered deposits whose outbox message had given up were put back in the queue.
 */
export interface DepositRun { ok: boolean; deposits: DepositReport[]; failed: { brand: string; code: string; fields?: string[] }[]; requeued: number }

export class EscrowService {
  constructor(private readonly kernel: Kernel) {}

  private async enabled(b: Brand): Promise<boolean> {
    if (!(await this.kernel.modules.enabledFor(this.kernel.brands, b, 'escrow'))) return false;
    return moduleSettings(EscrowSettings, await this.kernel.brands.profile(b), 'escrow').enabled;
  }

  private async brands(opts: DepositOptions): Promise<Brand[]> {
    if (opts.brand) {
      const b = await this.kernel.brands.get(opts.brand);
      if (!(await this.enabled(b))) throw new SuiteError('SUITE_ESCROW_NOT_ENABLED', { brand: b.slug });
      return [b];
    }
    const all = opts.brandIds ? await Promise.all(opts.brandIds.map((id) => this.kernel.brands.getById(id))) : await this.kernel.brands.list();
    const out: Brand[] = [];
    for (const b of all) if (await this.enabled(b)) out.push(b);
    return out;
  }

  /** Builds and queues today's deposit (full on the brand's full day, with `full`, or when there is none yet). */
  async deposit(opts: DepositOptions = {}): Promise<DepositRun> {
    const brands = await this.brands(opts);
    const leases = new Leases(this.kernel.db, `esc_${crypto.randomBytes(6).toString('hex')}`);
    if (!opts.leaseHeld && !(await leases.acquire(DEPOSIT_LEASE, 30 * 60_000))) throw new SuiteError('SUITE_ESCROW_BUSY');
    const progress = opts.progressStream ? depositProgress(opts.progressStream) : null;
    const run: DepositRun = { ok: true, deposits: [], failed: [], requeued: 0 };
    try {
      await this.sweepAbandoned();
      run.requeued = await this.requeueDead(brands.map((b) => b.id));
      for (const b of brands) {
        if (opts.signal?.aborted) break; // SIGTERM/SIGINT: stop between brands too; the next run deposits the rest
        try {
          run.deposits.push(await buildDeposit(this.kernel, b, { full: opts.full, now: opts.now, signal: opts.signal, actor: opts.actor, onProgress: progress?.update }));
        } catch (err) {
          // One brand's bad setting does not stop the others; with a single brand named, the error is the answer.
          if (opts.brand) throw err;
          const e = err as SuiteError;
          run.ok = false;
          run.failed.push({ brand: b.slug, code: e.code ?? 'SUITE_INTERNAL', ...(e.fields ? { fields: e.fields.map((f) => f.field) } : {}) });
          this.kernel.log.warn({ brand: b.slug, code: e.code }, 'escrow deposit failed');
        }
      }
    } finally {
      progress?.end();
      if (!opts.leaseHeld) await leases.release(DEPOSIT_LEASE).catch(() => undefined);
    }
    return run;
  }

  /** Under the lease no other deposit is building: a row still `building` is a crashed run's; it is failed and its files removed. */
  private async sweepAbandoned(): Promise<void> {
    const rows = (await this.kernel.db('escrow_deposits').where({ state: 'building' }).select('id')) as { id: number }[];
    for (const r of rows) {
      const dep = await getDeposit(this.kernel.db, Number(r.id));
      await failDeposit(this.kernel.db, Number(r.id), 'abandoned: the run that built it stopped');
      // The row's staging_dir is the root until the build finishes; the deposit's own folder is <root>/<brand>/<id>.
      const brand = await this.kernel.brands.getById(dep!.brandId);
      await fs.rm(path.join(dep!.stagingDir, brand.slug, String(dep!.id)), { recursive: true, force: true });
    }
  }

  /**
   * "Retried until delivered": the outbox dead-letters a message after its last attempt (SUITE_OUTBOX_MAX_ATTEMPTS);
   * a deposit still waiting for delivery gets its message put back in the queue on each run (daily with the job).
   */
  private async requeueDead(brandIds: number[]): Promise<number> {
    if (!brandIds.length) return 0;
    const dead = (await this.kernel.db('escrow_deposits as d').join('outbox as o', 'o.id', 'd.outbox_id')
      .where('d.state', 'queued').andWhere('o.state', 'dead').whereIn('d.brand_id', brandIds).select('o.id')) as { id: number }[];
    for (const m of dead) await this.kernel.outbox.retry(Number(m.id), null);
    return dead.length;
  }

  /** One deposit's row (state, files, counts). */
  async get(id: number): Promise<DepositRow | undefined> {
    return getDeposit(this.kernel.db, id);
  }
}
