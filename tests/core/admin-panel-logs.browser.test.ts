/**
 * Issue 14 in Chromium: the audit log, outbox, alerts, hook failures and reveal request pages pass axe-core (no
 * serious or critical violation) in English and in Arabic (right to left); a dead letter is retried and a reveal
 * request rejected by clicking.
 */
import type { Browser } from 'playwright-core';
import { openRevealRequest } from '../../modules/registrant/reveal/open-request';
import { useRegistrar } from '../../modules/registrant/transfer/registrar-lookup';
import { axeViolations, browserLogin, createPanelUser, launchChromium, newPage, screenshot } from '../helpers/admin-browser';
import { postHook, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { FakeRegistrar, postContacts, registrantBrand, whmcsParams } from '../modules/registrant/fixtures';

const CONFIG = { unusualAccessThreshold: 3, unusualAccessWindowSeconds: 600, trustProxy: true, outboxMaxAttempts: 1, outboxBaseDelayMs: 5 };
let t: TestSuite;
let browser: Browser;
let dead: number;
let reveal: number;

beforeAll(async () => {
  useRegistrar(() => new FakeRegistrar());
  browser = await launchChromium();
  t = await startTestSuite({ config: CONFIG });
  const secret = await registrantBrand(t.suite, 'shop');
  const brand = await t.suite.kernel.brands.get('shop');
  await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'shop', vars: { client_id: 7, firstname: 'Ada', lastname: 'Lovelace', email: 'ada7@example.org', country: 'GB' } });
  expect((await postContacts(t.baseUrl, secret, { brand: 'shop', params: whmcsParams(7, 'disputed', 'com', { idprotection: true }) })).status).toBe(200);
  reveal = (await openRevealRequest(t.suite.kernel, brand, { type: 'cli', id: 'test' }, {
    domain: 'disputed.com', complainant: { name: '<script>alert(1)</script>', email: 'legal@brand-owner.example' }, legalBasis: 'Trademark infringement', evidence: 'Screenshots.',
  })).id;
  await t.suite.worker.drain(); // the notice to the customer (delivered or not, it leaves the queue)
  const profile = await t.suite.kernel.brands.profile(brand);
  ({ id: dead } = await t.suite.kernel.db.transaction((trx) => t.suite.kernel.outbox.enqueue(trx, profile, {
    brandId: brand.id, topic: 'test.nowhere', recipient: 'email', purpose: 'service', payload: { note: 'x' },
  })));
  await t.suite.worker.drain();
  for (let i = 0; i < 3; i++) await postHook(t.baseUrl, 'ClientAdd', 'wrong-secret', { brand: 'shop', vars: { client_id: 1 } }, { headers: { 'x-forwarded-for': '198.51.100.9' } });
  await t.suite.kernel.audit.record({ brandId: brand.id, actor: { type: 'cli', id: 'test' }, action: 'test.note', details: { note: '<script>alert(1)</script>' } });
  await createPanelUser(t.suite.kernel, 'owner@example.com', 'owner');
}, 120000);
afterAll(async () => {
  useRegistrar();
  await browser?.close();
  await t?.close();
});

const PAGES = () => ['/admin/audit', '/admin/outbox', '/admin/alerts', '/admin/hook-failures', '/admin/brands/shop/registrant/reveal-requests', `/admin/brands/shop/registrant/reveal-requests/${reveal}`];

describe('log and reveal pages in Chromium', () => {
  it('English: axe finds nothing serious; a dead letter is retried and a reveal request rejected by clicking', async () => {
    const { page, problems } = await newPage(browser);
    await browserLogin(page, t.baseUrl, 'owner@example.com');
    const bad: string[] = [];
    for (const p of PAGES()) {
      const res = await page.goto(t.baseUrl + p);
      expect(res?.status()).toBe(200);
      for (const v of await axeViolations(page)) bad.push(`${p}: ${v}`);
    }
    expect(bad).toEqual([]);

    await page.goto(`${t.baseUrl}/admin/audit?action=test.note`);
    expect(await page.textContent('main')).toContain('<script>alert(1)</script>'); // shown as text, not run
    await page.goto(`${t.baseUrl}/admin/audit`);
    await screenshot(page, 'audit');

    await page.goto(`${t.baseUrl}/admin/outbox`);
    await Promise.all([page.waitForURL(/\/admin\/outbox\?flash=retried/), page.click(`tr[data-message="${dead}"] button[type="submit"]`)]);
    expect(await page.textContent('[role="status"]')).toContain(`Message ${dead} is queued again`);
    expect(((await t.suite.kernel.db('outbox').where({ id: dead }).first('state')) as { state: string }).state).toBe('pending');

    await page.goto(`${t.baseUrl}/admin/brands/shop/registrant/reveal-requests`);
    await Promise.all([page.waitForURL(/reveal-requests\/\d+$/), page.click(`tr[data-request="${reveal}"] a`)]);
    await page.check('input[name="decision"][value="reject"]');
    await Promise.all([page.waitForURL(/flash=rejected/), page.click('main form[method="post"] button[type="submit"]')]);
    expect(await page.textContent('[role="status"]')).toContain(`Request ${reveal} is rejected`);
    expect(((await t.suite.kernel.db('registrant_reveal_requests').where({ id: reveal }).first('status')) as { status: string }).status).toBe('rejected');
    for (const v of await axeViolations(page)) bad.push(`after decision: ${v}`);
    expect(bad).toEqual([]);
    expect(problems).toEqual([]);
  }, 120000);

  it('Arabic: the same pages are right to left, translated, and axe finds nothing serious', async () => {
    const { page, problems } = await newPage(browser, { locale: 'ar' });
    await browserLogin(page, t.baseUrl, 'owner@example.com');
    const bad: string[] = [];
    for (const p of PAGES()) {
      const res = await page.goto(t.baseUrl + p);
      expect(res?.status()).toBe(200);
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
      for (const v of await axeViolations(page)) bad.push(`${p}: ${v}`);
    }
    await page.goto(`${t.baseUrl}/admin/outbox?state=pending`);
    expect(await page.textContent('h1')).toBe('صندوق الصادر');
    expect(bad).toEqual([]);
    expect(problems).toEqual([]);
  }, 120000);
});
