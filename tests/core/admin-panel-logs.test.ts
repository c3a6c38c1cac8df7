/**
 * Issue 14: the admin panel's audit log, outbox (dead letters with retry), unusual-access alerts (MS-10) and hook
 * failures pages: filters, paging, reseller scoping as in the admin API, CSRF and roles on the retry form, escaping.
 */
import { INSTALLED_MODULES } from '../../modules/installed';
import { DEFAULT_BINDINGS } from '../../hooks/bindings';
import { probeBindings, probeModule } from '../helpers/test-modules';
import { createPanelUser, PanelClient } from '../helpers/admin-browser';
import { createBrand, postHook, startTestSuite, type TestSuite } from '../helpers/test-suite';

const CONFIG = { unusualAccessThreshold: 3, unusualAccessWindowSeconds: 600, trustProxy: true, outboxMaxAttempts: 1, outboxBaseDelayMs: 5 };
const XSS = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';
let t: TestSuite;
const secrets: Record<string, string> = {};
const ids: Record<string, number> = {};
let clientId = 500;

beforeAll(async () => {
  t = await startTestSuite({
    config: CONFIG, modules: [...INSTALLED_MODULES, probeModule],
    bindings: [...DEFAULT_BINDINGS, ...probeBindings.filter((b) => b.id === 'probe-after-boom')],
  });
  for (const slug of ['acme', 'globex']) {
    secrets[slug] = await createBrand(t.suite, slug);
    ids[slug] = (await t.suite.kernel.brands.get(slug)).id;
  }
  await t.suite.kernel.brands.create({ slug: 'xss', name: XSS, profile: { controller: { name: 'X Ltd', email: 'dpo@x.example', country: 'GB' } } }, { type: 'cli', id: 'test' });
  await createPanelUser(t.suite.kernel, 'owner@example.com', 'owner');
  await createPanelUser(t.suite.kernel, 'auditor@example.com', 'auditor');
  await createPanelUser(t.suite.kernel, 'acme-reseller@example.com', 'reseller', 'acme');
});
afterAll(() => t.close());

const login = (email: string) => new PanelClient(t.baseUrl).login(email);

/** A message that dead-letters through the real worker (no deliverer for its topic, one attempt). */
async function deadLetter(brand: string): Promise<number> {
  const b = await t.suite.kernel.brands.get(brand);
  const profile = await t.suite.kernel.brands.profile(b);
  const { id } = await t.suite.kernel.db.transaction((trx) => t.suite.kernel.outbox.enqueue(trx, profile, {
    brandId: b.id, topic: 'test.nowhere', recipient: 'email', purpose: 'service', payload: { email: 'payload-secret@example.org' },
  }));
  await t.suite.worker.drain();
  return id;
}
const stateOf = async (id: number) => ((await t.suite.kernel.db('outbox').where({ id }).first('state')) as { state: string }).state;
const retryAudits = async (id: number) => (await t.suite.kernel.audit.list({ action: 'outbox.retry', limit: 1000 })).filter((e) => e.target_id === String(id));
const rows = (html: string, attr: string) => [...html.matchAll(new RegExp(`data-${attr}="(\\d+)"`, 'g'))].map((m) => Number(m[1]));

