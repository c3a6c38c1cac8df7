/**
 * A crawler over every admin panel page reachable from /admin, with data seeded through real hooks: every page
 * answers 200 with <html lang> and a <title>, shows hostile names escaped, carries a CSRF field in every POST form,
 * and refuses each form without it (403, nothing written). A reseller's pages never show another brand, and swapping
 * the brand in their URLs is 403 and audited; an auditor has no forms but log-out, and each owner form is 403 for it.
 */
import { changedTables, digestTables } from '../helpers/db-digest';
import { createPanelUser, PanelClient, type Answer } from '../helpers/admin-browser';
import { createBrand, postHook, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { publishTerms } from '../modules/consent/marketing-fixtures';
import { RIGHTS_PROFILE } from '../modules/rights/fixtures';

const XSS = '<script>alert(1)</script>';
const XSS_ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';
const BOLD = '<b>x</b>';
const BOLD_ESCAPED = '&lt;b&gt;x&lt;/b&gt;';
const MAX_PAGES = 300;
/** Tables a refused request may still touch: the session's last use and the shared rate-limit counters. */
const VOLATILE = ['admin_sessions', 'rate_limits'];

let t: TestSuite;

/** What the crawler saw of one page. */
interface Crawled { url: string; answer: Answer }

/** One POST form of a page: its action (absolute path) and the fields it would send. */
interface Form { page: string; action: string; fields: Record<string, string[]>; hasCsrf: boolean }

const ENTITIES: Record<string, string> = { '&amp;': '&', '&quot;': '"', '&#x27;': "'", '&#39;': "'", '&#x3D;': '=', '&#x60;': '`', '&lt;': '<', '&gt;': '>' };
const decode = (s: string): string => s.replace(/&(?:amp|quot|lt|gt|#x27|#39|#x3D|#x60);/g, (m) => ENTITIES[m]);

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? decode(m[1] ?? m[2] ?? m[3]) : undefined;
}

/** Same-origin /admin links of a page, resolved against its URL (fragments dropped). */
function links(html: string, pageUrl: string, base: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<a\b[^>]*>/gi)) {
    const href = attr(m[0], 'href');
    if (!href) continue;
    const u = new URL(href, base + pageUrl);
    if (u.origin !== new URL(base).origin) continue;
    if (!/^\/admin(\/|$)/.test(u.pathname)) continue;
    out.push(u.pathname + u.search);
  }
  return out;
}

/** The page's POST forms, with the fields a browser would send (hidden and filled inputs, selects, textareas, the button). */
function postForms(html: string, pageUrl: string, base: string): Form[] {
  const forms: Form[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    if ((attr(`<form ${m[1]}>`, 'method') ?? 'get').toLowerCase() !== 'post') continue;
    const u = new URL(attr(`<form ${m[1]}>`, 'action') ?? pageUrl, base + pageUrl);
    const fields: Record<string, string[]> = {};
    const add = (k: string | undefined, v: string): void => { if (k) (fields[k] ??= []).push(v); };
    for (const i of m[2].matchAll(/<input\b[^>]*>/gi)) {
      const type = (attr(i[0], 'type') ?? 'text').toLowerCase();
      if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/i.test(i[0])) continue;
      if (type === 'submit' || type === 'button' || type === 'file') continue;
      add(attr(i[0], 'name'), attr(i[0], 'value') ?? (type === 'checkbox' ? 'on' : ''));
    }
    for (const s of m[2].matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const options = [...s[2].matchAll(/<option\b([^>]*)>([^<]*)/gi)];
      const chosen = options.find((o) => /\sselected\b/i.test(o[1])) ?? options[0];
      if (chosen) add(attr(`<select ${s[1]}>`, 'name'), attr(`<option ${chosen[1]}>`, 'value') ?? decode(chosen[2].trim()));
    }
    for (const a of m[2].matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) add(attr(`<textarea ${a[1]}>`, 'name'), decode(a[2]));
    const button = /<button\b[^>]*\sname\s*=[^>]*>/i.exec(m[2]);
    if (button) add(attr(button[0], 'name'), attr(button[0], 'value') ?? '');
    forms.push({ page: pageUrl, action: u.pathname + u.search, fields, hasCsrf: '_csrf' in fields });
  }
  return forms;
}

