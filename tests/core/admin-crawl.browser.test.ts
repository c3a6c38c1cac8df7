/**
 * The admin crawl in Chromium: an owner logs in by the form and the crawler follows every /admin link reachable from
 * the dashboard (log-out left out, one query variant per path, capped); axe-core finds no serious or critical
 * violation on any page, and the same pages in Arabic (global pages and one brand's) are right to left and clean too.
 */
import type { Browser, Page } from 'playwright-core';
import { axeViolations, browserLogin, createPanelUser, launchChromium, newPage } from '../helpers/admin-browser';
import { createBrand, postHook, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { publishTerms } from '../modules/consent/marketing-fixtures';
import { RIGHTS_PROFILE } from '../modules/rights/fixtures';

const MAX_PAGES = 150;

let t: TestSuite;
let browser: Browser;
let page: Page;
let problems: string[];
/** Every page the crawl reached, with the status Chromium got. */
const crawled: { url: string; status: number }[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestSuite();
  const profile = { ...RIGHTS_PROFILE, consent: { model: 'opt-in', channels: ['email', 'sms'] } };
  for (const slug of ['acme', 'globex']) {
    const secret = await createBrand(t.suite, slug, { profile: { ...profile, controller: { name: `${slug} Hosting Ltd`, email: `privacy@${slug}.example`, country: 'GB' } } });
    await publishTerms(t.suite, (await t.suite.kernel.brands.get(slug)).id, 'en', '2026-01');
    const context = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (crawl)', locale: 'en' };
    const vars = { client_id: 1, userid: 1, firstname: '<script>alert(1)</script>', lastname: 'Client', email: `person@${slug}.example`, country: 'GB', accepttos: '1', marketing_emails_opt_in: '1' };
    expect((await postHook(t.baseUrl, 'ClientAdd', secret, { brand: slug, vars, context })).status).toBe(200);
    expect((await postHook(t.baseUrl, 'NewsletterSignup', secret, { brand: slug, vars: { userid: 1, channels: ['sms'] }, context })).status).toBe(200);
    expect((await postHook(t.baseUrl, 'DataSubjectRequest', secret, { brand: slug, vars: { userid: 1, type: 'access', loggedin: true } })).status).toBe(200);
  }
  await createBrand(t.suite, 'acme-resale', { parent: 'acme', profile: { controller: { name: 'Resale BV', email: 'dpo@resale.example', country: 'NL' } } });
  await t.suite.kernel.brands.create({ slug: 'bx', name: '<b>x</b>', profile: { controller: { name: 'X Ltd', email: 'dpo@x.example', country: 'GB' } } }, { type: 'cli', id: 'test' });
  await createPanelUser(t.suite.kernel, 'owner@example.com', 'owner');
  ({ page, problems } = await newPage(browser));
  await browserLogin(page, t.baseUrl, 'owner@example.com');
}, 120000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** The page's same-origin /admin links (absolute paths with query). */
async function pageLinks(): Promise<string[]> {
  const hrefs = (await page.$$eval('a[href]', (as) => as.map((a) => (a as unknown as { href: string }).href)));
  const origin = new URL(t.baseUrl).origin;
  return hrefs.map((h) => new URL(h)).filter((u) => u.origin === origin && /^\/admin(\/|$)/.test(u.pathname)).map((u) => u.pathname + u.search);
}

describe('admin crawl in Chromium (owner)', () => {
  it('clicks from the dashboard to a brand, then reaches every page from /admin; axe-core finds nothing serious on any', async () => {
    await Promise.all([page.waitForURL(/\/admin\/brands\/acme\/modules$/), page.click('main a[href="/admin/brands/acme/modules"]')]);
    expect(await page.textContent('main')).toContain('ClientAdd');

    const queued = new Set<string>(['/admin']);
    const queue = ['/admin'];
    const bad: string[] = [];
    while (queue.length && crawled.length < MAX_PAGES) {
      const url = queue.shift()!;
      const res = await page.goto(t.baseUrl + url);
      const status = res?.status() ?? 0;
      crawled.push({ url, status });
      if (status !== 200) { bad.push(`${url}: status ${status}`); continue; }
      if (!(res?.headers()['content-type'] ?? '').startsWith('text/html')) continue;
      for (const v of await axeViolations(page)) bad.push(`${url}: ${v}`);
      for (const next of await pageLinks()) {
        const path = next.split('?')[0];
        const variant = next.includes('?') ? `${path}?` : path;
        if (path === '/admin/logout' || queued.has(next) || queued.has(variant)) continue;
        queued.add(next);
        queued.add(variant);
        queue.push(next);
      }
    }
    expect(crawled.map((c) => c.url)).toContain('/admin/brands/globex/modules');
    expect(bad).toEqual([]);
    expect(problems).toEqual([]);
  }, 150000);

  it('in Arabic the global pages and acme\'s pages are right to left, and axe-core finds nothing serious', async () => {
    const subset = crawled.filter((c) => c.status === 200 && !/^\/admin\/brands\/(?!acme\/)/.test(c.url)).map((c) => c.url);
    expect(subset.length).toBeGreaterThan(1);
    const bad: string[] = [];
    for (const url of subset) {
      const u = new URL(t.baseUrl + url);
      u.searchParams.set('lang', 'ar');
      const res = await page.goto(u.toString());
      if (!(res?.headers()['content-type'] ?? '').startsWith('text/html')) continue;
      const html = await page.evaluate('[document.documentElement.lang, document.documentElement.dir].join(" ")');
      if (html !== 'ar rtl') bad.push(`${url}: <html> is "${String(html)}"`);
      for (const v of await axeViolations(page)) bad.push(`${url} (ar): ${v}`);
    }
    expect(bad).toEqual([]);
  }, 120000);
});
