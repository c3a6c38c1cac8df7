/**
 * The consent pages of the admin panel in a real headless Chromium: an admin opens the consent ledger from the brand
 * navigation, searches a client by id, opens its ledger and a receipt, and clicks "verify the chain"; axe-core finds
 * no serious or critical violation on the ledger, receipt and documents pages in English and Arabic.
 */
import type { Browser } from 'playwright-core';
import { axeViolations, browserLogin, createPanelUser, launchChromium, newPage, screenshot } from '../../helpers/admin-browser';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { clientAdd, consentBrand, ledgerOf, publishTerms, subjectOf, type TestBrand } from './marketing-fixtures';

let t: TestSuite;
let browser: Browser;
let acme: TestBrand;

beforeAll(async () => {
  t = await startTestSuite();
  acme = await consentBrand(t.suite, 'acme', { model: 'opt-in', channels: ['email'] });
  await publishTerms(t.suite, acme.id, 'en', '2026-01');
  expect((await clientAdd(t.baseUrl, acme, 1, { accepttos: '1', marketing_emails_opt_in: '1' })).status).toBe(200);
  await createPanelUser(t.suite.kernel, 'admin@example.com', 'admin');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('consent admin pages in Chromium', () => {
  it('searches a client by id, opens its ledger and a receipt, and verifies the chain by clicking', async () => {
    const { page, problems } = await newPage(browser);
    await browserLogin(page, t.baseUrl, 'admin@example.com');
    await page.goto(`${t.baseUrl}/admin/brands/acme/modules`);
    await Promise.all([page.waitForURL(/\/consent\/ledger$/), page.click('a[href="/admin/brands/acme/consent/ledger"]')]);
    await page.fill('#client', '1');
    await Promise.all([page.waitForURL(/\/consent\/ledger\?client=1$/), page.click('form[method="get"] button[type="submit"]')]);
    const sid = await subjectOf(t.suite, acme, 1);
    expect(await page.getAttribute('[data-subject]', 'data-subject')).toBe(String(sid));
    expect(await page.locator('tr[data-event]').count()).toBe((await ledgerOf(t.suite, sid)).length);
    expect(await page.textContent('tr[data-purpose="terms"] [data-action]')).toBe('given');
    await screenshot(page, 'consent-ledger');

    await Promise.all([page.waitForURL(/\/ledger\/receipts\/rcpt_/), page.click('tr[data-event] a')]);
    expect(await page.getAttribute('[data-receipt]', 'data-receipt')).toBe('ok');
    await Promise.all([page.waitForURL(/\/ledger\?subject=/), page.click(`a[href$="ledger?subject=${sid}"]`)]);

    await Promise.all([page.waitForURL(/\/consent\/ledger\/verify$/), page.click('form[action$="/ledger/verify"] button')]);
    expect(await page.textContent('[role="status"]')).toBe(`The consent ledger chain holds: ${(await ledgerOf(t.suite, sid)).length} records checked.`);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('axe-core: no serious or critical violation on the ledger, receipt and documents pages (en and ar)', async () => {
    const { page } = await newPage(browser);
    await browserLogin(page, t.baseUrl, 'admin@example.com');
    const [row] = await ledgerOf(t.suite, await subjectOf(t.suite, acme, 1));
    const paths = ['/admin/brands/acme/consent/ledger?client=1', `/admin/brands/acme/consent/ledger/receipts/${String(row.receipt_id)}`, '/admin/brands/acme/consent/documents'];
    for (const lang of ['en', 'ar']) {
      for (const path of paths) {
        await page.goto(`${t.baseUrl}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        expect(await page.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        expect([path, lang, await axeViolations(page)]).toEqual([path, lang, []]);
      }
    }
    await page.context().close();
  });
});
