/**
 * The admin dashboard (`GET /admin`): core panels (outbox health, hook failures, unusual-access alerts) and each
 * module's panels over the user's brands, with server-rendered bar charts (geometry computed here, drawn by
 * templates/partials/bar-chart.hbs). A panel that fails is logged without details and shown as unavailable; the
 * rest of the page still renders. Also the helpers modules use for their panels: week buckets and date labels.
 */
import type { Knex } from 'knex';
import type { Kernel } from '../kernel';
import type { DashboardPanel } from '../modules/define-module';
import { t } from '../i18n';
import { pageDir } from '../pages';
import { accessWatch } from '../security/access-watch';

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** What a panel builder is given: the brands it covers (null: every brand), the reader's locale and the clock. */
export interface DashboardContext { kernel: Kernel; brandIds: number[] | null; locale: string; now: number }

/** Monday 00:00 UTC of the week `ms` falls in. */
export function weekStart(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  return (day - ((day + 3) % 7)) * DAY_MS; // 1970-01-01 was a Thursday
}

/** A short date (day and month) in the reader's locale, UTC: a chart's label for a day or a week. */
export function shortDate(locale: string, ms: number): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(ms));
}

/**
 * Counts rows of `q` per bucket of `width` ms starting at `origin` (rows before `origin` are left out), optionally
 * per value of the column `by`, in one GROUP BY. The bucket is computed in SQL with `-` and `%` on the integer
 * timestamp, which SQLite and MariaDB evaluate alike. Returns the bucket's start, the `by` value and the count.
 */
export async function countPerBucket(
  db: Knex, q: Knex.QueryBuilder, o: { column: string; origin: number; width: number; by?: string },
): Promise<{ start: number; by: string | null; n: number }[]> {
  const sel = q.clone().where(o.column, '>=', o.origin)
    .select(db.raw('?? - ((?? - ?) % ?) as bucket_start', [o.column, o.column, Math.trunc(o.origin), Math.trunc(o.width)]))
    .count({ n: '*' }).groupBy('bucket_start');
  if (o.by) sel.select({ grp: o.by }).groupBy(o.by);
  const rows = (await sel) as { bucket_start: number | string; grp?: string; n: number | string }[];
  return rows.map((r) => ({ start: Number(r.bucket_start), by: r.grp ?? null, n: Number(r.n) }));
}

/** Counts of `q` per value of `column` (one GROUP BY). */
export async function countBy(q: Knex.QueryBuilder, column: string): Promise<Map<string, number>> {
  const rows = (await q.clone().select({ grp: column }).count({ n: '*' }).groupBy(column)) as { grp: string; n: number | string }[];
  return new Map(rows.map((r) => [String(r.grp), Number(r.n)]));
}

/** Limits a query to the brands of the context (nothing when null: every brand). */
export function inBrands(q: Knex.QueryBuilder, brandIds: number[] | null, column = 'brand_id'): Knex.QueryBuilder {
  return brandIds ? q.whereIn(column, brandIds) : q;
}

/** The brand's page under `path` when the panel covers exactly one brand (the figure's link), else undefined. */
export async function oneBrandHref(ctx: DashboardContext, path: string): Promise<string | undefined> {
  if (ctx.brandIds?.length !== 1) return undefined;
  const brand = await ctx.kernel.brands.getById(ctx.brandIds[0]);
  return `/admin/brands/${encodeURIComponent(brand.slug)}/${path}`;
}

// ---- core panels ----------------------------------------------------------------------------------------------

/** Outbox health: what waits, what is being delivered, and dead letters (bad when any). */
async function outboxPanel(ctx: DashboardContext): Promise<DashboardPanel> {
  const by = await countBy(inBrands(ctx.kernel.db('outbox').whereIn('state', ['pending', 'delivering', 'dead']), ctx.brandIds), 'state');
  const dead = by.get('dead') ?? 0;
  return {
    id: 'outbox', title: 'admin.dashboard.outbox.title',
    stats: [
      { label: 'admin.dashboard.outbox.pending', value: by.get('pending') ?? 0, href: '/admin/outbox?state=pending' },
      { label: 'admin.dashboard.outbox.delivering', value: by.get('delivering') ?? 0, href: '/admin/outbox?state=delivering' },
      { label: 'admin.dashboard.outbox.dead', value: dead, href: '/admin/outbox?state=dead', tone: dead > 0 ? 'bad' : 'ok' },
    ],
  };
}

