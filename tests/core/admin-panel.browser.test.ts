/**
 * The admin panel in a real headless Chromium: an admin logs in through the form, switches a hook binding off for
 * one brand by clicking, and the next hook call for that brand skips it (the other brand still runs it); axe-core
 * finds no serious or critical accessibility violation on the modules page (en and ar) and the dashboard.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { AdminUsers } from '../../core/users/admin-users';
import { createBrand, postHook, startTestSuite, type TestSuite } from '../helpers/test-suite';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PASSWORD = 'correct horse battery staple';
const BINDING = 'client-add-record-subject';

let t: TestSuite;
let browser: Browser;
const secrets: Record<string, string> = {};
let clientId = 500;

beforeAll(async () => {
  try { fs.accessSync(CHROMIUM, fs.constants.X_OK); } catch {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`npm test\` (it installs Debian's chromium first) or set CHROMIUM_PATH.`);
  }
  t = await startTestSuite();
  secrets.acme = await createBrand(t.suite, 'acme');
  secrets.globex = await createBrand(t.suite, 'globex');
  await new AdminUsers(t.suite.kernel).create({ email: 'admin@example.com', password: PASSWORD, role: 'admin' }, { type: 'cli', id: 'test' });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Sends a signed ClientAdd for a brand; returns how many subjects the brand holds afterwards. */
async function clientAdd(brand: string): Promise<number> {
  clientId += 1;
  const res = await postHook(t.baseUrl, 'ClientAdd', secrets[brand], { brand, vars: { client_id: clientId, firstname: 'Ada', lastname: 'Lovelace', email: `ada${clientId}@example.org`, country: 'GB' } });
  expect(res.status).toBe(200);
  const b = await t.suite.kernel.brands.get(brand);
  return Number(((await t.suite.kernel.db('subjects').where({ brand_id: b.id }).count({ n: '*' }).first()) as { n: number | string }).n);
}

async function logIn(page: Page): Promise<void> {
  await page.goto(`${t.baseUrl}/admin`);
  await page.fill('#email', 'admin@example.com');
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(`${t.baseUrl}/admin`), page.click('main button[type="submit"]')]);
  expect(await page.textContent('main')).toContain('admin@example.com');
}

describe('admin panel in Chromium', () => {
  it('logs in by the form, switches a binding off for one brand by clicking; the next hook call for that brand skips it', async () => {
    expect(await clientAdd('acme')).toBe(1);
    const page = await browser.newPage();
    const problems: string[] = [];
    await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 })); // the suite serves no icon
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    await logIn(page);
    await Promise.all([page.waitForURL(/\/admin\/brands\/acme\/modules$/), page.click('main a[href="/admin/brands/acme/modules"]')]);
    const row = `tr[data-binding="${BINDING}"]`;
    expect(await page.getAttribute(`${row} [data-state]`, 'data-state')).toBe('on');
    await Promise.all([page.waitForURL(/flash=binding-off/), page.click(`${row} button`)]);
    expect(await page.textContent('[role="status"]')).toBe(`Hook binding ${BINDING} is now off for this brand.`);
    expect(await page.getAttribute(`${row} [data-state]`, 'data-state')).toBe('off');
    expect(problems).toEqual([]);
    await page.close();

    expect(await clientAdd('acme')).toBe(1); // switched off: the new client is not recorded for acme
    expect(await clientAdd('globex')).toBe(1); // globex still runs it
  });

  it('axe-core: no serious or critical violation on the modules page (en and ar) and the dashboard', async () => {
    const axe = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    const page = await browser.newPage();
    await logIn(page);
    for (const [path, lang] of [['/admin/brands/acme/modules', 'en'], ['/admin/brands/acme/modules', 'ar'], ['/admin', 'en']]) {
      await page.goto(`${t.baseUrl}${path}?lang=${lang}`);
      if (lang === 'ar') expect(await page.evaluate('getComputedStyle(document.body).direction')).toBe('rtl');
      await page.evaluate(axe);
      // A string runs in the page (the test is compiled without the DOM types).
      const violations = (await page.evaluate('axe.run().then((r) => r.violations.map((v) => v.impact + ": " + v.id))')) as string[];
      expect(violations.filter((v) => /^(serious|critical)/.test(v))).toEqual([]);
    }
    await page.close();
  });
});
