/**
 * Issue 14: the admin dashboard shows, over the brands the user sees, open rights requests by due date (overdue
 * ones flagged), consents given and withdrawn per week, retention runs and rules waiting for approval, outbox health
 * with dead letters, hook failures and unusual-access alerts — numbers and accessible SVG bar charts with their data
 * table. A reseller sees only its own brand's numbers; a failing panel shows an "unavailable" line, the rest renders.
 */
import { createBrand, postHook, startTestSuite, PROVIDER_PROFILE, type TestSuite } from '../helpers/test-suite';
import { createPanelUser, PanelClient } from '../helpers/admin-browser';
import { accessWatch } from '../../core/security/access-watch';
import { WEEK_MS, weekStart } from '../../core/http/admin-dashboard';
import type { Brand } from '../../core/brands/brand';
import type { ConsentService } from '../../modules/consent/consent-service';
import type { RightsService } from '../../modules/rights/rights-service';
import type { RetentionService } from '../../modules/retention/retention-service';
import { rejectRequest } from '../../modules/rights/requests/request-actions';
import { insertRun } from '../../modules/retention/sweep/run-store';
import type { RunReport } from '../../modules/retention/sweep/run-report';

const DAY = 86_400_000;
const ACTOR = { type: 'cli', id: 'test' } as const;
const RULES = [
  { category: 'contact', from: 'account-closed', days: 30, action: 'anonymise' },
  { category: 'usage', from: 'collected', days: 30, action: 'delete' },
];

let t: TestSuite;
const brands: Record<string, Brand> = {};
const secrets: Record<string, string> = {};
/** Due dates of the open requests per brand slug (to bucket them as the test expects). */
const openDue: Record<string, number[]> = { acme: [], globex: [], 'acme-resale': [] };

/** The number a panel shows for a figure (its data-value), or undefined when the figure is not on the page. */
function stat(html: string, panel: string, key: string): number | undefined {
  const section = new RegExp(`<section class="panel" data-panel="${panel}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';
  const m = new RegExp(`data-stat="${key.replace(/\./g, '\\.')}" data-value="(\\d+)"`).exec(section);
  return m ? Number(m[1]) : undefined;
}

/** The panel's section HTML. */
function panelHtml(html: string, panel: string): string {
  return new RegExp(`<section class="panel" data-panel="${panel}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';
}

/** The rows of a panel's chart table: label → numbers (as written, en locale). */
function chartRows(html: string, panel: string): string[][] {
  const table = /<tbody>([\s\S]*?)<\/tbody>/.exec(panelHtml(html, panel))?.[1] ?? '';
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((c) => c[1]));
}

/** Open requests of some brands bucketed as the panel does: overdue, due this week, next week, later. */
function dueBuckets(slugs: string[], now: number): { overdue: number; thisWeek: number; nextWeek: number; later: number } {
  const ws = weekStart(now);
  const out = { overdue: 0, thisWeek: 0, nextWeek: 0, later: 0 };
  for (const due of slugs.flatMap((s) => openDue[s])) {
    if (due < now) out.overdue += 1;
    else if (due < ws + WEEK_MS) out.thisWeek += 1;
    else if (due < ws + 2 * WEEK_MS) out.nextWeek += 1;
    else out.later += 1;
  }
  return out;
}

async function openRequest(slug: string, receivedDaysAgo: number, email: string): Promise<number> {
  const r = await t.suite.kernel.service<RightsService>('rights').open(brands[slug], { type: 'access', email }, { source: 'admin', actor: ACTOR, now: Date.now() - receivedDaysAgo * DAY });
  return r.id;
}

async function clientAdd(slug: string, clientId: number, optIn: boolean): Promise<void> {
  const res = await postHook(t.baseUrl, 'ClientAdd', secrets[slug], {
    brand: slug, vars: { client_id: clientId, userid: clientId, firstname: 'Ada', lastname: 'Lovelace', email: `ada${clientId}@example.org`, country: 'GB', marketing_emails_opt_in: optIn },
    context: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (dashboard test)', locale: 'en' },
  });
  expect(res.status).toBe(200);
}

