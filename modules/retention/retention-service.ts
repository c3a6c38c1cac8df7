/**
 * The retention module's service (the CLI's `retention run`, the job, the admin routes): runs the sweep or a dry run,
 * shows the effective rules with their approval state, approves rules, and places and releases legal holds.
 */
import type { Actor } from '../../core/audit/audit-log';
import type { Brand } from '../../core/brands/brand';
import { SuiteError } from '../../core/errors';
import { t } from '../../core/i18n';
import type { Kernel } from '../../core/kernel';
import { createHold, listHolds, releaseHold, wideHolds, type Hold, type HoldInput } from './holds/hold-store';
import { approvalOf, approveRule, type Approval } from './rules/approvals';
import type { EffectiveRule } from './rules/effective-rules';
import { SWEEP_SCHEDULE } from './settings';
import { brandContext, plannedRules, wideHoldIds } from './sweep/brand-context';
import { dryRun } from './sweep/dry-run';
import { nextDailyRun } from './sweep/next-run';
import { processRun, type SweepProgress } from './sweep/process-run';
import { progressBar, type ProgressStream } from './sweep/progress-bar';
import type { RunReport } from './sweep/run-report';
import { insertRun, listRuns, loadRun, runView, unfinishedRuns, type RunRecord, type RunView } from './sweep/run-store';
import { takeSweepLease, type SweepLease } from './sweep/sweep-lease';

/** Options of a run (`retention run`, the job, POST …/runs). */
export interface RetentionRunOptions {
  dryRun?: boolean;
  /** One brand by slug (default: every brand the module is on for). */
  brand?: string;
  /** Brands by id (the job passes the brands the module is on for). */
  brandIds?: number[];
  actor?: Actor;
  /** The moment cutoffs are computed from (tests; default now). */
  now?: number;
  /** Called after each committed batch (awaited, so it may be async). */
  onProgress?: (p: SweepProgress) => void | Promise<void>;
  /** Where to draw the progress bar (the CLI passes stderr unless --json). */
  progressStream?: ProgressStream;
  signal?: AbortSignal;
  batchSize?: number;
  /** The caller holds the sweep's lease already (the scheduler's job). */
  leaseHeld?: boolean;
}

/** What `run` answers: whether everything went, the runs it resumed, and the run (null when there was nothing to run). */
export type RunResult = { ok: boolean; resumed: number[]; run: RunView | null };

/** A rule as GET …/rules shows it. */
export interface RuleView extends EffectiveRule { state: 'approved' | 'awaiting-approval' | 'invalid'; invalidMessage: string | null; approval: Approval | null; heldBy: number[]; schedule: string; nextRunAt: string | null }

const SYSTEM: Actor = { type: 'system', id: 'retention' };

export class RetentionService {
  constructor(private readonly kernel: Kernel) {}

  /** The brands a run covers: the named one (the module must be on for it), the given ids, or every brand the module is on for. */
  private async brandsFor(opts: RetentionRunOptions): Promise<Brand[]> {
    const k = this.kernel;
    if (opts.brand) {
      const b = await k.brands.get(opts.brand);
      if (!(await k.modules.enabledFor(k.brands, b, 'retention'))) throw new SuiteError('SUITE_MODULE_DISABLED', { module: 'retention', brand: b.slug });
      return [b];
    }
    if (opts.brandIds) return Promise.all(opts.brandIds.map((id) => k.brands.getById(id)));
    const out: Brand[] = [];
    for (const b of await k.brands.list()) if (await k.modules.enabledFor(k.brands, b, 'retention')) out.push(b);
    return out;
  }

  /** Creates a real run for the brands (every rule in its planned state); returns its id. */
  private async createRun(brands: Brand[], actor: Actor, asOf: number): Promise<number> {
    const report: RunReport = { brands: [] };
    for (const b of brands) report.brands.push({ brandId: b.id, brand: b.slug, rules: plannedRules(await brandContext(this.kernel, b), false) });
    return this.kernel.db.transaction(async (trx) => {
      const id = await insertRun(trx, { brandIds: brands.map((b) => b.id), dryRun: false, state: 'running', actor, asOf, report });
      await this.kernel.audit.record({ brandId: brands.length === 1 ? brands[0].id : null, actor, action: 'retention.run.started', targetType: 'retention_run', targetId: id, details: { brands: brands.map((b) => b.id), asOf } }, trx);
      return id;
    });
  }

  /**
   * Runs the sweep (or, with dryRun, only reports): takes the sweep's lease (SUITE_RETENTION_BUSY when another run
   * holds it), resumes any unfinished run first, then runs the requested brands unless the resumed run covered them.
   */
  async run(opts: RetentionRunOptions = {}): Promise<RunResult> {
    const brands = await this.brandsFor(opts);
    const actor = opts.actor ?? SYSTEM;
    const asOf = opts.now ?? Date.now();
    if (opts.dryRun) return { ok: true, resumed: [], run: runView(await dryRun(this.kernel, brands, { actor, asOf })) };
    const lease = opts.leaseHeld ? undefined : await takeSweepLease(this.kernel);
    try {
      return await this.runLeased(brands, actor, asOf, opts, lease);
    } finally {
      await lease?.release();
    }
  }