/** Hook failures of the last 7 days, with a bar per day. */
async function hookFailuresPanel(ctx: DashboardContext): Promise<DashboardPanel> {
  const today = Math.floor(ctx.now / DAY_MS) * DAY_MS;
  const origin = today - 6 * DAY_MS;
  const rows = await countPerBucket(ctx.kernel.db, inBrands(ctx.kernel.db('hook_failures'), ctx.brandIds), { column: 'created_at', origin, width: DAY_MS });
  const days = Array.from({ length: 7 }, (_, i) => origin + i * DAY_MS);
  const values = days.map((d) => rows.filter((r) => r.start === d).reduce((s, r) => s + r.n, 0));
  const total = values.reduce((s, v) => s + v, 0);
  return {
    id: 'hook-failures', title: 'admin.dashboard.hooks.title',
    stats: [{ label: 'admin.dashboard.hooks.failures7d', value: total, href: '/admin/hook-failures', tone: total > 0 ? 'warn' : 'ok' }],
    chart: { title: 'admin.dashboard.hooks.chart', labels: days.map((d) => shortDate(ctx.locale, d)), series: [{ label: 'admin.dashboard.hooks.series', values }] },
  };
}

/** Unusual-access alerts raised in the last 7 days (those whose failures named one of the brands, for a scoped user). */
async function alertsPanel(ctx: DashboardContext): Promise<DashboardPanel> {
  const since = ctx.now - 7 * DAY_MS;
  const alerts = await accessWatch(ctx.kernel).alerts({ brandIds: ctx.brandIds, limit: 500 });
  const recent = alerts.filter((a) => a.createdAt >= since).length;
  return {
    id: 'alerts', title: 'admin.dashboard.alerts.title',
    stats: [{ label: 'admin.dashboard.alerts.last7d', value: recent, href: '/admin/alerts', tone: recent > 0 ? 'bad' : 'ok' }],
  };
}

const CORE_PANELS: { id: string; title: string; build: (ctx: DashboardContext) => Promise<DashboardPanel> }[] = [
  { id: 'outbox', title: 'admin.dashboard.outbox.title', build: outboxPanel },
  { id: 'hook-failures', title: 'admin.dashboard.hooks.title', build: hookFailuresPanel },
  { id: 'alerts', title: 'admin.dashboard.alerts.title', build: alertsPanel },
];

// ---- charts ---------------------------------------------------------------------------------------------------

/** Bar colours (contrast ≥ 4.5:1 on white). */
const COLOURS = ['#1f4f8f', '#a04a00'];

/** A chart ready for the partial: every coordinate computed, the labels translated, and the numbers for its table. */
export interface ChartView {
  id: string; title: string; width: number; height: number; rtl: boolean; baseline: number;
  legend: { label: string; colour: string; x: number; textX: number; y: number }[];
  groups: { label: string; labelX: number; labelY: number; bars: { x: number; y: number; width: number; height: number; colour: string; value: number; valueY: number; centre: number }[] }[];
  series: { label: string }[];
  rows: { label: string; values: number[] }[];
}

const GROUP_W = 56;
const PAD = 12;
const LEGEND_H = 26;
const VALUE_H = 16;
const LABEL_H = 28;
const PLOT_H = 130;

