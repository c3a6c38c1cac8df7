/**
 * Issue 14: the rights pages in a real headless Chromium — an admin opens the queue, opens a request by its link,
 * records the verification, extends the due date and fulfils it by clicking; axe-core finds no serious or critical
 * violation on the queue, a request and the disclosures page, in English and in Arabic (right to left).
 */
import type { Browser } from 'playwright-core';
import type { Actor } from '../../../core/audit/audit-log';
import { openRequest } from '../../../modules/rights/requests/open-request';
import { axeViolations, browserLogin, createPanelUser, launchChromium, newPage, screenshot } from '../../helpers/admin-browser';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { rightsBrand, signUp } from './fixtures';

let t: TestSuite;
let browser: Browser;
const ids: number[] = [];
const DAY = 86_400_000;
const ACTOR: Actor = { type: 'cli', id: 'test' };
const BASE = '/admin/brands/shop/rights';

beforeAll(async () => {
  t = await startTestSuite();
  await rightsBrand(t.suite, 'shop');
  const { subjectId } = await signUp(t.suite, 'shop', 1);
  const brand = await t.suite.kernel.brands.get('shop');
  const people = [['Grace Hopper', 'confirm', 0], ['Late Larry', 'access', 90], ['Ada Lovelace', 'erase', 3]] as const;
  for (const [name, type, daysAgo] of people) {
    const email = `${name.split(' ')[0].toLowerCase()}@example.org`;
    ids.push((await openRequest(t.suite.kernel, brand, { type, name, email }, { source: 'admin', actor: ACTOR, now: Date.now() - daysAgo * DAY })).id);
  }
  const { requestDisclosure } = await import('../../../modules/rights/disclosures/legal-disclosure');
  await requestDisclosure(t.suite.kernel, brand, {
    subjectId, requester: { authority: 'Metropolitan Police', contact: 'disclosures@met.example' }, legalBasis: 'court order 2026/123', fields: ['email'],
  }, ACTOR);
  await createPanelUser(t.suite.kernel, 'admin@example.com', 'admin');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('rights pages in Chromium', () => {
  it('opens the queue and a request, then verifies, extends and fulfils it by clicking', async () => {
    const { page, problems } = await newPage(browser);
    await browserLogin(page, t.baseUrl, 'admin@example.com');
    await page.goto(`${t.baseUrl}${BASE}/requests`);
    expect(await page.getAttribute(`tr[data-request="${ids[1]}"]`, 'data-overdue')).toBe('1');
    expect(await page.textContent(`tr[data-request="${ids[1]}"]`)).toContain('Overdue by');
    await screenshot(page, 'requests');

    const id = ids[0];
    await Promise.all([page.waitForURL(new RegExp(`/requests/${id}$`)), page.click(`a[href="${BASE}/requests/${id}"]`)]);
    expect(await page.textContent('[data-requester-name]')).toBe('Grace Hopper');
    await Promise.all([page.waitForURL(/flash=verified/), page.click('form[data-action="verify"] button')]);
    expect(await page.textContent('[role="status"]')).toBe(`The identity check for request #${id} is recorded.`);
    expect(await page.getAttribute('dd[data-status]', 'data-status')).toBe('verified');

    await page.fill('#x-days', '5');
    await page.fill('#x-reason', 'waiting for the billing system export');
    await Promise.all([page.waitForURL(/flash=extended/), page.click('form[data-action="extend"] button')]);
    expect(await page.textContent('tr[data-event="extended"]')).toContain('waiting for the billing system export');
    await screenshot(page, 'request');

    await Promise.all([page.waitForURL(/flash=fulfilled/), page.click('form[data-action="fulfil"] button')]);
    expect(await page.textContent('[role="status"]')).toBe(`Request #${id} is fulfilled.`);
    expect(await page.getAttribute('dd[data-status]', 'data-status')).toBe('fulfilled');
    expect(await page.locator('tbody tr[data-event]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event'))))
      .toEqual(['received', 'verified', 'extended', 'in-progress', 'fulfilled']);
    expect(problems).toEqual([]);
  });

  it('axe-core: no serious or critical violation on the queue, a request and the disclosures page, in en and ar', async () => {
    const { page } = await newPage(browser);
    await browserLogin(page, t.baseUrl, 'admin@example.com');
    for (const lang of ['en', 'ar']) {
      for (const path of [`${BASE}/requests`, `${BASE}/requests/${ids[2]}`, `${BASE}/disclosures`]) {
        await page.goto(`${t.baseUrl}${path}?lang=${lang}`);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        expect({ path, lang, violations: await axeViolations(page) }).toEqual({ path, lang, violations: [] });
      }
    }
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
  });
});
