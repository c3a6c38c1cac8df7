/** Registrant routes: admin ID protection and consent to publish, the registrant's signed consent link, and the WHMCS IDProtectToggle endpoint. */
import { signHook } from '../../../core/http/signature';
import type { RegistrantService } from '../../../modules/registrant/registrant-service';
import { useRegistrar } from '../../../modules/registrant/transfer/registrar-lookup';
import type { RegistryContact } from '../../../modules/registrars/contract';
import { createBrand, postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { FakeRegistrar, postContacts, registrantBrand, REGISTRANT_SETTINGS, whmcsParams } from './fixtures';

const registrar = new FakeRegistrar();
let t: TestSuite;
let secret: string;
let brandId: number;
let ownerKey: string;
let otherKey: string;

const service = () => t.suite.kernel.service<RegistrantService>('registrant');
const admin = (p: string, method: string, body?: unknown, key = ownerKey, brand = 'route-shop') => fetch(`${t.baseUrl}/api/v1/admin/brands/${brand}/modules/registrant${p}`, {
  method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
}).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
const fieldsOf = (body: Record<string, unknown>) => (body.fields as { field: string }[]).map((f) => f.field);
async function auditOf(action: string): Promise<{ action: string; target_id: string; details: string }[]> {
  return (await t.suite.kernel.audit.list({ brandIds: [brandId] })).filter((a) => a.action === action) as unknown as { action: string; target_id: string; details: string }[];
}
async function postSigned(path: string, body: Record<string, unknown>, s = secret): Promise<{ status: number; body: Record<string, unknown> }> {
  const raw = JSON.stringify(body);
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${t.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-suite-timestamp': String(ts), 'x-suite-signature': signHook(s, ts, raw) }, body: raw });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  useRegistrar(() => registrar);
  t = await startTestSuite({ config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 3 } });
  secret = await registrantBrand(t.suite, 'route-shop');
  await createBrand(t.suite, 'other-shop');
  brandId = (await t.suite.kernel.brands.get('route-shop')).id;
  ownerKey = (await t.suite.apiKeys.create({ role: 'owner', label: 'test' }, { type: 'cli', id: 'test' })).key;
  otherKey = (await t.suite.apiKeys.create({ role: 'admin', brand: 'other-shop', label: 'other' }, { type: 'cli', id: 'test' })).key;
  await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'route-shop', vars: { client_id: 41, firstname: 'Ada', lastname: 'Lovelace', email: 'ada41@example.org', country: 'GB' } });
  for (const sld of ['toggle', 'consent', 'linked']) await postContacts(t.baseUrl, secret, { brand: 'route-shop', params: whmcsParams(41, sld, 'com') });
});
afterAll(async () => {
  useRegistrar();
  await t?.close();
});

describe('admin routes', () => {
  it('WSM-17: PUT /domains/:domain/id-protection switches ID protection for a domain, audited, queued for the registrar', async () => {
    const on = await admin('/domains/toggle.com/id-protection', 'PUT', { enabled: true });
    expect(on).toMatchObject({ status: 200, body: { ok: true, domain: 'toggle.com', idProtection: true, queued: true } });
    await t.suite.worker.drain();
    const call = registrar.calls.filter((c) => c.fn === 'idProtectToggle' && c.domain === 'toggle.com').at(-1)!;
    expect(call.enabled).toBe(true);
    expect(call.contacts!.registrant!.name).toBe(REGISTRANT_SETTINGS.privacyService.name);
    const row = await t.suite.kernel.db('registrant_domains').where({ brand_id: brandId, domain: 'toggle.com' }).first();
    expect(Boolean(Number(row.id_protection))).toBe(true);
    const audit = await auditOf('registrant.id-protection.set');
    expect(audit).toHaveLength(1);
    expect(String(audit[0].target_id)).toBe(String(row.id));

    const bad = await admin('/domains/toggle.com/id-protection', 'PUT', { enabled: 'yes' });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['enabled']);
    expect(fieldsOf((await admin('/domains/toggle.com/id-protection', 'PUT', {})).body)).toEqual(['enabled']);
    expect((await admin('/domains/unknown.com/id-protection', 'PUT', { enabled: true })).status).toBe(404);
    // Brand-scoped: a key of another brand cannot touch this one.
    expect((await admin('/domains/toggle.com/id-protection', 'PUT', { enabled: false }, otherKey)).status).toBe(403);
    expect(await auditOf('registrant.id-protection.set')).toHaveLength(1);
  });

  it('consent to publish: PUT /domains/:domain/publish records the registrant\'s consent (ledger, audited) and re-sends the contacts', async () => {
    const res = await admin('/domains/consent.com/publish', 'PUT', { fields: ['email', 'name'] });
    expect(res).toMatchObject({ status: 200, body: { ok: true, domain: 'consent.com', fields: ['name', 'email'], queued: true } });
    expect(await service().publishableFields(brandId, 'consent.com')).toEqual(['name', 'email']);
    const ledger = await t.suite.kernel.db('consent_ledger').where({ receipt_id: res.body.receiptId }).first();
    expect(ledger).toMatchObject({ purpose: 'registration-publish', action: 'given', method: 'admin-written', collection_point: 'admin' });
    await t.suite.worker.drain();
    const sent = registrar.calls.filter((c) => c.fn === 'saveContactDetails' && c.domain === 'consent.com').at(-1)!;
    expect(sent.contacts!.registrant!.disclose).toEqual({ name: true, addr: false, voice: false, fax: false, email: true });
    expect(await auditOf('registrant.publish-consent.recorded')).toHaveLength(1);

    const bad = await admin('/domains/consent.com/publish', 'PUT', { fields: ['fax'] });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['fields.0']);
    expect(fieldsOf((await admin('/domains/consent.com/publish', 'PUT', { fields: 'name' })).body)).toEqual(['fields']);
    expect((await admin('/domains/consent.com/publish', 'PUT', { fields: [] }, otherKey)).status).toBe(403);
    // Withdrawing (no fields) hides everything again.
    await admin('/domains/consent.com/publish', 'PUT', { fields: [] });
    expect(await service().publishableFields(brandId, 'consent.com')).toEqual([]);
    expect(await auditOf('registrant.publish-consent.recorded')).toHaveLength(2);
  });
});

