/**
 * The consent module's panel on the admin dashboard: consents given and withdrawn in the last 30 days, and per week
 * over the last 12 weeks (two series), from the consent ledger. Two aggregate queries.
 */
import type { DashboardPanel } from '../../../core/modules/define-module';
import { countBy, countPerBucket, DAY_MS, inBrands, oneBrandHref, shortDate, WEEK_MS, weekStart, type DashboardContext } from '../../../core/http/admin-dashboard';

/** Weeks the chart shows, the current one last. */
const WEEKS = 12;

/** Panels over the brands the user sees (`brandIds` null: every brand). */
export async function consentDashboard(ctx: DashboardContext): Promise<DashboardPanel[]> {
  const { kernel, now } = ctx;
  const events = inBrands(kernel.db('consent_ledger').whereIn('action', ['given', 'withdrawn']), ctx.brandIds);
  const last30 = await countBy(events.clone().where('created_at', '>=', now - 30 * DAY_MS), 'action');
  const origin = weekStart(now) - (WEEKS - 1) * WEEK_MS;
  const rows = await countPerBucket(kernel.db, events, { column: 'created_at', origin, width: WEEK_MS, by: 'action' });
  const weeks = Array.from({ length: WEEKS }, (_, i) => origin + i * WEEK_MS);
  const per = (action: string): number[] => weeks.map((w) => rows.filter((r) => r.start === w && r.by === action).reduce((s, r) => s + r.n, 0));
  const href = await oneBrandHref(ctx, 'consent/ledger');
  return [{
    id: 'consent', title: 'consent.dashboard.title',
    stats: [
      { label: 'consent.dashboard.given30d', value: last30.get('given') ?? 0, href },
      { label: 'consent.dashboard.withdrawn30d', value: last30.get('withdrawn') ?? 0, href },
    ],
    chart: {
      title: 'consent.dashboard.chart',
      labels: weeks.map((w) => shortDate(ctx.locale, w)),
      series: [{ label: 'consent.dashboard.given', values: per('given') }, { label: 'consent.dashboard.withdrawn', values: per('withdrawn') }],
    },
  }];
}
