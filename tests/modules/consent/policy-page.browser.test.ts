/** The published policy pages in a real headless Chromium: each demo brand's page shows its controller and retention table, and axe-core finds no serious or critical violation (English and Arabic). */
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import axe from 'axe-core';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { runDemo } from '../../../scripts/demo';
import { readProfile } from '../../../scripts/demo/demo-brands';

/** Debian's Chromium, which `npm test` installs first (scripts/test-setup.mjs); CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SLUGS = ['masterserver', 'websoftmaster', 'websoftmaster-reseller', 'server-pro', 'tos-provider', 'email-server-management'];

let t: TestSuite;
let browser: Browser;

beforeAll(async () => {
  try { fs.accessSync(CHROMIUM, fs.constants.X_OK); } catch {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`npm test\` (as root it installs Debian's chromium first), or set CHROMIUM_PATH.`);
  }
  t = await startTestSuite();
  await runDemo(t.suite, { customersPerBrand: 0, onProgress: () => undefined });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

interface Violation { id: string; impact: string | null; targets: string[] }

describe('published policy in Chromium', () => {
  it.each(SLUGS.flatMap((slug) => [[slug, 'en'], [slug, 'ar']]))('%s (%s): controller and retention table shown; no serious or critical axe violation', async (slug, lang) => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
    page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`); });
    const res = await page.goto(`${t.baseUrl}/b/${slug}/policy?lang=${lang}`);
    expect(res?.status()).toBe(200);
    expect(await page.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
    const controller = (readProfile(slug)!.controller as { name: string }).name;
    expect(await page.textContent('#controller')).toContain(controller);
    expect(await page.locator('#retention tbody tr').count()).toBeGreaterThan(3);
    await page.evaluate(axe.source); // through the DevTools protocol, so the page's CSP does not apply to it
    const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => String(n.target)) })))`)) as Violation[];
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    expect(errors).toEqual([]); // the inline style carries the CSP nonce
    await page.close();
  });
});
