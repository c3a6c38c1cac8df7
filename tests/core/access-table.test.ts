/**
 * MS-1.2 / ESM-3: the profile's access table decides which key roles read which data categories through the admin
 * API, the owner included; what a role is not granted is withheld and named, and every read is audited with the
 * categories shown and withheld. Mail content (mailing lists, mail streams) is a category of its own that only
 * spam control reads by default.
 */
import type { Role } from '../../core/apikeys/roles';
import { runJson } from '../helpers/run-cli';
import { createBrand, postHook, PROVIDER_PROFILE, startTestSuite, type TestSuite } from '../helpers/test-suite';

let t: TestSuite;
const keys = {} as Record<Role, string>;
const actor = { type: 'cli' as const, id: 'test' };
const ALL = ['billing', 'contact', 'correspondence', 'identity-document', 'mail-content', 'payment-token', 'registration', 'usage'];
/** Custom field ids mapped to the categories no ClientAdd variable carries. */
const CUSTOM = { 21: 'mail-content', 22: 'identity-document', 23: 'billing', 24: 'registration', 25: 'payment-token' };

async function api(path: string, key: string, method = 'GET', body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${t.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Signs up a client with a field in every category; returns its subject id. */
async function subjectInEveryCategory(brand: string, secret: string, id: number): Promise<number> {
  const res = await postHook(t.baseUrl, 'ClientAdd', secret, {
    brand, context: { ip: '203.0.113.5', userAgent: 'Mozilla/5.0 test' },
    vars: { client_id: id, firstname: 'Grace', email: `grace${id}@example.org`, notes: 'called about invoice',
      customFields: { 21: 'list: newsletter-subscribers (4,210 addresses)', 22: 'passport X1234567', 23: 'VAT GB123', 24: 'grace.example', 25: 'tok_visa_4242' } },
  });
  expect(res.status).toBe(200);
  return (await t.suite.kernel.subjects.findByExternal((await t.suite.kernel.brands.get(brand)).id, 'client', id))!.id;
}

const categories = (fields: unknown) => [...new Set((fields as { category: string }[]).map((f) => f.category))].sort();

let subject: number;
let hostSecret: string;

beforeAll(async () => {
  t = await startTestSuite();
  hostSecret = await createBrand(t.suite, 'mailhost', { profile: { ...PROVIDER_PROFILE, inventory: { customFields: CUSTOM } } });
  await createBrand(t.suite, 'mailhost-shop', { parent: 'mailhost', profile: { controller: { name: 'Shop', email: 'dpo@shop.example' } } });
  for (const role of ['owner', 'admin', 'auditor', 'support', 'spam-control'] as Role[]) keys[role] = (await t.suite.apiKeys.create({ role }, actor)).key;
  keys.reseller = (await t.suite.apiKeys.create({ role: 'reseller', brand: 'mailhost' }, actor)).key;
  subject = await subjectInEveryCategory('mailhost', hostSecret, 1);
});
afterAll(() => t.close());

/** What the built-in access table grants each role (README, "Admin API"). */
const GRANTED: Record<Role, string[]> = {
  owner: ['billing', 'contact', 'correspondence', 'identity-document', 'payment-token', 'registration', 'usage'],
  admin: ['billing', 'contact', 'correspondence', 'identity-document', 'payment-token', 'registration', 'usage'],
  reseller: ['billing', 'contact', 'correspondence', 'registration', 'usage'],
  auditor: [],
  support: ['contact', 'correspondence', 'registration'],
  'spam-control': ['contact', 'mail-content', 'usage'],
};

describe('MS-1.2: the access table decides per role (GET /api/v1/admin/subjects/:id)', () => {
  it('the subject holds a field in every category', async () => {
    expect(await t.suite.kernel.subjects.categoriesOf(subject)).toEqual(ALL);
  });

  it.each(Object.keys(GRANTED) as Role[])('MS-1.2 / ESM-3: a %s key sees exactly the categories the table grants, the others withheld and named, the read audited', async (role) => {
    const r = await api(`/api/v1/admin/subjects/${subject}`, keys[role]);
    expect(r.status).toBe(200);
    expect(categories(r.body.fields)).toEqual(GRANTED[role]);
    expect(r.body.withheld).toEqual(ALL.filter((c) => !GRANTED[role].includes(c)));
    const [entry] = await t.suite.kernel.audit.list({ action: 'subject.read', limit: 1 });
    expect(entry).toMatchObject({ target_id: String(subject), details: { role, categories: GRANTED[role], withheld: r.body.withheld } });
    expect(JSON.stringify(entry)).not.toMatch(/Grace|passport|newsletter|tok_visa/);
  });

  it('MS-1.2: a profile that changes a category changes who reads it, for the owner too', async () => {
    const secret = await createBrand(t.suite, 'strict-host', { profile: { ...PROVIDER_PROFILE, inventory: { customFields: CUSTOM }, access: { billing: ['support'], contact: ['owner', 'support'] } } });
    const id = await subjectInEveryCategory('strict-host', secret, 2);
    const owner = await api(`/api/v1/admin/subjects/${id}`, keys.owner);
    expect(categories(owner.body.fields)).toEqual(['contact', 'correspondence', 'identity-document', 'payment-token', 'registration', 'usage']);
    expect(owner.body.withheld).toEqual(['billing', 'mail-content']);
    expect(categories((await api(`/api/v1/admin/subjects/${id}`, keys.support)).body.fields)).toEqual(['billing', 'contact', 'correspondence', 'registration']);
    expect(categories((await api(`/api/v1/admin/subjects/${id}`, keys.admin)).body.fields)).not.toContain('contact');
  });

  it('MS-1.2 / ESM-3: a brand-scoped key cannot change who reads a category (a reseller cannot grant itself mail content)', async () => {
    const r = await api('/api/v1/admin/brands/mailhost/profile', keys.reseller, 'PUT', { ...PROVIDER_PROFILE, inventory: { customFields: CUSTOM }, access: { 'mail-content': ['spam-control', 'reseller'] } });
    expect(r.status).toBe(400);
    expect(r.body.fields).toEqual([{ field: 'access.mail-content', message: expect.stringContaining('owner or admin') }]);
    expect((await api(`/api/v1/admin/subjects/${subject}`, keys.reseller)).body.withheld).toContain('mail-content');
    // Naming a category with its current readers changes nothing and is accepted.
    const same = await api('/api/v1/admin/brands/mailhost/profile', keys.reseller, 'PUT', { ...PROVIDER_PROFILE, inventory: { customFields: CUSTOM }, access: { 'mail-content': ['spam-control'] } });
    expect(same.status).toBe(200);
    await api('/api/v1/admin/brands/mailhost/profile', keys.owner, 'PUT', { ...PROVIDER_PROFILE, inventory: { customFields: CUSTOM } });
  });

  it('MS-1.2: an access table naming an unknown role or category is refused', async () => {
    const bad = await api('/api/v1/admin/brands/mailhost/profile', keys.owner, 'PUT', { access: { contact: ['janitor'] } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.fields)).toContain('access.contact.0');
    expect((await api('/api/v1/admin/brands/mailhost/profile', keys.owner, 'PUT', { access: { 'mail-contents': ['owner'] } })).status).toBe(400);
  });
});

describe('ESM-3: mail content is seen only by spam control', () => {
  it('ESM-3: by default the owner does not see mail content; the withheld list names it', async () => {
    const r = await api(`/api/v1/admin/subjects/${subject}`, keys.owner);
    expect((r.body.fields as { category: string }[]).some((f) => f.category === 'mail-content')).toBe(false);
    expect(r.body.withheld).toContain('mail-content');
  });

  it('ESM-3: a spam-control key reads the mail content, and the audit entry names the category', async () => {
    const r = await api(`/api/v1/admin/subjects/${subject}`, keys['spam-control']);
    expect((r.body.fields as { name: string; category: string; value: string }[]).find((f) => f.category === 'mail-content')).toMatchObject({ name: 'custom_21', value: expect.stringContaining('newsletter') });
    const [entry] = await t.suite.kernel.audit.list({ action: 'subject.read', limit: 1 });
    expect((entry.details as { categories: string[] }).categories).toContain('mail-content');
    expect(entry.actor).toMatch(/^apikey:/);
  });

  it('ESM-3: the owner reads mail content only where the profile grants it, and that read is audited with the category', async () => {
    const put = await api('/api/v1/admin/brands/mailhost/profile', keys.owner, 'PUT', { ...PROVIDER_PROFILE, inventory: { customFields: CUSTOM }, access: { 'mail-content': ['spam-control', 'owner'] } });
    expect(put.status).toBe(200);
    const r = await api(`/api/v1/admin/subjects/${subject}`, keys.owner);
    expect(categories(r.body.fields)).toContain('mail-content');
    const [entry] = await t.suite.kernel.audit.list({ action: 'subject.read', limit: 1 });
    expect((entry.details as { categories: string[] }).categories).toContain('mail-content');
    // The other categories keep the built-in lists: support still reads no mail content.
    expect((await api(`/api/v1/admin/subjects/${subject}`, keys.support)).body.withheld).toContain('mail-content');
    await api('/api/v1/admin/brands/mailhost/profile', keys.owner, 'PUT', { ...PROVIDER_PROFILE, inventory: { customFields: CUSTOM } });
  });

  it('ESM-3: support and spam-control keys read only; they cannot change a profile or a switch', async () => {
    for (const role of ['support', 'spam-control'] as Role[]) {
      const r = await api('/api/v1/admin/brands/mailhost/modules/inventory', keys[role], 'PUT', { enabled: false });
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('SUITE_ROLE_FORBIDDEN');
    }
  });

  it('ESM-3: a brand-scoped spam-control key reads the mail content of its brand only', async () => {
    const scoped = (await t.suite.apiKeys.create({ role: 'spam-control', brand: 'mailhost-shop' }, actor)).key;
    expect((await api(`/api/v1/admin/subjects/${subject}`, scoped)).status).toBe(403);
  });

  it('ESM-3: `privacy-suite apikey create` accepts the roles support and spam-control', async () => {
    for (const role of ['support', 'spam-control']) {
      const out = await runJson<{ role: string; key: string }>(t.db, ['apikey', 'create', '--role', role]);
      expect(out.role).toBe(role);
      expect((await api(`/api/v1/admin/subjects/${subject}`, out.key)).status).toBe(200);
    }
  });
});
