/**
 * The dry run (SP-8): for each brand and rule, what a real run would process, what holds and restriction would keep,
 * and a few samples (subject ids and event dates) — read-only; only its report is stored (retention_runs, dry_run).
 * Rules waiting for approval are counted too: the dry run is what an admin looks at before approving them.
 */
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import { wideHolds } from '../holds/hold-store';
import { brandContext, plannedRules, startRule } from './brand-context';
import type { BrandReport, RunReport } from './run-report';
import { insertRun, loadRun, type RunRecord } from './run-store';

/** Runs a dry run over the brands at `asOf` and stores its report; changes no data. */
export async function dryRun(kernel: Kernel, brands: Brand[], opts: { actor: Actor; asOf: number; samples?: number }): Promise<RunRecord> {
  const report: RunReport = { brands: [] };
  for (const brand of brands) {
    const ctx = await brandContext(kernel, brand);
    const rules = plannedRules(ctx, true);
    const wide = await wideHolds(kernel.db, brand.id, opts.asOf);
    for (let i = 0; i < ctx.rules.length; i++) {
      if (rules[i].state === 'invalid') continue;
      const counted = await startRule(kernel.db, ctx, ctx.rules[i], opts.asOf, wide, opts.samples ?? ctx.settings.samples);
      const waiting = rules[i].state === 'awaiting-approval';
      Object.assign(rules[i], counted, waiting ? { state: 'awaiting-approval', reason: null } : {});
    }
    const part: BrandReport = { brandId: brand.id, brand: brand.slug, rules };
    report.brands.push(part);
  }
  const id = await kernel.db.transaction(async (trx) => {
    const runId = await insertRun(trx, { brandIds: brands.map((b) => b.id), dryRun: true, state: 'finished', actor: opts.actor, asOf: opts.asOf, report });
    await kernel.audit.record({ brandId: brands.length === 1 ? brands[0].id : null, actor: opts.actor, action: 'retention.dry-run', targetType: 'retention_run', targetId: runId, details: { brands: brands.map((b) => b.id) } }, trx);
    return runId;
  });
  return loadRun(kernel.db, id);
}