  /** The sweep under a held lease (the job calls it through `run` with leaseHeld). */
  private async runLeased(brands: Brand[], actor: Actor, asOf: number, opts: RetentionRunOptions, lease: SweepLease | undefined): Promise<RunResult> {
    const bar = opts.progressStream ? progressBar(opts.progressStream) : undefined;
    const onProgress = async (p: SweepProgress): Promise<void> => {
      bar?.update(p);
      await opts.onProgress?.(p);
    };
    const popts = { onProgress, signal: opts.signal, batchSize: opts.batchSize, lease, actor };
    try {
      const resumed: RunRecord[] = [];
      for (const r of await unfinishedRuns(this.kernel.db)) {
        resumed.push(await processRun(this.kernel, r.id, popts));
        if (opts.signal?.aborted || lease?.lost) break;
      }
      const wanted = new Set(brands.map((b) => b.id));
      const covered = resumed.find((r) => r.state === 'finished' && [...wanted].every((id) => r.brandIds.includes(id)));
      const stopped = resumed.find((r) => r.state !== 'finished');
      const run = covered ?? stopped ?? (brands.length ? await processRun(this.kernel, await this.createRun(brands, actor, asOf), popts) : undefined);
      if (!run) return { ok: true, resumed: [], run: null };
      const view = runView(run);
      return { ok: run.state === 'finished' && view.totals.failed === 0, resumed: resumed.map((r) => r.id), run: view };
    } finally {
      bar?.end();
    }
  }

  /** Starts a real run of one brand in the background (the admin API): the lease is taken first, so a busy sweep is a 409. */
  async startInBackground(brand: Brand, actor: Actor): Promise<{ runId: number; done: Promise<void> }> {
    const lease = await takeSweepLease(this.kernel);
    try {
      // Created now so the answer names it; the run below resumes older unfinished runs first, then this one.
      const runId = await this.createRun([brand], actor, Date.now());
      const done = this.runLeased([brand], actor, Date.now(), { signal: this.stopping.signal }, lease)
        .then(() => undefined, (err: unknown) => { this.kernel.log.error({ runId, code: (err as Error)?.name }, 'retention run stopped; the next run resumes it'); })
        .finally(() => lease.release());
      this.background.add(done);
      void done.finally(() => this.background.delete(done));
      return { runId, done };
    } catch (err) {
      await lease.release();
      throw err;
    }
  }

  private readonly background = new Set<Promise<void>>();
  private stopping = new AbortController();

  /** Stops background runs between two batches and waits for them (module stop); they resume at the next run. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.background]);
    this.stopping = new AbortController();
  }

  /** Waits for the background runs of this process (tests). */
  async settle(): Promise<void> {
    while (this.background.size) await Promise.allSettled([...this.background]);
  }

  /** The brand's effective rules with approval state and the wide holds that keep them out. */
  async rules(brand: Brand, locale = 'en'): Promise<RuleView[]> {
    const ctx = await brandContext(this.kernel, brand);
    const wide = await wideHolds(this.kernel.db, brand.id, Date.now());
    const next = nextDailyRun(SWEEP_SCHEDULE);
    return ctx.rules.map((r) => {
      const approval = approvalOf(ctx.approvals, r);
      const state = r.invalid ? 'invalid' : approval ? 'approved' : 'awaiting-approval';
      return { ...r, state, invalidMessage: r.invalid ? t(locale, `retention.invalid.${r.invalid}`) : null, approval, heldBy: wideHoldIds(r, wide), schedule: SWEEP_SCHEDULE, nextRunAt: next };
    });
  }

  /** Approves a rule's current definition, optionally naming the dry run the admin looked at. */
  async approve(brand: Brand, ruleId: string, input: { dryRunId?: number }, actor: Actor, ip?: string): Promise<RuleView> {
    const ctx = await brandContext(this.kernel, brand);
    const rule = ctx.rules.find((r) => r.id === ruleId);
    if (!rule) throw new SuiteError('SUITE_RETENTION_RULE_UNKNOWN', { rule: ruleId.slice(0, 80) });
    await approveRule(this.kernel, brand, rule, input, actor, ip);
    return (await this.rules(brand)).find((r) => r.id === ruleId)!;
  }

  /** Places a legal hold. */
  hold(brand: Brand, input: HoldInput, actor: Actor, ip?: string): Promise<Hold> {
    return createHold(this.kernel, brand, input, actor, ip);
  }

  /** Releases a legal hold. */
  release(brand: Brand, id: number, actor: Actor, ip?: string): Promise<Hold> {
    return releaseHold(this.kernel, brand, id, actor, ip);
  }

  /** The brand's holds. */
  holds(brand: Brand, opts: { active?: boolean } = {}): Promise<Hold[]> {
    return listHolds(this.kernel, brand, opts);
  }

  /** The runs that covered a brand, newest first (that brand's part of each report). */
  async runs(brand: Brand, limit = 50): Promise<RunView[]> {
    return (await listRuns(this.kernel.db, brand.id, limit)).map((r) => runView(r, brand.id));
  }

  /** One run as a brand sees it. */
  async runOf(brand: Brand, id: number): Promise<RunView> {
    return runView(await loadRun(this.kernel.db, id, brand.id), brand.id);
  }
}