describe('admin panel: audit log page', () => {
  it('without a session the page sends the browser to the log-in page', async () => {
    const res = await new PanelClient(t.baseUrl).get('/admin/audit');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/admin');
  });

  it('lists entries newest first with details as escaped text; filters by action, brand, actor, target and date', async () => {
    await t.suite.kernel.audit.record({ brandId: ids.acme, actor: { type: 'cli', id: 'ops' }, action: 'test.note', targetType: 'thing', targetId: 'a1', details: { note: XSS, n: 2 } });
    await t.suite.kernel.audit.record({ brandId: ids.globex, actor: { type: 'system', id: 'job' }, action: 'test.note', targetType: 'thing', targetId: 'g1', details: { note: 'globex' } });
    const b = await login('owner@example.com');
    const all = await b.get('/admin/audit');
    expect(all.status).toBe(200);
    expect(all.html).toContain('test.note');
    expect(all.html).toContain(ESCAPED);
    expect(all.html).not.toContain(XSS);
    expect(all.html).toContain('<option value="xss">'); // the brand filter lists the brand, its name escaped
    const acme = await b.get('/admin/audit?action=test.note&brand=acme');
    expect(acme.html).toContain('thing:a1');
    expect(acme.html).not.toContain('thing:g1');
    expect((await b.get('/admin/audit?actor=system&action=test.note')).html).toMatch(/thing:g1(?![\s\S]*thing:a1)/);
    expect((await b.get('/admin/audit?actor=cli:ops')).html).not.toContain('thing:g1');
    expect((await b.get('/admin/audit?target=thing:g1')).html).toContain('thing:g1');
    expect((await b.get('/admin/audit?target=thing:g1')).html).not.toContain('thing:a1');
    const today = new Date().toISOString().slice(0, 10);
    expect((await b.get(`/admin/audit?action=test.note&from=${today}&to=${today}`)).html).toContain('thing:a1');
    expect((await b.get('/admin/audit?action=test.note&to=2020-01-01')).html).not.toContain('thing:a1');
  });

  it('pages by sequence: the older link shows the next entries and none twice', async () => {
    const b = await login('owner@example.com');
    for (let i = 0; i < 30; i++) await t.suite.kernel.audit.record({ brandId: ids.acme, actor: { type: 'cli', id: 'pager' }, action: 'test.page', targetId: `p${i}` });
    const first = await b.get('/admin/audit?action=test.page&limit=25');
    const older = /href="(\/admin\/audit\?[^"]+)" rel="next"/.exec(first.html)?.[1].replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
    expect(older).toContain('before=');
    const second = await b.get(older!);
    const a = rows(first.html, 'seq');
    const c = rows(second.html, 'seq');
    expect(a).toHaveLength(25);
    expect(c).toHaveLength(5);
    expect(Math.min(...a)).toBeGreaterThan(Math.max(...c));
    expect(second.html).not.toContain('rel="next"');
  });

  it('bad filters name the field (400) and list nothing', async () => {
    const b = await login('owner@example.com');
    const res = await b.get('/admin/audit?from=yesterday&limit=7');
    expect(res.status).toBe(400);
    expect(res.html).toContain('<code>from</code>');
    expect(res.html).toContain('<code>limit</code>');
    expect(rows(res.html, 'seq')).toEqual([]);
  });

  it('a reseller sees only its brand\'s entries, and cannot filter on another brand', async () => {
    const b = await login('acme-reseller@example.com');
    const page = await b.get('/admin/audit?action=test.note');
    expect(page.html).toContain('thing:a1');
    expect(page.html).not.toContain('thing:g1');
    expect(page.html).not.toContain('<option value="globex"');
    const other = await b.get('/admin/audit?brand=globex');
    expect(other.status).toBe(400);
    expect(other.html).toContain('<code>brand</code>');
    expect(other.html).not.toContain('thing:g1');
  });
});

