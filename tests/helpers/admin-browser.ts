/**
 * Helpers for admin panel tests: panel users, a form-posting client with a cookie jar (no redirects followed), and
 * a headless Chromium with axe-core for browser tests (`*.browser.test.ts`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Kernel } from '../../core/kernel';
import type { Role } from '../../core/apikeys/roles';
import { AdminUsers } from '../../core/users/admin-users';

export const PANEL_PASSWORD = 'correct horse battery staple';

/** Creates a panel user with PANEL_PASSWORD (a reseller needs `brand`). */
export async function createPanelUser(kernel: Kernel, email: string, role: Role, brand?: string): Promise<void> {
  await new AdminUsers(kernel).create({ email, password: PANEL_PASSWORD, role, ...(brand ? { brand } : {}) }, { type: 'cli', id: 'test' });
}

export type Answer = { status: number; html: string; location: string | null; headers: Headers };

/** A form-posting client with a cookie jar that follows no redirects. */
export class PanelClient {
  private readonly jar = new Map<string, string>();

  constructor(private readonly base: string, private readonly headers: Record<string, string> = {}) {}

  private async send(p: string, init: RequestInit): Promise<Answer> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.base}${p}`, { ...init, redirect: 'manual', headers: { accept: 'text/html', ...this.headers, ...(init.headers as Record<string, string>), cookie } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      if (pair.slice(eq + 1) === '') this.jar.delete(pair.slice(0, eq));
      else this.jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return { status: res.status, html: await res.text(), location: res.headers.get('location'), headers: res.headers };
  }

  get(p: string): Promise<Answer> {
    return this.send(p, { method: 'GET' });
  }

  /** Posts a url-encoded form (repeat a field by giving an array). */
  post(p: string, fields: Record<string, string | string[]>): Promise<Answer> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.send(p, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  }

  /** The CSRF token of a page's form (GET the page first). */
  async csrf(p = '/admin'): Promise<string> {
    const m = /name="_csrf" value="([^"]+)"/.exec((await this.get(p)).html);
    if (!m) throw new Error(`no CSRF field on ${p}`);
    return m[1];
  }

  /** Posts a form of page `p` to `action` with the page's CSRF token. */
  async submit(p: string, action: string, fields: Record<string, string | string[]>): Promise<Answer> {
    return this.post(action, { _csrf: await this.csrf(p), ...fields });
  }

  async login(email: string, password = PANEL_PASSWORD): Promise<this> {
    const res = await this.post('/admin/login', { _csrf: await this.csrf(), email, password });
    if (res.status !== 303) throw new Error(`log-in of ${email} answered ${res.status}`);
    return this;
  }
}

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launches headless Chromium (fails with the command to run when it is missing: no test skips itself). */
export async function launchChromium(): Promise<Browser> {
  try { fs.accessSync(CHROMIUM, fs.constants.X_OK); } catch {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`npm test\` (it installs Debian's chromium first) or set CHROMIUM_PATH.`);
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A new page that records console errors (the suite serves no favicon: answered 204). */
export async function newPage(browser: Browser, opts: { locale?: string } = {}): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext(opts.locale ? { locale: opts.locale } : {});
  const page = await context.newPage();
  const problems: string[] = [];
  await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  return { page, problems };
}

/** Logs in through the form in the browser. */
export async function browserLogin(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/admin`);
  await page.fill('#email', email);
  await page.fill('#password', PANEL_PASSWORD);
  await Promise.all([page.waitForURL(`${base}/admin`), page.click('main button[type="submit"]')]);
}

/** axe-core's serious and critical violations on the page as shown now (`impact: rule-id`). */
export async function axeViolations(page: Page): Promise<string[]> {
  const axe = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axe);
  // A string runs in the page (the test is compiled without the DOM types).
  const all = (await page.evaluate('axe.run().then((r) => r.violations.map((v) => v.impact + ": " + v.id))')) as string[];
  return all.filter((v) => /^(serious|critical)/.test(v));
}

/**
 * Where every test run saves its screenshots of the main pages (git-ignored, so a run leaves the tree clean);
 * `npm run docs:screenshots` copies them to docs/screenshots/, which the README and docs show.
 */
export const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-output', 'screenshots');

/** Saves a full-page screenshot as test-output/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
