/**
 * The privacy center in a real headless Chromium: a customer opens it from the panel's signed link, withdraws and gives
 * marketing consent by clicking, the Arabic center lays out right to left, and axe-core finds no serious or critical
 * accessibility violation.
 */
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { ssoSignature } from '../../../modules/consent/privacy-center/sso-link';
import { clientAdd, consentBrand, consentService, subjectOf, type TestBrand } from './marketing-fixtures';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let t: TestSuite;
let shop: TestBrand;
let browser: Browser;
let fresh = 0;

beforeAll(async () => {
  try { fs.accessSync(CHROMIUM, fs.constants.X_OK); } catch {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`npm test\` (it installs Debian's chromium first) or set CHROMIUM_PATH.`);
  }
  t = await startTestSuite();
  shop = await consentBrand(t.suite, 'pcb-shop', { model: 'opt-out', channels: ['email', 'sms'] }, { branding: { name: 'Browser Shop', primaryColor: '#1f4f8f' } });
  await clientAdd(t.baseUrl, shop, 7);
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** The panel's signed link for client 7 (a new single-use signature each time). */
function ssoUrl(lang?: string): string {
  const exp = String(Math.floor(Date.now() / 1000) + 100 + fresh++);
  return `${t.baseUrl}/b/${shop.slug}/privacy/sso?client=7&exp=${exp}&sig=${ssoSignature(shop.secret, shop.slug, '7', exp)}${lang ? `&lang=${lang}` : ''}`;
}

describe('privacy center in Chromium', () => {
  it('a customer opens the center from a signed link, withdraws and gives marketing email by clicking', async () => {
    const sid = await subjectOf(t.suite, shop, 7);
    const svc = consentService(t.suite);
    const page = await browser.newPage();
    const problems: string[] = [];
    // Every answer but the browser's own favicon request is a success (a CSP refusal would show as a console error).
    page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`); });
    page.on('console', (m) => { if (m.type() === 'error' && !/status of 404/.test(m.text())) problems.push(m.text()); });
    await page.goto(ssoUrl());
    expect(new URL(page.url()).pathname).toBe('/b/pcb-shop/privacy');
    expect(await page.textContent('h1')).toBe('My privacy');
    await page.click('form[data-channel="email"] button');
    await page.waitForURL(/saved=1/);
    expect(await page.textContent('[role="status"]')).toBe('Your choice has been saved.');
    expect(await svc.canSendMarketing(shop.slug, sid, 'email')).toBe(false);
    expect(await page.textContent('form[data-channel="email"] button')).toBe('Receive offers by Email');
    await page.click('form[data-channel="email"] button');
    await page.waitForLoadState();
    expect(await page.textContent('form[data-channel="email"] button')).toBe('Stop offers by Email');
    expect(await svc.canSendMarketing(shop.slug, sid, 'email')).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the Arabic center lays out right to left', async () => {
    const page = await browser.newPage({ locale: 'ar', extraHTTPHeaders: { 'accept-language': 'ar' } });
    await page.goto(ssoUrl());
    expect(await page.evaluate('[document.documentElement.lang, getComputedStyle(document.body).direction]')).toEqual(['ar', 'rtl']);
    expect(await page.textContent('h1')).toBe('خصوصيتي');
    await page.close();
  });

  it('axe-core: no serious or critical violation on the center and the refusal page (en and ar)', async () => {
    const axe = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    for (const lang of ['en', 'ar']) {
      const page = await browser.newPage({ extraHTTPHeaders: { 'accept-language': lang } });
      for (const url of [ssoUrl(), `${t.baseUrl}/b/pcb-shop/privacy/sso?client=7&exp=1&sig=${'0'.repeat(64)}`]) {
        await page.goto(url);
        await page.evaluate(axe);
        // A string runs in the page (the test is compiled without the DOM types).
        const violations = (await page.evaluate('axe.run().then((r) => r.violations.map((v) => v.impact + ": " + v.id))')) as string[];
        expect(violations.filter((v) => /^(serious|critical)/.test(v))).toEqual([]);
      }
      await page.close();
    }
  });
});
