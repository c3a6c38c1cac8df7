/**
 * The page layout in a real headless Chromium: the CSP lets the page's own (nonce'd) style apply and nothing else
 * is refused, Arabic lays out right to left, the escaped <script> name never runs, and axe-core finds no serious
 * or critical accessibility violation on a client page with a form.
 */
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Browser } from 'playwright-core';
import { csrfToken, sendPage } from '../../core/pages';
import { startTestSuite, type TestSuite } from '../helpers/test-suite';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let t: TestSuite;
let server: http.Server;
let base = '';
let browser: Browser;

beforeAll(async () => {
  try { fs.accessSync(CHROMIUM, fs.constants.X_OK); } catch {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`npm test\` (it installs Debian's chromium first) or set CHROMIUM_PATH.`);
  }
  t = await startTestSuite({ http: false });
  const app = express();
  app.get('/favicon.ico', (_req, res) => { res.status(204).end(); });
  app.get('/page', (req, res) => {
    const locale = typeof req.query.lang === 'string' ? req.query.lang : 'en';
    sendPage(req, res, 200, {
      page: 'client/consent-confirm', locale, branding: { name: '<script>window.pwned=1</script>', primaryColor: '#1f4f8f' },
      csrfToken: csrfToken(t.suite.kernel, req, res),
      view: { title: '<script>window.pwned=1</script>', message: 'Confirm?', button: 'Confirm', action: 'confirm', token: 'tok', showForm: true },
    });
  });
  await new Promise<void>((r) => { server = app.listen(0, '127.0.0.1', () => r()); });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await t?.close();
});

describe('pages in Chromium', () => {
  it('the nonce style applies under the CSP, nothing is refused, the escaped script never runs', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    await page.goto(`${base}/page`);
    expect(await page.evaluate('getComputedStyle(document.body).maxWidth')).toBe('512px');
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    expect(await page.textContent('h1')).toBe('<script>window.pwned=1</script>');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('Arabic lays out right to left', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/page?lang=ar`);
    expect(await page.evaluate('[document.documentElement.lang, getComputedStyle(document.body).direction]')).toEqual(['ar', 'rtl']);
    await page.close();
  });

  it('axe-core: no serious or critical violation (en and ar)', async () => {
    const axe = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    for (const lang of ['en', 'ar']) {
      const page = await browser.newPage();
      await page.goto(`${base}/page?lang=${lang}`);
      await page.evaluate(axe);
      // A string runs in the page (the test is compiled without the DOM types).
      const violations = (await page.evaluate('axe.run().then((r) => r.violations.map((v) => v.impact + ": " + v.id))')) as string[];
      expect(violations.filter((v) => /^(serious|critical)/.test(v))).toEqual([]);
      await page.close();
    }
  });
});