describe('admin panel: outbox page', () => {
  it('shows dead letters by default without payloads; an owner retries one by the form: pending, audited, 303 with a flash', async () => {
    const id = await deadLetter('acme');
    expect(await stateOf(id)).toBe('dead');
    const b = await login('owner@example.com');
    const page = await b.get('/admin/outbox');
    expect(page.status).toBe(200);
    expect(rows(page.html, 'message')).toContain(id);
    expect(page.html).toContain('test.nowhere');
    expect(page.html).toContain('no deliverer for topic …'); // quoted value masked
    expect(page.html).not.toContain('payload-secret');
    expect(page.html).toContain('href="/admin/hook-failures"');
    expect(page.html).toContain(`action="/admin/outbox/${id}/retry"`);

    const res = await b.submit('/admin/outbox', `/admin/outbox/${id}/retry`, {});
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/admin/outbox?flash=retried&item=${id}`);
    expect(await stateOf(id)).toBe('pending');
    const [entry] = await retryAudits(id);
    expect(entry).toMatchObject({ brand_id: ids.acme, actor: expect.stringMatching(/^user:\d+$/), target_type: 'outbox' });
    const after = await b.get(res.location!);
    expect(after.html).toContain(`Message ${id} is queued again`);
    expect(rows(after.html, 'message')).not.toContain(id);
    expect(rows((await b.get('/admin/outbox?state=pending')).html, 'message')).toContain(id);
  });

  it('an auditor sees dead letters without a retry button, and a retry POST is 403 with nothing changed', async () => {
    const id = await deadLetter('acme');
    const b = await login('auditor@example.com');
    const page = await b.get('/admin/outbox');
    expect(rows(page.html, 'message')).toContain(id);
    expect(page.html).not.toContain('/retry"');
    const res = await b.submit('/admin/outbox', `/admin/outbox/${id}/retry`, {});
    expect(res.status).toBe(403);
    expect(await stateOf(id)).toBe('dead');
    expect(await retryAudits(id)).toEqual([]);
  });

  it('a retry without the CSRF token is 403 with nothing changed', async () => {
    const id = await deadLetter('acme');
    const b = await login('owner@example.com');
    await b.get('/admin/outbox');
    const res = await b.post(`/admin/outbox/${id}/retry`, {});
    expect(res.status).toBe(403);
    expect(await stateOf(id)).toBe('dead');
    expect(await retryAudits(id)).toEqual([]);
  });

  it('a reseller does not see another brand\'s dead letters, and retrying one by id is 404 with nothing changed', async () => {
    const mine = await deadLetter('acme');
    const theirs = await deadLetter('globex');
    const b = await login('acme-reseller@example.com');
    const page = await b.get('/admin/outbox');
    expect(rows(page.html, 'message')).toContain(mine);
    expect(rows(page.html, 'message')).not.toContain(theirs);
    const res = await b.submit('/admin/outbox', `/admin/outbox/${theirs}/retry`, {});
    expect(res.status).toBe(404);
    expect(await stateOf(theirs)).toBe('dead');
    expect(await retryAudits(theirs)).toEqual([]);
    expect((await b.get('/admin/outbox?brand=globex')).status).toBe(400);
  });

  it('a bad id or state names the field', async () => {
    const b = await login('owner@example.com');
    expect((await b.get('/admin/outbox?state=lost')).html).toContain('<code>state</code>');
    const res = await b.submit('/admin/outbox', '/admin/outbox/0x1/retry', {});
    expect(res.status).toBe(400);
    expect(res.html).toContain('<code>id</code>');
  });
});

describe('admin panel: alerts and hook failures', () => {
  const badHook = (ip: string, brand: string) => postHook(t.baseUrl, 'ClientAdd', 'wrong-secret', { brand, vars: { client_id: 1 } }, { headers: { 'x-forwarded-for': ip } });

  it('MS-10: failed signatures past the threshold are listed as an alert with the IP, counts and brands; a reseller sees only its brands\' alerts', async () => {
    for (let i = 0; i < 3; i++) expect((await badHook('198.51.100.31', 'acme')).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await badHook('198.51.100.32', 'globex')).status).toBe(401);
    const owner = await (await login('owner@example.com')).get('/admin/alerts');
    expect(owner.status).toBe(200);
    expect(owner.html).toContain('198.51.100.31');
    expect(owner.html).toContain('198.51.100.32');
    expect(owner.html).toContain('3 (threshold 3)');
    expect(owner.html).toContain('<code>hook-signature</code>');
    const reseller = await (await login('acme-reseller@example.com')).get('/admin/alerts');
    expect(reseller.html).toContain('198.51.100.31');
    expect(reseller.html).not.toContain('198.51.100.32');
  });

  it('a failing after-hook is listed with hook, binding, brand and code; a reseller sees only its brand\'s', async () => {
    for (const brand of ['acme', 'globex']) {
      clientId += 1;
      const res = await postHook(t.baseUrl, 'ClientAdd', secrets[brand], { brand, vars: { client_id: clientId, email: `c${clientId}@example.org` } });
      expect(res.status).toBe(200);
    }
    const failures = (await t.suite.kernel.db('hook_failures').where({ binding: 'probe-after-boom' })) as { id: number; brand_id: number }[];
    const acme = failures.filter((f) => f.brand_id === ids.acme).map((f) => Number(f.id));
    const globex = failures.filter((f) => f.brand_id === ids.globex).map((f) => Number(f.id));
    expect(acme.length && globex.length).toBeTruthy();
    const owner = await (await login('owner@example.com')).get('/admin/hook-failures');
    expect(owner.html).toContain('<code>probe-after-boom</code>');
    expect(owner.html).toContain('<code>ClientAdd</code>');
    expect(rows(owner.html, 'failure')).toEqual(expect.arrayContaining([...acme, ...globex]));
    const reseller = await (await login('acme-reseller@example.com')).get('/admin/hook-failures');
    expect(rows(reseller.html, 'failure')).toEqual(expect.arrayContaining(acme));
    expect(rows(reseller.html, 'failure').some((id) => globex.includes(id))).toBe(false);
  });
});