/**
 * Breadth-first over every /admin link reachable from /admin (log-out left out; of the URLs of one path with a query,
 * only the first), at most MAX_PAGES pages.
 */
async function crawl(client: PanelClient, start = '/admin'): Promise<Crawled[]> {
  const seen = new Set<string>();
  const queued = new Set<string>([start]);
  const queue = [start];
  const out: Crawled[] = [];
  while (queue.length && out.length < MAX_PAGES) {
    const url = queue.shift()!;
    seen.add(url);
    const answer = await client.get(url);
    out.push({ url, answer });
    if (!(answer.headers.get('content-type') ?? '').startsWith('text/html')) continue;
    for (const next of links(answer.html, url, t.baseUrl)) {
      const path = next.split('?')[0];
      if (path === '/admin/logout' || queued.has(next)) continue;
      const variant = next.includes('?') ? `${path}?` : path;
      if (queued.has(variant)) continue;
      queued.add(next);
      queued.add(variant);
      queue.push(next);
    }
  }
  return out;
}

const isHtml = (a: Answer): boolean => (a.headers.get('content-type') ?? '').startsWith('text/html');

/** Where a page shows a hostile name raw, or mentions it other than in its escaped form. */
function escapeProblems(html: string): string[] {
  const problems: string[] = [];
  if (html.includes('<script>alert(1)')) problems.push('raw <script>alert(1)');
  if (html.includes(BOLD)) problems.push('raw <b>x</b>');
  const alerts = html.split('alert(1)').length - 1;
  const escaped = html.split('&lt;script&gt;alert(1)').length - 1;
  if (alerts !== escaped) problems.push(`alert(1) shown ${alerts} times, ${escaped} of them escaped`);
  return problems;
}

function formsOf(pages: Crawled[]): Form[] {
  return pages.filter((p) => isHtml(p.answer)).flatMap((p) => postForms(p.answer.html, p.url, t.baseUrl));
}

/** Audit entries of an action, all of them. */
async function auditCount(action: string): Promise<number> {
  return (await t.suite.kernel.audit.list({ action, limit: 100000 })).length;
}

let ownerPages: Crawled[] = [];

beforeAll(async () => {
  t = await startTestSuite();
  const profile = { ...RIGHTS_PROFILE, consent: { model: 'opt-in', channels: ['email', 'sms'] } };
  const secrets: Record<string, string> = {};
  secrets.acme = await createBrand(t.suite, 'acme', { profile: { ...profile, controller: { name: 'Acme Hosting Ltd', email: 'privacy@acme.example', country: 'GB' } } });
  secrets.globex = await createBrand(t.suite, 'globex', { profile: { ...profile, controller: { name: 'Globex Hosting Ltd', email: 'privacy@globex.example', country: 'GB' } } });
  await createBrand(t.suite, 'acme-resale', { parent: 'acme', profile: { controller: { name: 'Resale BV', email: 'dpo@resale.example', country: 'NL' } } });
  await t.suite.kernel.brands.create({ slug: 'bx', name: BOLD, profile: { controller: { name: 'X Ltd', email: 'dpo@x.example', country: 'GB' } } }, { type: 'cli', id: 'test' });
  for (const slug of ['acme', 'globex']) {
    const brand = await t.suite.kernel.brands.get(slug);
    await publishTerms(t.suite, brand.id, 'en', '2026-01');
    const context = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (crawl)', locale: 'en' };
    const firstname = slug === 'acme' ? XSS : 'Hedwig';
    const add = await postHook(t.baseUrl, 'ClientAdd', secrets[slug], {
      brand: slug, context,
      vars: { client_id: 1, userid: 1, firstname, lastname: `${slug} client`, email: `person@${slug}.example`, country: 'GB', accepttos: '1', marketing_emails_opt_in: '1' },
    });
    expect(add.status).toBe(200);
    expect((await postHook(t.baseUrl, 'NewsletterSignup', secrets[slug], { brand: slug, vars: { userid: 1, channels: ['sms'] }, context })).status).toBe(200);
    const dsr = await postHook(t.baseUrl, 'DataSubjectRequest', secrets[slug], { brand: slug, vars: { userid: 1, type: 'access', loggedin: true, message: `${XSS} please` } });
    expect(dsr.status).toBe(200);
  }
  await createPanelUser(t.suite.kernel, 'owner@example.com', 'owner');
  await createPanelUser(t.suite.kernel, 'auditor@example.com', 'auditor');
  await createPanelUser(t.suite.kernel, 'reseller@example.com', 'reseller', 'acme');
}, 120000);
afterAll(() => t?.close());

