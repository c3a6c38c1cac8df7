/** Admin API: keys scoped to a role and brand, reseller isolation, audited toggles and personal-data reads. */
import { startTestSuite, createBrand, postHook, type TestSuite } from '../helpers/test-suite';

let t: TestSuite;
let owner: string;
let reseller: string;
let auditor: string;
let acmeSecret: string;
const actor = { type: 'cli' as const, id: 'test' };

async function api(method: string, path: string, key: string | null, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${t.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  t = await startTestSuite();
  acmeSecret = await createBrand(t.suite, 'acme');
  await createBrand(t.suite, 'acme-resale', { parent: 'acme', profile: { controller: { name: 'Resale BV', email: 'dpo@resale.example' } } });
  await createBrand(t.suite, 'globex');
  owner = (await t.suite.apiKeys.create({ role: 'owner' }, actor)).key;
  reseller = (await t.suite.apiKeys.create({ role: 'reseller', brand: 'acme-resale' }, actor)).key;
  auditor = (await t.suite.apiKeys.create({ role: 'auditor' }, actor)).key;
});
afterAll(() => t.close());

describe('admin API', () => {
  it('MS-10 / WSM-23: refuses requests without a key or with a wrong key, and audits the failed attempt', async () => {
    expect((await api('GET', '/api/v1/admin/modules', null)).status).toBe(401);
    const bad = await api('GET', '/api/v1/admin/modules', 'psk_000000000000_nope');
    expect(bad.status).toBe(401);
    expect(bad.body.code).toBe('SUITE_AUTH_INVALID');
    const audit = await t.suite.kernel.audit.list({ action: 'auth.failed' });
    expect(audit.length).toBeGreaterThan(0);
  });

  it('the first start issues an owner key once and never again', async () => {
    // Keys already exist in this database, so bootstrap must not issue another.
    expect(await t.suite.bootstrapOwnerKey()).toBeNull();
  });

  it('lists modules and load failures', async () => {
    const r = await api('GET', '/api/v1/admin/modules?brand=acme', owner);
    expect(r.status).toBe(200);
    expect((r.body.modules as { name: string; enabled: boolean }[]).find((m) => m.name === 'inventory')?.enabled).toBe(true);
    expect(r.body.failures).toEqual([]);
  });

  it('toggles a binding per brand through the API, audited with the key as actor', async () => {
    const r = await api('PUT', '/api/v1/admin/brands/acme/bindings/client-add-record-subject', owner, { enabled: false });
    expect(r.status).toBe(200);
    const list = await api('GET', '/api/v1/admin/brands/acme/bindings', owner);
    expect((list.body.bindings as { id: string; enabled: boolean }[]).find((b) => b.id === 'client-add-record-subject')?.enabled).toBe(false);
    const hook = await postHook(t.baseUrl, 'ClientAdd', acmeSecret, { brand: 'acme', vars: { client_id: 5, email: 'c5@example.org' } });
    expect(hook.status).toBe(200);
    expect(await t.suite.kernel.subjects.findByExternal((await t.suite.kernel.brands.get('acme')).id, 'client', 5)).toBeUndefined();
    const audit = await api('GET', '/api/v1/admin/audit?action=binding.toggle', owner);
    const entry = (audit.body.entries as { actor: string; target_id: string }[])[0];
    expect(entry.target_id).toBe('client-add-record-subject');
    expect(entry.actor).toMatch(/^apikey:/);
    await api('PUT', '/api/v1/admin/brands/acme/bindings/client-add-record-subject', owner, { enabled: true });
  });

  it('a bad toggle body is refused with 400 naming the field', async () => {
    const r = await api('PUT', '/api/v1/admin/brands/acme/bindings/client-add-record-subject', owner, { enabled: 'yes' });
    expect(r.status).toBe(400);
    expect((r.body.fields as { field: string }[])[0].field).toBe('enabled');
  });

  it('a reseller key sees only its own brand and cannot read or change another brand', async () => {
    const brands = await api('GET', '/api/v1/admin/brands', reseller);
    expect((brands.body.brands as { slug: string }[]).map((b) => b.slug)).toEqual(['acme-resale']);
    expect((await api('GET', '/api/v1/admin/brands/globex/bindings', reseller)).status).toBe(403);
    expect((await api('GET', '/api/v1/admin/brands/acme/profile', reseller)).status).toBe(403);
    expect((await api('PUT', '/api/v1/admin/brands/globex/modules/inventory', reseller, { enabled: false })).status).toBe(403);
    expect((await api('GET', '/api/v1/admin/brands/acme-resale/profile', reseller)).status).toBe(200);
    const audit = await api('GET', '/api/v1/admin/audit', reseller);
    const acmeId = (await t.suite.kernel.brands.get('acme')).id;
    expect((audit.body.entries as { brand_id: number }[]).every((e) => e.brand_id !== acmeId)).toBe(true);
  });

  it('a reseller key cannot read a subject of another brand; an owner read is audited', async () => {
    await postHook(t.baseUrl, 'ClientAdd', acmeSecret, { brand: 'acme', vars: { client_id: 9, email: 'c9@example.org', firstname: 'Nine' } });
    const s = await t.suite.kernel.subjects.findByExternal((await t.suite.kernel.brands.get('acme')).id, 'client', 9);
    expect((await api('GET', `/api/v1/admin/subjects/${s!.id}`, reseller)).status).toBe(403);
    const r = await api('GET', `/api/v1/admin/subjects/${s!.id}`, owner);
    expect(r.status).toBe(200);
    expect((r.body.fields as { name: string; value: string }[]).find((f) => f.name === 'firstname')?.value).toBe('Nine');
    const reads = await t.suite.kernel.audit.list({ action: 'subject.read' });
    expect(reads[0].target_id).toBe(String(s!.id));
    expect(JSON.stringify(reads[0])).not.toContain('Nine');
  });

  it('an auditor key may read but not change anything', async () => {
    expect((await api('GET', '/api/v1/admin/audit', auditor)).status).toBe(200);
    const r = await api('PUT', '/api/v1/admin/brands/acme/modules/inventory', auditor, { enabled: false });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('SUITE_ROLE_FORBIDDEN');
  });
});