describe('the registrant\'s signed consent link', () => {
  it('GET shows the fields with checkboxes in the registrant\'s language; POST records the choice or withdraws it; the token is the CSRF protection', async () => {
    const link = await admin('/domains/linked.com/publish-link', 'POST');
    expect(link.status).toBe(200);
    const url = new URL(String(link.body.url));
    expect(url.pathname).toBe('/b/route-shop/registrant/domains/linked.com/publish');
    const token = String(link.body.token);
    const pageUrl = `${t.baseUrl}${url.pathname}?token=${encodeURIComponent(token)}`;

    const page = await fetch(pageUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    for (const f of ['name', 'org', 'addr', 'voice', 'email']) expect(html).toContain(`type="checkbox" name="fields" value="${f}"`);
    expect(html).toContain('Publishing the registration data of linked.com');
    expect(html).not.toContain(' checked');
    const de = await (await fetch(pageUrl, { headers: { 'accept-language': 'de-DE' } })).text();
    expect(de).toContain('Veröffentlichung der Registrierungsdaten von linked.com');
    const ar = await (await fetch(pageUrl, { headers: { 'accept-language': 'ar' } })).text();
    expect(ar).toContain('dir="rtl"');

    const post = (body: string, accept = 'text/html') => fetch(`${t.baseUrl}${url.pathname}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept }, body });
    const given = await post(`token=${encodeURIComponent(token)}&fields=name&fields=email`);
    expect(given.status).toBe(200);
    expect(await given.text()).toContain('Your choice is saved');
    expect(await service().publishableFields(brandId, 'linked.com')).toEqual(['name', 'email']);
    const ledger = await t.suite.kernel.db('consent_ledger').where({ purpose: 'registration-publish', method: 'link' }).orderBy('id', 'desc').first();
    expect(ledger).toMatchObject({ action: 'given', channel: 'web', collection_point: 'privacy-center' });
    expect(await (await fetch(pageUrl)).text()).toMatch(/value="name" checked/);

    const withdrawn = await post(`token=${encodeURIComponent(token)}`, 'application/json');
    expect(await withdrawn.json()).toMatchObject({ ok: true, fields: [] });
    expect(await service().publishableFields(brandId, 'linked.com')).toEqual([]);

    // No token, a forged one, or one made for another domain: 401, nothing recorded.
    const count = async () => Number(((await t.suite.kernel.db('consent_ledger').where({ purpose: 'registration-publish' }).count({ n: '*' }).first()) as { n: number }).n);
    const n = await count();
    expect((await post('fields=name')).status).toBe(401);
    expect((await post(`token=${encodeURIComponent(token.slice(0, -2))}xx&fields=name`)).status).toBe(401);
    const other = String((await admin('/domains/consent.com/publish-link', 'POST')).body.token);
    expect((await post(`token=${encodeURIComponent(other)}&fields=name`)).status).toBe(401);
    expect((await fetch(`${t.baseUrl}/b/other-shop/registrant/domains/linked.com/publish?token=${encodeURIComponent(token)}`)).status).toBeGreaterThanOrEqual(401);
    expect(await count()).toBe(n);
  });
});

describe('POST /api/v1/registrant/id-protection (the WHMCS wrapper\'s IDProtectToggle)', () => {
  it('WSM-17: signed like /contacts; answers the contacts to publish (privacy service or the customer\'s own), logged', async () => {
    const on = await postSigned('/api/v1/registrant/id-protection', { brand: 'route-shop', params: { ...whmcsParams(41, 'wrapped', 'com'), protectenable: true } });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ ok: true, domain: 'wrapped.com', idProtection: true, disclosureLogged: true });
    const c = on.body.contacts as Record<string, RegistryContact>;
    expect(c.registrant.name).toBe(REGISTRANT_SETTINGS.privacyService.name);
    expect(JSON.stringify(c)).not.toContain('Lovelace');
    const off = await postSigned('/api/v1/registrant/id-protection', { brand: 'route-shop', params: { sld: 'wrapped', tld: 'com', protectenable: '0' } });
    expect(off.body).toMatchObject({ idProtection: false });
    expect((off.body.contacts as Record<string, RegistryContact>).registrant).toMatchObject({ name: 'Ada Lovelace', email: 'ada41@example.org' });
    const row = await t.suite.kernel.db('registrant_domains').where({ brand_id: brandId, domain: 'wrapped.com' }).first();
    expect(Boolean(Number(row.id_protection))).toBe(false);

    expect((await postSigned('/api/v1/registrant/id-protection', { brand: 'route-shop', params: { sld: 'wrapped', tld: 'com', protectenable: true } }, 'whsec_wrong')).status).toBe(401);
    const bad = await postSigned('/api/v1/registrant/id-protection', { brand: 'route-shop', params: { sld: 'wrapped', tld: 'com' } });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['params.protectenable']);
  });
});
