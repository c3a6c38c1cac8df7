/**
 * A gateway's admin pages in a real headless Chromium: an admin filters the transactions, refunds part of a payment by
 * the form (the service is called, a flash answers), sees a refused amount next to its field; axe-core finds no
 * serious or critical violation on the overview, transactions and webhook failures pages, in English and in Arabic
 * (right to left). Runs on the installed gateways/stripe, its refund
 * stubbed (the Stripe tests refund through the real SDK).
 */
import type { Browser } from 'playwright-core';
import type { Brand } from '../../../core/brands/brand';
import type { GatewayService, RefundResult } from '../../../modules/gateways/kit/contract';
import { WebhookEvents } from '../../../modules/gateways/kit/events';
import { Payments } from '../../../modules/gateways/kit/payments';
import { axeViolations, browserLogin, createPanelUser, launchChromium, newPage, screenshot } from '../../helpers/admin-browser';
import { createBrand, PROVIDER_PROFILE, startTestSuite, type TestSuite } from '../../helpers/test-suite';

const G = 'gateways/stripe';
const refunds: { invoiceId: number; amount?: number }[] = [];
const refund = async (_brand: Brand, invoiceId: number, amount?: number): Promise<RefundResult> => {
  refunds.push({ invoiceId, ...(amount === undefined ? {} : { amount }) });
  return { status: 'success', transid: `re_${invoiceId}`, rawdata: {} };
};

let t: TestSuite;
let browser: Browser;
const base = (): string => `${t.baseUrl}/admin/brands/shop/gateways/stripe`;

beforeAll(async () => {
  t = await startTestSuite();
  jest.spyOn(t.suite.kernel.service<GatewayService>(G), 'refund').mockImplementation(refund);
  await createBrand(t.suite, 'shop', { profile: { ...PROVIDER_PROFILE, modules: { [G]: { enabled: true, mode: 'live', currency: 'EUR', recipient: 'stripe', secretKeyVar: 'GW_BROWSER_SECRET', webhookSecretVar: 'GW_BROWSER_WEBHOOK' } } } });
  await t.suite.kernel.brands.setEnabled('shop', 'module', G, true, { type: 'cli', id: 'test' });
  const brandId = (await t.suite.kernel.brands.get('shop')).id;
  const store = new Payments('stripe');
  for (const [invoiceId, amount, status] of [[301, 80, 'paid'], [302, 15, 'declined'], [303, 20, 'pending']] as const) {
    const row = await store.opened(t.suite.kernel.db, { brandId, invoiceId, subjectId: null, reference: `cs_live_${invoiceId}`, amount, currency: 'eur', mode: 'live' });
    if (status !== 'pending') await store.update(t.suite.kernel.db, row.id, { status, transactionId: status === 'paid' ? `pi_${invoiceId}` : null, failureCode: status === 'declined' ? 'insufficient_funds' : null });
  }
  await new WebhookEvents('stripe').applyOnce(t.suite.kernel, brandId, { id: 'evt_browser_1', type: 'checkout.session.completed' }, { inside: async () => { throw new Error('the platform is down'); } }).catch(() => undefined);
  await createPanelUser(t.suite.kernel, 'admin@example.com', 'admin');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('gateway pages in Chromium', () => {
  it('TOS-1.2: filter the transactions, refund part of a payment by the form; a refused amount is shown next to its field', async () => {
    const { page, problems } = await newPage(browser);
    await browserLogin(page, t.baseUrl, 'admin@example.com');
    await page.goto(`${base()}/overview`);
    expect(await page.getAttribute('[data-mode]', 'data-mode')).toBe('live');
    await page.click('nav a[href="/admin/brands/shop/gateways/stripe/transactions"]');
    await page.selectOption('#status-filter', 'declined');
    await Promise.all([page.waitForURL(/status=declined/), page.click('main form[method="get"] button')]);
    expect(await page.$$eval('tbody tr', (rows) => rows.length)).toBe(1);
    expect(await page.textContent('tbody tr')).toContain('insufficient_funds');

    await page.goto(`${base()}/transactions`);
    const paid = 'tr[data-invoice="301"]';
    await page.fill(`${paid} input[name="amount"]`, '12.345');
    await Promise.all([page.waitForLoadState('load'), page.click(`${paid} button`)]);
    expect(await page.getAttribute(`${paid} input[name="amount"]`, 'aria-invalid')).toBe('true');
    expect(await page.textContent(`${paid} .field-error`)).toContain('0.01');
    await screenshot(page, 'gateway-transactions');

    await page.fill(`${paid} input[name="amount"]`, '12.50');
    await Promise.all([page.waitForURL(/flash=partlyRefunded/), page.click(`${paid} button`)]);
    expect(await page.textContent('[role="status"]')).toBe('Part of the payment of invoice 301 was refunded.');
    expect(refunds).toEqual([{ invoiceId: 301, amount: 12.5 }]);
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await page.context().close();
  });

  it('axe-core: no serious or critical violation on the overview, transactions and webhook failures, in English and Arabic', async () => {
    const { page, problems } = await newPage(browser);
    await browserLogin(page, t.baseUrl, 'admin@example.com');
    for (const lang of ['en', 'ar']) {
      for (const p of ['overview', 'transactions', 'webhook-failures']) {
        await page.goto(`${base()}/${p}?lang=${lang}`);
        expect(await page.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        expect([lang, p, await axeViolations(page)]).toEqual([lang, p, []]);
      }
    }
    expect(await page.textContent('tr[data-event="evt_browser_1"]')).toContain('the platform is down');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