describe('admin crawl: every page an owner reaches from /admin', () => {
  let owner: PanelClient;

  beforeAll(async () => {
    owner = await new PanelClient(t.baseUrl).login('owner@example.com');
    ownerPages = await crawl(owner);
  }, 300000);

  it('reaches the dashboard, every brand\'s modules page and the module pages of the seeded brands', () => {
    const urls = ownerPages.map((p) => p.url.split('?')[0]);
    for (const slug of ['acme', 'globex', 'acme-resale', 'bx']) expect(urls).toContain(`/admin/brands/${slug}/modules`);
    expect(urls.some((u) => /^\/admin\/brands\/acme\/(consent|rights)\//.test(u))).toBe(true);
    expect(ownerPages.length).toBeLessThanOrEqual(MAX_PAGES);
  });

  it('every page answers 200, with <html lang> and a non-empty <title> (non-HTML answers are not sniffed)', () => {
    const bad: string[] = [];
    for (const { url, answer } of ownerPages) {
      if (answer.status !== 200) { bad.push(`${url}: status ${answer.status}`); continue; }
      if (!isHtml(answer)) {
        if (answer.headers.get('x-content-type-options') !== 'nosniff') bad.push(`${url}: ${answer.headers.get('content-type')} without nosniff`);
        continue;
      }
      if (!/<html\b[^>]*\slang="[a-z]{2}(-[A-Za-z]+)?"/.test(answer.html)) bad.push(`${url}: no <html lang>`);
      if (!/<title>[^<\s][^<]*<\/title>/.test(answer.html)) bad.push(`${url}: no <title>`);
    }
    expect(bad).toEqual([]);
  });

  it('no page shows <script>alert(1)</script> or <b>x</b> raw; where they are shown, they are escaped', () => {
    const bad = ownerPages.filter((p) => isHtml(p.answer)).flatMap((p) => escapeProblems(p.answer.html).map((e) => `${p.url}: ${e}`));
    expect(bad).toEqual([]);
    expect(ownerPages.some((p) => p.answer.html.includes(BOLD_ESCAPED))).toBe(true); // the brand's name is shown (dashboard, brand nav)
    expect(ownerPages.some((p) => p.answer.html.includes(XSS_ESCAPED))).toBe(true); // the client's name or request message is shown somewhere
  });

  it('every <form method="post"> carries a _csrf field', () => {
    const forms = formsOf(ownerPages);
    expect(forms.length).toBeGreaterThan(0);
    expect(forms.filter((f) => !f.hasCsrf).map((f) => `${f.page} → ${f.action}`)).toEqual([]);
  });

  it('each form posted with its own fields but without _csrf answers 403 and writes nothing', async () => {
    const forms = formsOf(ownerPages);
    const unique = [...new Map(forms.map((f) => [f.action, f])).values()];
    const before = await digestTables(t.suite.kernel.db, VOLATILE);
    const bad: string[] = [];
    for (const f of unique) {
      const { _csrf: _drop, ...fields } = f.fields;
      const res = await owner.post(f.action, fields);
      if (res.status !== 403) bad.push(`${f.action} (form on ${f.page}): ${res.status}`);
    }
    expect(bad).toEqual([]);
    expect(changedTables(before, await digestTables(t.suite.kernel.db, VOLATILE))).toEqual([]);
    expect((await owner.get('/admin')).html).toContain('owner@example.com'); // the log-out form, refused, did not log out
  });
});

describe('admin crawl: a reseller user of acme', () => {
  let reseller: PanelClient;
  let pages: Crawled[];

  beforeAll(async () => {
    reseller = await new PanelClient(t.baseUrl).login('reseller@example.com');
    pages = await crawl(reseller);
  }, 300000);

  it('every crawled page answers 200 and none links to or shows another brand (globex, bx)', () => {
    expect(pages.map((p) => p.url)).toContain('/admin/brands/acme/modules');
    const bad: string[] = [];
    for (const { url, answer } of pages) {
      if (answer.status !== 200) bad.push(`${url}: status ${answer.status}`);
      if (/globex/i.test(answer.html)) bad.push(`${url}: shows globex`);
      if (answer.html.includes(BOLD_ESCAPED) || answer.html.includes('/admin/brands/bx')) bad.push(`${url}: shows the brand bx`);
      for (const l of links(answer.html, url, t.baseUrl)) {
        const slug = /^\/admin\/brands\/([^/?]+)/.exec(l)?.[1];
        if (slug && !['acme', 'acme-resale'].includes(decodeURIComponent(slug))) bad.push(`${url}: links to ${l}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('each acme page with globex swapped in is 403, audited as admin.brand.forbidden naming globex', async () => {
    const acme = pages.map((p) => p.url).filter((u) => u.startsWith('/admin/brands/acme/'));
    expect(acme.length).toBeGreaterThan(0);
    const bad: string[] = [];
    for (const url of acme) {
      const swapped = url.replace('/admin/brands/acme/', '/admin/brands/globex/');
      const before = await auditCount('admin.brand.forbidden');
      const res = await reseller.get(swapped);
      if (res.status !== 403) bad.push(`${swapped}: ${res.status}`);
      if (/globex hosting|person@globex/i.test(res.html)) bad.push(`${swapped}: shows globex's data`);
      const [entry] = await t.suite.kernel.audit.list({ action: 'admin.brand.forbidden', limit: 1 });
      if ((await auditCount('admin.brand.forbidden')) !== before + 1 || entry.target_id !== 'globex') bad.push(`${swapped}: not audited`);
    }
    expect(bad).toEqual([]);
  });
});

describe('admin crawl: an auditor', () => {
  let auditor: PanelClient;
  let pages: Crawled[];

  beforeAll(async () => {
    auditor = await new PanelClient(t.baseUrl).login('auditor@example.com');
    pages = await crawl(auditor);
  }, 300000);

  const allowed = (action: string): boolean => action === '/admin/logout' || (/\/verify$/.test(action.split('?')[0]) && /chain|ledger|audit/.test(action));

  it('sees every page answer 200 and no POST form but log-out (and a chain verification)', () => {
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.filter((p) => p.answer.status !== 200).map((p) => `${p.url}: ${p.answer.status}`)).toEqual([]);
    expect(formsOf(pages).filter((f) => !allowed(f.action)).map((f) => `${f.page} → ${f.action}`)).toEqual([]);
    expect(formsOf(pages).map((f) => f.action)).toContain('/admin/logout');
  });

  it('every form the owner could post answers 403 for the auditor, with a valid CSRF token, and writes nothing', async () => {
    const forms = [...new Map(formsOf(ownerPages).filter((f) => !allowed(f.action)).map((f) => [f.action, f])).values()];
    expect(forms.length).toBeGreaterThan(0);
    const csrf = await auditor.csrf('/admin');
    const before = await digestTables(t.suite.kernel.db, VOLATILE);
    const bad: string[] = [];
    for (const f of forms) {
      const res = await auditor.post(f.action, { ...f.fields, _csrf: csrf });
      if (res.status !== 403) bad.push(`${f.action} (form on ${f.page}): ${res.status}`);
    }
    expect(bad).toEqual([]);
    expect(changedTables(before, await digestTables(t.suite.kernel.db, VOLATILE))).toEqual([]);
  });
});
