/**
 * The rights module's panel on the admin dashboard: open requests of the brands' queues by due date (overdue, this
 * week, next week, later) and a bar per due week (overdue, then the next six weeks). Two aggregate queries.
 */
import type { DashboardPanel } from '../../../core/modules/define-module';
import { countPerBucket, inBrands, oneBrandHref, shortDate, WEEK_MS, weekStart, type DashboardContext } from '../../../core/http/admin-dashboard';
import { t } from '../../../core/i18n';
import { CLOSED_STATUSES } from '../requests/request-types';

/** How many due weeks the chart shows after the overdue bar. */
const WEEKS = 6;

/** Panels over the brands the user sees (`brandIds` null: every brand). */
export async function rightsDashboard(ctx: DashboardContext): Promise<DashboardPanel[]> {
  const { kernel, now } = ctx;
  const open = inBrands(kernel.db('rights_requests').whereNotIn('status', [...CLOSED_STATUSES]), ctx.brandIds, 'queue_brand_id');
  const overdue = Number(((await open.clone().where('due_at', '<', now).count({ n: '*' }).first()) as { n: number | string } | undefined)?.n ?? 0);
  const origin = weekStart(now);
  const rows = await countPerBucket(kernel.db, open.clone().where('due_at', '>=', now), { column: 'due_at', origin, width: WEEK_MS });
  const inWeek = (i: number): number => rows.filter((r) => r.start === origin + i * WEEK_MS).reduce((s, r) => s + r.n, 0);
  const notOverdue = rows.reduce((s, r) => s + r.n, 0);
  const thisWeek = inWeek(0);
  const nextWeek = inWeek(1);
  const href = await oneBrandHref(ctx, 'rights/requests');
  const weeks = Array.from({ length: WEEKS }, (_, i) => i);
  return [{
    id: 'rights-requests', title: 'rights.dashboard.title',
    stats: [
      { label: 'rights.dashboard.open', value: overdue + notOverdue, href },
      { label: 'rights.dashboard.overdue', value: overdue, href: href && `${href}?overdue=1`, tone: overdue > 0 ? 'bad' : 'ok' },
      { label: 'rights.dashboard.thisWeek', value: thisWeek, href, tone: thisWeek > 0 ? 'warn' : undefined },
      { label: 'rights.dashboard.nextWeek', value: nextWeek, href },
      { label: 'rights.dashboard.later', value: notOverdue - thisWeek - nextWeek, href },
    ],
    chart: {
      title: 'rights.dashboard.chart',
      labels: [t(ctx.locale, 'rights.dashboard.overdueBar'), ...weeks.map((i) => shortDate(ctx.locale, origin + i * WEEK_MS))],
      series: [{ label: 'rights.dashboard.series', values: [overdue, ...weeks.map(inWeek)] }],
    },
  }];
}
