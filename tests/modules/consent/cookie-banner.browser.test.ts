/** The cookie banner in a real headless Chromium (MS-1): a shop page on another origin, under a strict CSP, embeds the script and a visitor accepts. */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { startTestSuite, createBrand, PROVIDER_PROFILE, type TestSuite } from '../../helpers/test-suite';
import { subjectKey } from '../../../modules/consent/ledger/consent-ledger';

/** Debian's Chromium, which `npm test` installs first (scripts/test-setup.mjs); CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** The flags that work on this kind of machine as root: no sandbox, and no background connections (the network is closed). */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let t: TestSuite;
let shop: http.Server;
let shopUrl = '';
let browser: Browser;

beforeAll(async () => {
  try { fs.accessSync(CHROMIUM, fs.constants.X_OK); } catch {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`npm test\` (as root it installs Debian's chromium first), or install it with `
      + '`sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium`, or set CHROMIUM_PATH to a Chromium binary.');
  }
  t = await startTestSuite();
  shop = http.createServer((req, res) => {
    if (req.url === '/analytics.js') {
      res.writeHead(200, { 'content-type': 'application/javascript' }).end('window.analyticsRan = true;');
      return;
    }
    const script = `${t.baseUrl}/b/shop/consent/cookie-banner.js`;
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'self'; script-src 'self' ${t.baseUrl}; style-src 'self'; connect-src ${t.baseUrl}`,
    }).end(`<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Shop</h1>
<script type="text/plain" data-consent="analytics" src="/analytics.js"></script>
<script src="${script}"></script></body></html>`);
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  await createBrand(t.suite, 'shop', { profile: { ...PROVIDER_PROFILE, cookies: { mode: 'opt-in', categories: ['necessary', 'analytics', 'marketing'] }, modules: { consent: { cookies: { allowedOrigins: [shopUrl] } } } } });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }); // a fresh temporary profile each launch
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => shop?.close(resolve));
  await t?.close();
});

describe('cookie banner in Chromium', () => {
  it('MS-1: a visitor accepts in a real browser; the choice is recorded in the ledger and blocked scripts run only then', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(shopUrl);
    await page.waitForSelector('#privacy-suite-banner');
    expect(await page.evaluate('window.PrivacySuiteConsent.get()')).toMatchObject({ necessary: true, analytics: false, marketing: false, decided: false });
    expect(await page.evaluate('window.analyticsRan')).toBeUndefined();

    const recorded = page.evaluate("new Promise((resolve) => window.addEventListener('privacysuite:recorded', (e) => resolve(e.detail)))");
    await page.click('[data-ps-action="accept"]');
    expect(await recorded).toEqual({ ok: true });
    await page.waitForFunction('window.analyticsRan === true');
    expect(await page.$('#privacy-suite-banner')).toBeNull();

    const visitor = (await context.cookies(shopUrl)).find((c) => c.name === 'ps_vid')!.value;
    const brand = await t.suite.kernel.brands.get('shop');
    const rows = await t.suite.kernel.db('consent_ledger').where({ brand_id: brand.id, subject_key: subjectKey(t.suite.kernel, brand.id, { subjectId: null, visitorId: visitor }) }).orderBy('seq');
    expect(rows.map((r) => [r.purpose, r.action, r.method, r.collection_point])).toEqual([
      ['cookies:analytics', 'given', 'banner', 'cookie-banner'],
      ['cookies:marketing', 'given', 'banner', 'cookie-banner'],
    ]);
    expect(rows[0].banner_version).toBe(await page.evaluate('window.PrivacySuiteConsent.version'));
    expect(t.suite.kernel.keyring.decryptSync(rows[0].ua_enc)).toMatch(/Chrome/);

    await page.reload();
    await page.waitForFunction('window.analyticsRan === true');
    expect(await page.$('#privacy-suite-banner')).toBeNull(); // remembered
    expect(problems).toEqual([]); // no CSP violation, no script error
    await context.close();
  });
});
