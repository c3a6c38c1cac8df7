/**
 * The retention module's panel on the admin dashboard: real runs of the last 30 days by state, what the last run
 * processed for these brands and how long ago it ran, rules waiting for approval, and a bar per recent run (subjects
 * processed). A few aggregate queries; only the last runs' reports are read.
 */
import type { Knex } from 'knex';
import type { DashboardPanel } from '../../../core/modules/define-module';
import { countBy, DAY_MS, oneBrandHref, shortDate, type DashboardContext } from '../../../core/http/admin-dashboard';
import { effectiveRules } from '../rules/effective-rules';
import type { RunReport } from '../sweep/run-report';

/** Runs the chart shows, the latest last. */
const RUNS = 8;

/** Runs that covered one of the brands (`brand_ids` is stored as ",1,2,"). */
function coveringBrands(q: Knex.QueryBuilder, brandIds: number[] | null): Knex.QueryBuilder {
  if (!brandIds) return q;
  return q.where((w) => { for (const id of brandIds) w.orWhere('brand_ids', 'like', `%,${id},%`); });
}

/** Subjects a run processed for the brands of the dashboard. */
function processedFor(report: RunReport, brandIds: number[] | null): number {
  return report.brands.filter((b) => !brandIds || brandIds.includes(b.brandId)).reduce((s, b) => s + b.rules.reduce((n, r) => n + r.processed, 0), 0);
}

/** Rules (valid ones) of the brands whose current definition has no approval yet. */
async function pendingApprovals(ctx: DashboardContext): Promise<number> {
  const brands = (await ctx.kernel.brands.list()).filter((b) => !ctx.brandIds || ctx.brandIds.includes(b.id));
  if (!brands.length) return 0;
  const rows = (await ctx.kernel.db('retention_approvals').whereIn('brand_id', brands.map((b) => b.id)).select('brand_id', 'rule_id', 'rule_hash')) as { brand_id: number; rule_id: string; rule_hash: string }[];
  const approved = new Set(rows.map((r) => `${Number(r.brand_id)}\u0000${r.rule_id}\u0000${r.rule_hash}`));
  let pending = 0;
  for (const b of brands) {
    for (const r of effectiveRules(await ctx.kernel.brands.profile(b))) if (!r.invalid && !approved.has(`${b.id}\u0000${r.id}\u0000${r.hash}`)) pending += 1;
  }
  return pending;
}

/** Panels over the brands the user sees (`brandIds` null: every brand). */
export async function retentionDashboard(ctx: DashboardContext): Promise<DashboardPanel[]> {
  const { kernel, now } = ctx;
  const real = coveringBrands(kernel.db('retention_runs').where({ dry_run: false }), ctx.brandIds);
  const states = await countBy(real.clone().where('started_at', '>=', now - 30 * DAY_MS), 'state');
  const recent = ((await real.clone().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(RUNS).select('started_at', 'report')) as { started_at: number | string; report: string }[]).reverse();
  const processed = recent.map((r) => processedFor(JSON.parse(r.report) as RunReport, ctx.brandIds));
  const last = recent.at(-1);
  const pending = await pendingApprovals(ctx);
  const runs = await oneBrandHref(ctx, 'retention/runs');
  const failed = states.get('failed') ?? 0;
  const interrupted = states.get('interrupted') ?? 0;
  const stats: DashboardPanel['stats'] = [
    { label: 'retention.dashboard.finished30d', value: states.get('finished') ?? 0, href: runs },
    { label: 'retention.dashboard.failed30d', value: failed, href: runs, tone: failed > 0 ? 'bad' : 'ok' },
    { label: 'retention.dashboard.interrupted30d', value: interrupted, href: runs, tone: interrupted > 0 ? 'warn' : undefined },
    { label: 'retention.dashboard.running', value: states.get('running') ?? 0, href: runs },
  ];
  if (last) {
    stats.push({ label: 'retention.dashboard.lastProcessed', value: processed.at(-1) ?? 0, href: runs });
    stats.push({ label: 'retention.dashboard.daysSinceLast', value: Math.max(0, Math.floor((now - Number(last.started_at)) / DAY_MS)), href: runs });
  }
  stats.push({ label: 'retention.dashboard.pendingApprovals', value: pending, href: await oneBrandHref(ctx, 'retention/rules'), tone: pending > 0 ? 'warn' : 'ok' });
  return [{
    id: 'retention', title: 'retention.dashboard.title', stats,
    ...(recent.length ? { chart: { title: 'retention.dashboard.chart', labels: recent.map((r) => shortDate(ctx.locale, Number(r.started_at))), series: [{ label: 'retention.dashboard.series', values: processed }] } } : {}),
  }];
}
