/** Issue 14: the admin panel's modules and bindings page switches a hook per brand over plain forms (CSRF, roles, reseller 403 audited). */
import { createBrand, postHook, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { AdminUsers } from '../../core/users/admin-users';

const PASSWORD = 'correct horse battery staple';
const BINDING = 'client-add-record-subject';
type Answer = { status: number; html: string; location: string | null };

/** A browser with a cookie jar that follows no redirects. */
class Browser {
  private readonly jar = new Map<string, string>();

  constructor(private readonly base: string, private readonly headers: Record<string, string> = {}) {}

  private async send(p: string, init: RequestInit): Promise<Answer> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.base}${p}`, { ...init, redirect: 'manual', headers: { ...this.headers, ...(init.headers as Record<string, string>), cookie } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      if (pair.slice(eq + 1) === '') this.jar.delete(pair.slice(0, eq));
      else this.jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return { status: res.status, html: await res.text(), location: res.headers.get('location') };
  }

  get(p: string): Promise<Answer> {
    return this.send(p, { method: 'GET' });
  }

  post(p: string, fields: Record<string, string>): Promise<Answer> {
    return this.send(p, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: new URLSearchParams(fields).toString() });
  }

  async csrf(p = '/admin'): Promise<string> {
    const m = /name="_csrf" value="([^"]+)"/.exec((await this.get(p)).html);
    if (!m) throw new Error(`no CSRF field on ${p}`);
    return m[1];
  }

  async login(email: string): Promise<this> {
    const res = await this.post('/admin/login', { _csrf: await this.csrf(), email, password: PASSWORD });
    if (res.status !== 303) throw new Error(`log-in of ${email} answered ${res.status}`);
    return this;
  }
}

let t: TestSuite;
let acmeSecret: string;
let globexSecret: string;
let clientId = 100;

beforeAll(async () => {
  t = await startTestSuite();
  acmeSecret = await createBrand(t.suite, 'acme');
  globexSecret = await createBrand(t.suite, 'globex');
  await createBrand(t.suite, 'acme-resale', { parent: 'acme', profile: { controller: { name: 'Resale BV', email: 'dpo@resale.example', country: 'NL' } } });
  await t.suite.kernel.brands.create({ slug: 'xss', name: '<script>alert(1)</script>', profile: { controller: { name: 'X Ltd', email: 'dpo@x.example', country: 'GB' } } }, { type: 'cli', id: 'test' });
  const users = new AdminUsers(t.suite.kernel);
  const actor = { type: 'cli', id: 'test' } as const;
  await users.create({ email: 'owner@example.com', password: PASSWORD, role: 'owner' }, actor);
  await users.create({ email: 'auditor@example.com', password: PASSWORD, role: 'auditor' }, actor);
  await users.create({ email: 'reseller@example.com', password: PASSWORD, role: 'reseller', brand: 'acme-resale' }, actor);
});
afterAll(() => t.close());

/** Sends a signed ClientAdd for a brand and returns how many subjects that brand holds afterwards. */
async function clientAdd(brand: string, secret: string): Promise<number> {
  clientId += 1;
  const res = await postHook(t.baseUrl, 'ClientAdd', secret, { brand, vars: { client_id: clientId, firstname: 'Ada', lastname: 'Lovelace', email: `ada${clientId}@example.org`, country: 'GB' } });
  expect(res.status).toBe(200);
  const b = await t.suite.kernel.brands.get(brand);
  return Number(((await t.suite.kernel.db('subjects').where({ brand_id: b.id }).count({ n: '*' }).first()) as { n: number | string }).n);
}

async function toggleAudits(): Promise<number> {
  return (await t.suite.kernel.audit.list({ action: 'binding.toggle', limit: 1000 })).length;
}

/** The state a row shows on the page (`on`/`off`). */
function rowState(html: string, attr: 'binding' | 'module', id: string): string | undefined {
  return new RegExp(`data-${attr}="${id}"[\\s\\S]*?data-state="(on|off)"`).exec(html)?.[1];
}

describe('admin panel: modules and hook bindings per brand', () => {
  it('without a session the page sends the browser to the log-in page and a switch is 401', async () => {
    const b = new Browser(t.baseUrl);
    const page = await b.get('/admin/brands/acme/modules');
    expect(page.status).toBe(303);
    expect(page.location).toBe('/admin');
    expect((await b.post(`/admin/brands/acme/bindings/${BINDING}`, { _csrf: await b.csrf(), enabled: 'off' })).status).toBe(401);
  });

  it('an owner switches a binding off by the form: 303 back with a flash, audited; the next hook call for that brand skips it, the other brand is unaffected', async () => {
    const b = await new Browser(t.baseUrl).login('owner@example.com');
    const dash = await b.get('/admin');
    expect(dash.html).toContain('href="/admin/brands/acme/modules"');
    expect(dash.html).toContain('href="/admin/brands/globex/modules"');
    const page = await b.get('/admin/brands/acme/modules');
    expect(page.status).toBe(200);
    expect(rowState(page.html, 'binding', BINDING)).toBe('on');
    expect(page.html).toContain(`action="/admin/brands/acme/bindings/${BINDING}"`);
    expect(page.html).toContain('ClientAdd');
    expect(await clientAdd('acme', acmeSecret)).toBe(1);

    const before = await toggleAudits();
    const res = await b.post(`/admin/brands/acme/bindings/${BINDING}`, { _csrf: await b.csrf('/admin/brands/acme/modules'), enabled: 'off' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/admin/brands/acme/modules?flash=binding-off&item=${BINDING}`);
    const after = await b.get(res.location!);
    expect(after.html).toContain(`Hook binding ${BINDING} is now off for this brand.`);
    expect(rowState(after.html, 'binding', BINDING)).toBe('off');
    expect(await toggleAudits()).toBe(before + 1);
    const entry = (await t.suite.kernel.audit.list({ action: 'binding.toggle', limit: 1 }))[0];
    expect(entry.actor).toMatch(/^user:\d+$/);

    expect(await clientAdd('acme', acmeSecret)).toBe(1); // the action no longer runs for acme
    expect(await clientAdd('globex', globexSecret)).toBe(1); // and still runs for globex
    expect(rowState((await b.get('/admin/brands/globex/modules')).html, 'binding', BINDING)).toBe('on');

    // Back on: the flash is in the reader's language.
    const de = new Browser(t.baseUrl, { 'accept-language': 'de' });
    await de.login('owner@example.com');
    const on = await de.post(`/admin/brands/acme/bindings/${BINDING}`, { _csrf: await de.csrf('/admin/brands/acme/modules'), enabled: 'on' });
    expect((await de.get(on.location!)).html).toContain(`Die Hook-Bindung ${BINDING} ist für diese Marke jetzt an.`);
    expect(await clientAdd('acme', acmeSecret)).toBe(2);
  });

  it('a module switch works the same way', async () => {
    const b = await new Browser(t.baseUrl).login('owner@example.com');
    const res = await b.post('/admin/brands/globex/modules/inventory', { _csrf: await b.csrf('/admin/brands/globex/modules'), enabled: 'off' });
    expect(res.status).toBe(303);
    const page = await b.get(res.location!);
    expect(page.html).toContain('Module inventory is now off for this brand.');
    expect(rowState(page.html, 'module', 'inventory')).toBe('off');
    expect(page.html).toContain('Module inventory is off, so this binding does not run.');
    expect(await clientAdd('globex', globexSecret)).toBe(1);
    await b.post('/admin/brands/globex/modules/inventory', { _csrf: await b.csrf('/admin/brands/globex/modules'), enabled: 'on' });
    expect(await clientAdd('globex', globexSecret)).toBe(2);
  });

  it('a post without the CSRF token (or with a wrong one) is 403 and writes nothing', async () => {
    const b = await new Browser(t.baseUrl).login('owner@example.com');
    const before = await toggleAudits();
    expect((await b.post(`/admin/brands/acme/bindings/${BINDING}`, { enabled: 'off' })).status).toBe(403);
    expect((await b.post(`/admin/brands/acme/bindings/${BINDING}`, { _csrf: 'x'.repeat(64), enabled: 'off' })).status).toBe(403);
    expect(await toggleAudits()).toBe(before);
    expect(rowState((await b.get('/admin/brands/acme/modules')).html, 'binding', BINDING)).toBe('on');
  });

  it('an unknown binding is 404, a state other than on/off is 400, and a flash names only an item of the page', async () => {
    const b = await new Browser(t.baseUrl).login('owner@example.com');
    const token = await b.csrf('/admin/brands/acme/modules');
    const before = await toggleAudits();
    expect((await b.post('/admin/brands/acme/bindings/no-such-binding', { _csrf: token, enabled: 'off' })).status).toBe(404);
    expect((await b.post(`/admin/brands/acme/bindings/${BINDING}`, { _csrf: token, enabled: 'maybe' })).status).toBe(400);
    expect(await toggleAudits()).toBe(before);
    const crafted = await b.get('/admin/brands/acme/modules?flash=binding-off&item=Your%20account%20is%20closed');
    expect(crafted.status).toBe(200);
    expect(crafted.html).not.toContain('Your account is closed');
    expect(crafted.html).not.toContain('role="status"');
  });

  it('a read-only role sees the states without forms; its post is 403 and writes nothing', async () => {
    const b = await new Browser(t.baseUrl).login('auditor@example.com');
    const page = await b.get('/admin/brands/acme/modules');
    expect(page.status).toBe(200);
    expect(rowState(page.html, 'binding', BINDING)).toBe('on');
    expect(page.html).not.toContain('action="/admin/brands/acme/bindings/');
    expect(page.html).toContain('Your role may only read');
    const before = await toggleAudits();
    const res = await b.post(`/admin/brands/acme/bindings/${BINDING}`, { _csrf: await b.csrf('/admin/brands/acme/modules'), enabled: 'off' });
    expect(res.status).toBe(403);
    expect(res.html).toContain('Your role may only read');
    expect(await toggleAudits()).toBe(before);
    expect(await clientAdd('acme', acmeSecret)).toBe(3);
  });

  it('a reseller sees only its brands; another brand\'s page (GET or POST) is 403 and audited, nothing written', async () => {
    const b = await new Browser(t.baseUrl).login('reseller@example.com');
    const dash = await b.get('/admin');
    expect(dash.html).toContain('href="/admin/brands/acme-resale/modules"');
    expect(dash.html).not.toContain('href="/admin/brands/globex/modules"');
    expect((await b.get('/admin/brands/acme-resale/modules')).status).toBe(200);
    const token = await b.csrf('/admin/brands/acme-resale/modules');
    const get = await b.get('/admin/brands/globex/modules');
    expect(get.status).toBe(403);
    expect(get.html).toContain('may not open this brand');
    expect(get.html).not.toContain(BINDING);
    expect(get.html).not.toContain('href="/admin/brands/globex/'); // the refusal shows no section of the other brand
    expect(get.html).toContain('href="/admin/brands"');
    const before = await toggleAudits();
    expect((await b.post(`/admin/brands/globex/bindings/${BINDING}`, { _csrf: token, enabled: 'off' })).status).toBe(403);
    expect(await toggleAudits()).toBe(before);
    const globex = await t.suite.kernel.brands.get('globex');
    const refused = await t.suite.kernel.audit.list({ action: 'admin.brand.forbidden', limit: 10 });
    expect(refused).toHaveLength(2);
    expect(refused.map((e) => e.brand_id)).toEqual([globex.id, globex.id]);
    expect(refused[0]).toMatchObject({ actor: expect.stringMatching(/^user:\d+$/), target_type: 'brand', target_id: 'globex' });
    expect(refused.map((e) => (e.details as { method: string }).method).sort()).toEqual(['GET', 'POST']);
  });

  it('escapes a brand name; Arabic lays out right to left; an unknown brand is 404', async () => {
    const b = await new Browser(t.baseUrl).login('owner@example.com');
    const page = await b.get('/admin/brands/xss/modules');
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('<script>alert(1)</script>');
    expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect((await b.get('/admin')).html).not.toContain('<script>alert(1)</script>');
    const ar = await b.get('/admin/brands/acme/modules?lang=ar');
    expect(ar.html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(ar.html).toContain('الوحدات والخطافات');
    expect((await b.get('/admin/brands/nope/modules')).status).toBe(404);
  });
});
