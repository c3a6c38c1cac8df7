/**
 * The retention pages in a real headless Chromium: an admin runs a dry run and approves a rule by clicking (SP-8),
 * places a legal hold through the form (MS-9), and starts a run whose report shows the counts; axe-core finds no
 * serious or critical violation on the rules, holds, runs and report pages, in English and in Arabic (right to left).
 */
import type { Browser } from 'playwright-core';
import { axeViolations, browserLogin, createPanelUser, launchChromium, newPage, screenshot } from '../../helpers/admin-browser';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { DAY, retention, retentionBrand, seedClients, subjectState } from './fixtures';

const CONTACT = 'contact:account-closed:anonymise';
let t: TestSuite;
let browser: Browser;
let subjects: number[];

beforeAll(async () => {
  t = await startTestSuite();
  const id = await retentionBrand(t.suite, 'shop', [
    { category: 'contact', from: 'account-closed', days: 30, action: 'anonymise' },
    { category: 'usage', from: 'collected', days: 30, action: 'delete' },
  ]);
  subjects = await seedClients(t.suite, id, [{ closedAt: Date.now() - 60 * DAY }, { closedAt: Date.now() - 45 * DAY }, { closedAt: Date.now() - 40 * DAY }, { closedAt: Date.now() - 5 * DAY }]);
  await createPanelUser(t.suite.kernel, 'admin@example.com', 'admin');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('retention pages in Chromium', () => {
  it('SP-8 / MS-9: dry run and approve by clicking, place a hold by the form, start a run; the report shows the counts', async () => {
    const { page, problems } = await newPage(browser);
    await browserLogin(page, t.baseUrl, 'admin@example.com');
    const base = `${t.baseUrl}/admin/brands/shop/retention`;
    await page.goto(`${base}/rules`);
    const row = `tr[data-rule="${CONTACT}"]`;
    expect(await page.getAttribute(row, 'data-state')).toBe('awaiting-approval');

    await Promise.all([page.waitForURL(/flash=dry-run/), page.click('#dry-run')]);
    expect(await page.textContent('[role="status"]')).toMatch(/^Dry run \d+ finished/);
    expect(await page.getAttribute(`${row} [data-eligible]`, 'data-eligible')).toBe('3');

    await Promise.all([page.waitForURL(/flash=approved/), page.click(`${row} button`)]);
    expect(await page.textContent('[role="status"]')).toBe(`Rule ${CONTACT} is approved; the next sweep applies it.`);
    expect(await page.getAttribute(row, 'data-state')).toBe('approved');

    // A hold on the oldest client keeps it out of the run.
    await page.click(`nav a[href="/admin/brands/shop/retention/holds"]`);
    await page.selectOption('#hold-scope', 'subject');
    await page.fill('#hold-subject', String(subjects[0]));
    await page.selectOption('#hold-reason', 'dispute');
    await page.fill('#hold-note', 'Case 2026-17');
    await Promise.all([page.waitForURL(/flash=placed/), page.click('#place-hold')]);
    expect(await page.textContent('[role="status"]')).toMatch(/^Hold \d+ is in force\.$/);
    expect(await page.textContent('tbody tr[data-status="active"]')).toContain('Case 2026-17');
    await screenshot(page, 'retention');

    await page.click(`nav a[href="/admin/brands/shop/retention/runs"]`);
    await Promise.all([page.waitForURL(/flash=started/), page.click('#start-run')]);
    await retention(t.suite).settle();
    await page.reload();
    expect(await page.getAttribute('dd[data-state]', 'data-state')).toBe('finished');
    expect(await page.getAttribute(`${row}`, 'data-processed')).toBe('2');
    expect(await page.getAttribute(`${row}`, 'data-held')).toBe('1');
    expect((await subjectState(t.suite, subjects[0])).status).not.toBe('erased');
    expect((await subjectState(t.suite, subjects[1])).status).toBe('erased');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('axe-core: no serious or critical violation on the rules, holds, runs and report pages, in English and Arabic', async () => {
    const { page, problems } = await newPage(browser);
    await browserLogin(page, t.baseUrl, 'admin@example.com');
    const runId = (await retention(t.suite).runs(await t.suite.kernel.brands.get('shop')))[0].runId;
    for (const lang of ['en', 'ar']) {
      for (const p of ['rules', 'holds', 'runs', `runs/${runId}`]) {
        await page.goto(`${t.baseUrl}/admin/brands/shop/retention/${p}?lang=${lang}`);
        expect(await page.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        expect([lang, p, await axeViolations(page)]).toEqual([lang, p, []]);
      }
    }
    expect(problems).toEqual([]);
    // A refused form (missing reason) is shown again with its problem (a 400, which the console reports), and axe still finds nothing serious.
    await page.goto(`${t.baseUrl}/admin/brands/shop/retention/holds?lang=ar`);
    await page.selectOption('#hold-scope', 'brand');
    await Promise.all([page.waitForLoadState('load'), page.click('#place-hold')]);
    expect(await page.getAttribute('#hold-reason', 'aria-invalid')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await page.context().close();
  });
});