/** A ledger event at a moment in the past (the service's own recording path, in a transaction). */
async function pastConsent(slug: string, subjectId: number, action: 'given' | 'withdrawn', at: number): Promise<void> {
  const profile = await t.suite.kernel.brands.profile(brands[slug]);
  await t.suite.kernel.db.transaction((trx) => t.suite.kernel.service<ConsentService>('consent').recordEvent(trx, profile, {
    brandId: brands[slug].id, subjectId, purpose: 'marketing:email', action, method: 'checkbox', channel: 'web', collectionPoint: 'newsletter', at,
  }));
}

function report(parts: [string, number][]): RunReport {
  return {
    brands: parts.map(([slug, processed]) => ({
      brandId: brands[slug].id, brand: slug,
      rules: [{ ruleId: 'usage:collected:delete', hash: 'h', category: 'usage', from: 'collected', days: 30, action: 'delete', scope: 'fields', policyVersions: null, inactiveMonths: null, state: 'done', reason: null, cutoff: null, eligible: processed, processed, records: processed, held: 0, holdIds: [], restricted: 0, failed: 0, failures: {} }],
    })),
  };
}

async function run(slugs: [string, number][], state: 'finished' | 'failed', daysAgo: number): Promise<void> {
  const id = await insertRun(t.suite.kernel.db, { brandIds: slugs.map(([s]) => brands[s].id), dryRun: false, state, actor: ACTOR, asOf: Date.now(), report: report(slugs) });
  const at = Date.now() - daysAgo * DAY;
  await t.suite.kernel.db('retention_runs').where({ id }).update({ started_at: at, finished_at: at + 60_000 });
}

async function hookFailure(slug: string, daysAgo: number): Promise<void> {
  await t.suite.kernel.db('hook_failures').insert({ brand_id: brands[slug].id, hook: 'ClientAdd', binding: 'client-add-record-subject', code: 'SUITE_TEST', message: 'failed', request_id: 'r1', created_at: Date.now() - daysAgo * DAY });
}

beforeAll(async () => {
  t = await startTestSuite({ config: { unusualAccessThreshold: 3 } as never });
  const consent = { model: 'opt-in', channels: ['email'] };
  secrets.acme = await createBrand(t.suite, 'acme', { profile: { ...PROVIDER_PROFILE, consent, retention: RULES } });
  secrets.globex = await createBrand(t.suite, 'globex', { profile: { ...PROVIDER_PROFILE, consent } });
  secrets['acme-resale'] = await createBrand(t.suite, 'acme-resale', { parent: 'acme', profile: { controller: { name: 'Resale BV', email: 'dpo@resale.example', country: 'NL' }, consent } });
  await t.suite.kernel.brands.create({ slug: 'xss', name: '<script>alert(1)</script>', profile: PROVIDER_PROFILE }, ACTOR);
  for (const slug of ['acme', 'globex', 'acme-resale', 'xss']) brands[slug] = await t.suite.kernel.brands.get(slug);
  await createPanelUser(t.suite.kernel, 'owner@example.com', 'owner');
  await createPanelUser(t.suite.kernel, 'auditor@example.com', 'auditor');
  await createPanelUser(t.suite.kernel, 'reseller@example.com', 'reseller', 'acme-resale');

  // Rights: acme two overdue, one due in about a month, one closed; globex one overdue; the reseller one open.
  const now = Date.now();
  for (const [slug, days] of [['acme', 70], ['acme', 45], ['acme', 0], ['globex', 60], ['acme-resale', 20]] as [string, number][]) {
    const id = await openRequest(slug, days, `person-${slug}-${days}@example.org`);
    openDue[slug].push(Number((await t.suite.kernel.db('rights_requests').where({ id }).first()).due_at));
  }
  const closed = await openRequest('acme', 80, 'closed@example.org');
  await rejectRequest(t.suite.kernel, brands.acme, closed, 'not a customer of ours', ACTOR);
  expect(openDue.acme.filter((d) => d < now)).toHaveLength(2);

  // Consent: ClientAdd with opt-in (given now), a withdrawal now, and older events three weeks back.
  await clientAdd('acme', 1, true);
  await clientAdd('acme', 2, true);
  await clientAdd('globex', 3, true);
  await clientAdd('acme-resale', 4, true);
  const subject = async (slug: string, id: number): Promise<number> => (await t.suite.kernel.subjects.findByExternal(brands[slug].id, 'client', id))!.id;
  await t.suite.kernel.service<ConsentService>('consent').withdraw('acme', await subject('acme', 2), 'marketing:email');
  await pastConsent('acme', await subject('acme', 1), 'given', weekStart(now) - 3 * WEEK_MS + DAY);
  await pastConsent('acme', await subject('acme', 1), 'withdrawn', weekStart(now) - 3 * WEEK_MS + 2 * DAY);
  await pastConsent('globex', await subject('globex', 3), 'withdrawn', weekStart(now) - 3 * WEEK_MS + DAY);
  await pastConsent('acme', await subject('acme', 1), 'given', now - 100 * DAY); // before the chart and the 30 days

  // Retention: runs over the last days; acme's two rules wait for approval.
  await run([['globex', 0]], 'failed', 3);
  await run([['acme', 5], ['globex', 7]], 'finished', 2);
  await run([['acme-resale', 3]], 'finished', 1);
  await run([['acme', 9]], 'finished', 40); // older than 30 days: in the chart, not in the 30-day counts

  // Outbox: one of globex's messages is a dead letter.
  await t.suite.kernel.db('outbox').insert({
    brand_id: brands.globex.id, topic: 'mail', recipient: 'mailer', purpose: 'service', subject_id: null, payload_enc: t.suite.kernel.keyring.encryptSync('{}'),
    idempotency_key: 'dash-dead-1', state: 'dead', attempts: 8, next_attempt_at: now, created_at: now, last_error: 'SMTP 550',
  });
  // Hook failures: acme two today, the reseller one, globex one three days ago and one too old to count.
  await hookFailure('acme', 0);
  await hookFailure('acme', 0);
  await hookFailure('acme-resale', 1);
  await hookFailure('globex', 3);
  await hookFailure('globex', 10);
  // An unusual-access alert: three failed signatures naming globex from one IP.
  for (let i = 0; i < 3; i++) await accessWatch(t.suite.kernel).failure({ source: 'hook-signature', ip: '198.51.100.9', brandId: brands.globex.id, code: 'SUITE_SIGNATURE_INVALID', targetType: 'hook', targetId: 'ClientAdd', actor: 'hook-api' });
});
afterAll(() => t.close());