/** The geometry of a bar chart (left to right, or mirrored for a right-to-left language). */
export function chartView(id: string, chart: NonNullable<DashboardPanel['chart']>, locale: string): ChartView {
  const rtl = pageDir(locale) === 'rtl';
  const series = chart.series.map((s, i) => ({ label: t(locale, s.label), colour: COLOURS[i % COLOURS.length], values: s.values }));
  const n = chart.labels.length;
  const width = Math.max(PAD * 2 + n * GROUP_W, 320);
  const height = LEGEND_H + VALUE_H + PLOT_H + LABEL_H;
  const baseline = LEGEND_H + VALUE_H + PLOT_H;
  const max = Math.max(1, ...series.flatMap((s) => s.values.map((v) => v || 0)));
  const mirror = (x: number, w = 0): number => (rtl ? width - x - w : x);
  const barW = Math.floor((GROUP_W - 16) / Math.max(series.length, 1));
  const groups = chart.labels.map((label, g) => {
    const left = PAD + g * GROUP_W + 8;
    const bars = series.map((s, i) => {
      const value = s.values[g] ?? 0;
      const h = value > 0 ? Math.max(2, Math.round((value / max) * PLOT_H)) : 0;
      const x = mirror(left + i * barW, barW - 2);
      return { x, y: baseline - h, width: barW - 2, height: h, colour: s.colour, value, valueY: baseline - h - 4, centre: x + (barW - 2) / 2 };
    });
    return { label, labelX: mirror(PAD + g * GROUP_W + GROUP_W / 2), labelY: baseline + 18, bars };
  });
  let lx = PAD;
  const legend = series.map((s) => {
    const entry = { label: s.label, colour: s.colour, x: mirror(lx, 12), textX: rtl ? mirror(lx + 18) : lx + 18, y: 6 };
    lx += 18 + Math.min(s.label.length * 7 + 20, 220);
    return entry;
  });
  return {
    id: `chart-${id}`, title: t(locale, chart.title), width, height, rtl, baseline, legend, groups,
    series: series.map((s) => ({ label: s.label })),
    rows: chart.labels.map((label, g) => ({ label, values: series.map((s) => s.values[g] ?? 0) })),
  };
}

// ---- the page -------------------------------------------------------------------------------------------------

/** A panel as the page shows it. */
export interface PanelView {
  id: string; title: string; unavailable: boolean;
  stats: { key: string; label: string; value: number; href: string | null; tone: string | null; toneNote: string | null }[];
  chart: ChartView | null;
}

function panelView(p: DashboardPanel, locale: string): PanelView {
  return {
    id: p.id, title: t(locale, p.title), unavailable: false,
    stats: p.stats.map((s) => ({
      key: s.label, label: t(locale, s.label), value: s.value, href: s.href ?? null, tone: s.tone ?? null,
      toneNote: s.tone === 'bad' || s.tone === 'warn' ? t(locale, `admin.dashboard.tone.${s.tone}`) : null,
    })),
    chart: p.chart ? chartView(p.id, p.chart, locale) : null,
  };
}

function unavailable(id: string, title: string): PanelView {
  return { id, title, unavailable: true, stats: [], chart: null };
}

/** The brands among `brandIds` (null: all) where the module is on; null again when that is every brand. */
async function moduleBrands(kernel: Kernel, module: string, brandIds: number[] | null): Promise<number[] | null> {
  const brands = (await kernel.brands.list()).filter((b) => !brandIds || brandIds.includes(b.id));
  const on: number[] = [];
  for (const b of brands) if (await kernel.modules.enabledFor(kernel.brands, b, module)) on.push(b.id);
  return !brandIds && on.length === brands.length ? null : on;
}

/** Runs one panel builder; a failure is logged (module and error code only) and becomes an "unavailable" panel. */
async function guarded(kernel: Kernel, source: string, locale: string, build: () => Promise<DashboardPanel[]>, fallbackTitle: string): Promise<PanelView[]> {
  try {
    return (await build()).map((p) => panelView(p, locale));
  } catch (err) {
    const e = err as { code?: unknown; name?: unknown };
    kernel.log.warn({ panel: source, code: typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'Error' }, 'a dashboard panel failed');
    return [unavailable(source, fallbackTitle)];
  }
}

/** Every panel of the dashboard for a user who sees `brandIds` (null: every brand): the modules' first, then core's. */
export async function buildDashboard(kernel: Kernel, brandIds: number[] | null, locale: string, now = Date.now()): Promise<PanelView[]> {
  const ctx: DashboardContext = { kernel, brandIds, locale, now };
  const out: PanelView[] = [];
  for (const m of kernel.modules.list()) {
    if (!m.dashboard) continue;
    const dashboard = m.dashboard;
    const title = t(locale, 'admin.dashboard.modulePanel', { module: m.name });
    out.push(...(await guarded(kernel, m.name, locale, async () => {
      const scope = await moduleBrands(kernel, m.name, brandIds);
      return scope && scope.length === 0 ? [] : dashboard({ kernel, brandIds: scope, locale, now });
    }, title)));
  }
  const core = await Promise.all(CORE_PANELS.map((p) => guarded(kernel, p.id, locale, async () => [await p.build(ctx)], t(locale, p.title))));
  return [...out, ...core.flat()];
}
