/**
 * Issue 14: the admin dashboard in headless Chromium — the charts are images with a name and a table of the same
 * numbers that opens by clicking; the dead-letter figure leads to the outbox filtered to dead letters; axe-core finds
 * no serious or critical violation in English and in Arabic (right to left, the bars mirrored).
 */
import type { Browser } from 'playwright-core';
import { createBrand, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { axeViolations, browserLogin, createPanelUser, launchChromium, newPage, screenshot } from '../helpers/admin-browser';
import type { RightsService } from '../../modules/rights/rights-service';

const DAY = 86_400_000;
const ACTOR = { type: 'cli', id: 'test' } as const;

let t: TestSuite;
let browser: Browser;

beforeAll(async () => {
  t = await startTestSuite();
  await createBrand(t.suite, 'acme');
  await createBrand(t.suite, 'globex');
  await createPanelUser(t.suite.kernel, 'admin@example.com', 'admin');
  const rights = t.suite.kernel.service<RightsService>('rights');
  const acme = await t.suite.kernel.brands.get('acme');
  for (const [days, n] of [[60, 1], [45, 2], [20, 3], [5, 4], [0, 5]]) {
    await rights.open(acme, { type: 'access', email: `person${n}@example.org` }, { source: 'admin', actor: ACTOR, now: Date.now() - days * DAY });
  }
  await t.suite.kernel.db('outbox').insert({
    brand_id: acme.id, topic: 'mail', recipient: 'mailer', purpose: 'service', subject_id: null, payload_enc: t.suite.kernel.keyring.encryptSync('{}'),
    idempotency_key: 'dash-browser-dead', state: 'dead', attempts: 8, next_attempt_at: Date.now(), created_at: Date.now(), last_error: 'SMTP 550',
  });
  for (const d of [0, 1, 1, 4]) {
    await t.suite.kernel.db('hook_failures').insert({ brand_id: acme.id, hook: 'ClientAdd', binding: 'client-add-record-subject', code: 'SUITE_TEST', message: 'failed', request_id: 'r', created_at: Date.now() - d * DAY });
  }
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('admin dashboard in Chromium', () => {
  it('shows named chart images whose numbers open by clicking; the dead-letter figure leads to the outbox; axe-clean', async () => {
    const { page, problems } = await newPage(browser);
    await browserLogin(page, t.baseUrl, 'admin@example.com');
    const rights = page.locator('section[data-panel="rights-requests"]');
    await rights.getByRole('img', { name: 'Open requests by due week (weeks start on Monday)' }).waitFor();
    expect(await rights.locator('[data-stat="rights.dashboard.overdue"]').getAttribute('data-value')).toBe('2');
    const table = rights.locator('details table');
    expect(await table.isVisible()).toBe(false);
    await rights.locator('details summary').click();
    expect(await table.isVisible()).toBe(true);
    expect(await table.locator('tbody tr').first().textContent()).toBe('Overdue2');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard');

    await Promise.all([page.waitForURL(`${t.baseUrl}/admin/outbox?state=dead`), page.locator('section[data-panel="outbox"] [data-stat="admin.dashboard.outbox.dead"] a').click()]);
    expect(await page.locator('main').textContent()).toContain('SMTP 550');
    expect(problems).toEqual([]);
  });

  it('in Arabic the page is right to left, the bars run from the right, and axe finds nothing serious', async () => {
    const { page, problems } = await newPage(browser, { locale: 'ar' });
    await browserLogin(page, t.baseUrl, 'admin@example.com');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    const hooks = page.locator('section[data-panel="hook-failures"]');
    await hooks.getByRole('img', { name: 'إخفاقات الخطافات يوميًا، آخر 7 أيام' }).waitFor();
    const bars = hooks.locator('svg rect:not([data-legend])');
    const first = await bars.first().boundingBox();
    const last = await bars.last().boundingBox();
    expect(first!.x).toBeGreaterThan(last!.x); // the oldest day on the right
    await hooks.locator('details summary').click();
    expect(await hooks.locator('details table').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