/** Rules waiting for approval, as the retention service lists them (the panel must agree). */
async function awaitingApproval(slugs: string[]): Promise<number> {
  let n = 0;
  for (const s of slugs) n += (await t.suite.kernel.service<RetentionService>('retention').rules(brands[s])).filter((r) => r.state === 'awaiting-approval').length;
  return n;
}

/** Ledger counts per action since a moment, for some brands (what the figures must equal). */
async function ledgerCount(slugs: string[], action: string, since: number, until = Infinity): Promise<number> {
  const rows = (await t.suite.kernel.db('consent_ledger').whereIn('brand_id', slugs.map((s) => brands[s].id)).where({ action }).where('created_at', '>=', since).select('created_at')) as { created_at: number | string }[];
  return rows.filter((r) => Number(r.created_at) < until).length;
}

describe('admin dashboard: numbers and charts over the user\'s brands', () => {
  it('an owner sees the numbers of every brand: requests by due date, consent, retention, outbox, hook failures, alerts', async () => {
    const b = await new PanelClient(t.baseUrl).login('owner@example.com');
    const page = await b.get('/admin');
    expect(page.status).toBe(200);
    const html = page.html;
    const now = Date.now();
    // Still the brands with their links and who is logged in.
    expect(html).toContain('href="/admin/brands/acme/modules"');
    expect(html).toContain('href="/admin/brands/globex/modules"');
    expect(html).toContain('Logged in as owner@example.com');

    const due = dueBuckets(['acme', 'globex', 'acme-resale'], now);
    expect(due.overdue).toBe(3);
    expect(stat(html, 'rights-requests', 'rights.dashboard.open')).toBe(5);
    expect(stat(html, 'rights-requests', 'rights.dashboard.overdue')).toBe(3);
    expect(stat(html, 'rights-requests', 'rights.dashboard.thisWeek')).toBe(due.thisWeek);
    expect(stat(html, 'rights-requests', 'rights.dashboard.nextWeek')).toBe(due.nextWeek);
    expect(stat(html, 'rights-requests', 'rights.dashboard.later')).toBe(due.later);
    expect(panelHtml(html, 'rights-requests')).toMatch(/class="stat tone-bad" data-stat="rights\.dashboard\.overdue"/);
    expect(panelHtml(html, 'rights-requests')).toContain('Needs attention');
    // Several brands: no single brand's queue to link to.
    expect(panelHtml(html, 'rights-requests')).not.toContain('/rights/requests');
    const rightsRows = chartRows(html, 'rights-requests');
    expect(rightsRows).toHaveLength(7);
    expect(rightsRows[0]).toEqual(['Overdue', '3']);

    const since30 = now - 30 * 86_400_000;
    const all = ['acme', 'globex', 'acme-resale', 'xss'];
    expect(await ledgerCount(['acme', 'globex', 'acme-resale'], 'given', since30)).toBeGreaterThanOrEqual(4);
    expect(stat(html, 'consent', 'consent.dashboard.given30d')).toBe(await ledgerCount(all, 'given', since30));
    expect(stat(html, 'consent', 'consent.dashboard.withdrawn30d')).toBe(await ledgerCount(all, 'withdrawn', since30));
    expect(stat(html, 'consent', 'consent.dashboard.withdrawn30d')).toBeGreaterThanOrEqual(3);
    const consentRows = chartRows(html, 'consent');
    expect(consentRows).toHaveLength(12);
    const ws = weekStart(now);
    const wk = (i: number): [number, number] => [ws - (11 - i) * WEEK_MS, ws - (10 - i) * WEEK_MS];
    // Week 8 of 12 (three weeks back): one given (acme), two withdrawn (acme, globex); the current week: the hooks' events.
    expect(consentRows[8].slice(1)).toEqual([String(await ledgerCount(all, 'given', ...wk(8))), String(await ledgerCount(all, 'withdrawn', ...wk(8)))]);
    expect(consentRows[8].slice(1)).toEqual(['1', '2']);
    expect(consentRows[11].slice(1)).toEqual([String(await ledgerCount(all, 'given', ...wk(11))), String(await ledgerCount(all, 'withdrawn', ...wk(11)))]);
    expect(consentRows[0][0]).toBe(new Intl.DateTimeFormat('en', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(wk(0)[0])));

    expect(stat(html, 'retention', 'retention.dashboard.finished30d')).toBe(2);
    expect(stat(html, 'retention', 'retention.dashboard.failed30d')).toBe(1);
    expect(stat(html, 'retention', 'retention.dashboard.running')).toBe(0);
    expect(stat(html, 'retention', 'retention.dashboard.lastProcessed')).toBe(3);
    expect(stat(html, 'retention', 'retention.dashboard.daysSinceLast')).toBe(1);
    // acme's two rules, and the reseller's copy of them (its own approval), wait.
    expect(await awaitingApproval(['acme', 'acme-resale'])).toBe(4);
    expect(stat(html, 'retention', 'retention.dashboard.pendingApprovals')).toBe(await awaitingApproval(all));
    expect(chartRows(html, 'retention').map((r) => r[1])).toEqual(['9', '0', '12', '3']);

    expect(stat(html, 'outbox', 'admin.dashboard.outbox.dead')).toBe(1);
    expect(panelHtml(html, 'outbox')).toContain('href="/admin/outbox?state&#x3D;dead"');
    expect(panelHtml(html, 'outbox')).toMatch(/tone-bad" data-stat="admin\.dashboard\.outbox\.dead"/);
    expect(stat(html, 'hook-failures', 'admin.dashboard.hooks.failures7d')).toBe(4);
    expect(panelHtml(html, 'hook-failures')).toContain('href="/admin/hook-failures"');
    expect(chartRows(html, 'hook-failures').map((r) => r[1])).toEqual(['0', '0', '0', '1', '0', '1', '2']);
    expect(stat(html, 'alerts', 'admin.dashboard.alerts.last7d')).toBe(1);
    expect(panelHtml(html, 'alerts')).toContain('href="/admin/alerts"');
  });

  it('each chart is an SVG image named by its title, with a table of the same numbers; bar heights follow the values', async () => {
    const b = await new PanelClient(t.baseUrl).login('owner@example.com');
    const html = (await b.get('/admin')).html;
    const section = panelHtml(html, 'retention');
    expect(section).toMatch(/<svg role="img" aria-labelledby="chart-retention-title"/);
    expect(section).toContain('<title id="chart-retention-title">Subjects processed by the last runs</title>');
    expect(section).toMatch(/<caption>Subjects processed by the last runs<\/caption>/);
    const heights = [...section.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="\d+" height="(\d+)" fill="#1f4f8f">/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(4);
    expect(heights[2]).toBe(Math.max(...heights)); // 12 is the largest
    expect(heights[1]).toBe(0);
    expect(heights[0]).toBe(Math.round((9 / 12) * heights[2]));
    // Two series: a legend with both colours.
    expect(panelHtml(html, 'consent')).toContain('fill="#a04a00"');
    expect(html).not.toMatch(/<script/);
  });

  it('a reseller sees only its own brand\'s numbers, with links to its brand\'s pages', async () => {
    const b = await new PanelClient(t.baseUrl).login('reseller@example.com');
    const page = await b.get('/admin');
    expect(page.status).toBe(200);
    const html = page.html;
    expect(html).toContain('href="/admin/brands/acme-resale/modules"');
    expect(html).not.toContain('href="/admin/brands/globex/modules"');
    expect(html).not.toContain('href="/admin/brands/acme/modules"');
    const due = dueBuckets(['acme-resale'], Date.now());
    expect(stat(html, 'rights-requests', 'rights.dashboard.open')).toBe(1);
    expect(stat(html, 'rights-requests', 'rights.dashboard.overdue')).toBe(0);
    expect(stat(html, 'rights-requests', 'rights.dashboard.thisWeek')! + stat(html, 'rights-requests', 'rights.dashboard.nextWeek')! + stat(html, 'rights-requests', 'rights.dashboard.later')!).toBe(1);
    expect(stat(html, 'rights-requests', 'rights.dashboard.thisWeek')).toBe(due.thisWeek);
    expect(panelHtml(html, 'rights-requests')).toContain('href="/admin/brands/acme-resale/rights/requests"');
    expect(panelHtml(html, 'rights-requests')).toContain('href="/admin/brands/acme-resale/rights/requests?overdue&#x3D;1"');
    const since30 = Date.now() - 30 * 86_400_000;
    expect(stat(html, 'consent', 'consent.dashboard.given30d')).toBe(await ledgerCount(['acme-resale'], 'given', since30));
    expect(stat(html, 'consent', 'consent.dashboard.withdrawn30d')).toBe(0);
    expect(panelHtml(html, 'consent')).toContain('href="/admin/brands/acme-resale/consent/ledger"');
    expect(stat(html, 'retention', 'retention.dashboard.finished30d')).toBe(1);
    expect(stat(html, 'retention', 'retention.dashboard.failed30d')).toBe(0);
    expect(stat(html, 'retention', 'retention.dashboard.lastProcessed')).toBe(3);
    expect(stat(html, 'retention', 'retention.dashboard.pendingApprovals')).toBe(await awaitingApproval(['acme-resale']));
    expect(stat(html, 'retention', 'retention.dashboard.pendingApprovals')).toBe(2);
    expect(chartRows(html, 'retention').map((r) => r[1])).toEqual(['3']);
    expect(stat(html, 'outbox', 'admin.dashboard.outbox.dead')).toBe(0);
    expect(stat(html, 'hook-failures', 'admin.dashboard.hooks.failures7d')).toBe(1);
    expect(stat(html, 'alerts', 'admin.dashboard.alerts.last7d')).toBe(0);
  });

  it('approving a retention rule lowers the pending approvals; a read-only auditor sees the same numbers and no form but log-out', async () => {
    await t.suite.kernel.service<RetentionService>('retention').approve(brands.acme, 'usage:collected:delete', {}, ACTOR);
    const owner = await new PanelClient(t.baseUrl).login('owner@example.com');
    expect(stat((await owner.get('/admin')).html, 'retention', 'retention.dashboard.pendingApprovals')).toBe(3);
    const auditor = await new PanelClient(t.baseUrl).login('auditor@example.com');
    const html = (await auditor.get('/admin')).html;
    expect(stat(html, 'retention', 'retention.dashboard.pendingApprovals')).toBe(3);
    expect(stat(html, 'rights-requests', 'rights.dashboard.overdue')).toBe(3);
    expect([...html.matchAll(/<form [^>]*action="([^"]+)"/g)].map((m) => m[1])).toEqual(['/admin/logout']);
  });

  it('a module switched off for a brand leaves that brand out of its panel', async () => {
    await t.suite.kernel.brands.setEnabled('globex', 'module', 'rights', false, ACTOR);
    try {
      const b = await new PanelClient(t.baseUrl).login('owner@example.com');
      const html = (await b.get('/admin')).html;
      expect(stat(html, 'rights-requests', 'rights.dashboard.overdue')).toBe(2);
      expect(stat(html, 'rights-requests', 'rights.dashboard.open')).toBe(4);
    } finally {
      await t.suite.kernel.brands.setEnabled('globex', 'module', 'rights', true, ACTOR);
    }
  });

  it('a failing panel shows the "unavailable" line, logged without details; every other panel still renders', async () => {
    const consent = t.suite.kernel.modules.get('consent')!;
    const original = consent.dashboard;
    const warn = jest.spyOn(t.suite.kernel.log, 'warn');
    consent.dashboard = async () => { throw new Error('ada@example.org could not be read'); };
    try {
      const b = await new PanelClient(t.baseUrl).login('owner@example.com');
      const page = await b.get('/admin');
      expect(page.status).toBe(200);
      expect(panelHtml(page.html, 'consent')).toContain('data-unavailable="consent"');
      expect(panelHtml(page.html, 'consent')).toContain('This panel is unavailable right now');
      expect(page.html).not.toContain('ada@example.org');
      expect(stat(page.html, 'rights-requests', 'rights.dashboard.overdue')).toBe(3);
      expect(stat(page.html, 'alerts', 'admin.dashboard.alerts.last7d')).toBe(1);
      const logged = warn.mock.calls.find((c) => c[1] === 'a dashboard panel failed');
      expect(logged?.[0]).toEqual({ panel: 'consent', code: 'Error' });
      expect(JSON.stringify(warn.mock.calls)).not.toContain('ada@example.org');
    } finally {
      consent.dashboard = original;
      warn.mockRestore();
    }
  });

  it('escapes a brand name; Arabic lays the page and the charts out right to left with Arabic labels and digits', async () => {
    const b = await new PanelClient(t.baseUrl).login('owner@example.com');
    const en = (await b.get('/admin')).html;
    expect(en).not.toContain('<script>alert(1)</script>');
    expect(en).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const ar = (await b.get('/admin?lang=ar')).html;
    expect(ar).toMatch(/<html lang="ar" dir="rtl">/);
    expect(ar).toContain('direction="rtl"');
    expect(panelHtml(ar, 'rights-requests')).toContain('طلبات الحقوق');
    expect(chartRows(ar, 'rights-requests')[0]).toEqual(['متأخرة', new Intl.NumberFormat('ar').format(3)]);
    // Mirrored: the first bar of a chart is at the right.
    const bars = [...panelHtml(ar, 'retention').matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="\d+" height="\d+" fill="#1f4f8f">/g)].map((m) => Number(m[1]));
    expect(bars[0]).toBeGreaterThan(bars[bars.length - 1]);
    const enBars = [...panelHtml(en, 'retention').matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="\d+" height="\d+" fill="#1f4f8f">/g)].map((m) => Number(m[1]));
    expect(enBars[0]).toBeLessThan(enBars[enBars.length - 1]);
  });

  it('weeks start on Monday 00:00 UTC and hold the moment they are computed from', () => {
    for (const at of [Date.UTC(2026, 11, 6, 23, 59), Date.UTC(2026, 11, 7, 0, 0), Date.UTC(2024, 1, 29, 12), Date.UTC(1999, 11, 31, 23)]) {
      const start = weekStart(at);
      expect(new Date(start).getUTCDay()).toBe(1);
      expect(start % 86_400_000).toBe(0);
      expect(at - start).toBeGreaterThanOrEqual(0);
      expect(at - start).toBeLessThan(WEEK_MS);
    }
    expect(weekStart(Date.UTC(2026, 11, 6, 12))).toBe(Date.UTC(2026, 10, 30));
  });

  it('without a session /admin is the log-in page, with no numbers', async () => {
    const page = await new PanelClient(t.baseUrl).get('/admin');
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('data-panel=');
    expect(page.html).toContain('name="password"');
  });
});
