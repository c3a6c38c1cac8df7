/** Contact assembly (WSM-2), validation before sending, and the disclosure log (MS-5.1 / WSM-12), over the signed endpoint and the hooks. */
import type { RegistryContact } from '../../../modules/registrars/contract';
import { count, postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { disclosures, postContacts, registrantBrand, whmcsParams } from './fixtures';

let t: TestSuite;
let secret: string;
let brandId: number;

beforeAll(async () => {
  t = await startTestSuite();
  secret = await registrantBrand(t.suite, 'reg-shop');
  brandId = (await t.suite.kernel.brands.get('reg-shop')).id;
});
afterAll(() => t.close());

describe('registrant contacts', () => {
  it('WSM-2: the four contacts are built from WHMCS params where the registry takes them (roles per TLD, organisation, thin registries)', async () => {
    const res = await postContacts(t.baseUrl, secret, { brand: 'reg-shop', params: whmcsParams(1, 'lovelace', 'com', { adminfirstname: 'Charles', adminlastname: 'Babbage', adminemail: 'charles@example.org' }) });
    expect(res.status).toBe(200);
    expect(res.body.domain).toBe('lovelace.com');
    expect(res.body.roles).toEqual(['registrant', 'admin', 'tech', 'billing']);
    const c = res.body.contacts as Record<string, RegistryContact>;
    expect(Object.keys(c).sort()).toEqual(['admin', 'billing', 'registrant', 'tech']);
    expect(c.registrant).toMatchObject({ name: 'Ada Lovelace', street: ['12 Analytical Row', 'Flat 3'], city: 'London', sp: 'Greater London', pc: 'NW1 6XE', cc: 'GB', voice: '+44.2079460018', email: 'ada1@example.org', postalType: 'int' });
    expect(c.registrant.org).toBeUndefined();
    expect(c.admin.name).toBe('Charles Babbage');
    expect(c.tech.email).toBe('charles@example.org');
    for (const ct of Object.values(c)) expect(ct.id).toMatch(/^[A-Z0-9]{16}$/);
    // Natural person, no consent: name, address, phone, fax and email hidden.
    expect(c.registrant.disclose).toEqual({ name: false, addr: false, voice: false, fax: false, email: false });
    // Stable handles: the same call gives the same ids.
    const again = await postContacts(t.baseUrl, secret, { brand: 'reg-shop', params: whmcsParams(1, 'lovelace', 'com') });
    expect((again.body.contacts as Record<string, RegistryContact>).registrant.id).toBe(c.registrant.id);

    // Default TLD policy: registrant and tech only (no admin, no billing).
    const org = await postContacts(t.baseUrl, secret, { brand: 'reg-shop', params: whmcsParams(2, 'analytical', 'net', { companyname: 'Analytical Engines Ltd', city: 'Zürich', countrycode: 'CH' }) });
    expect(org.status).toBe(200);
    expect(org.body.roles).toEqual(['registrant', 'tech']);
    const oc = org.body.contacts as Record<string, RegistryContact>;
    expect(oc.registrant.org).toBe('Analytical Engines Ltd');
    expect(oc.registrant.disclose).toMatchObject({ org: false, name: false, email: false }); // the RDAP profile removes the organisation too
    expect(oc.registrant.postalType).toBe('loc');

    // A thin registry takes no contacts.
    const thin = await postContacts(t.baseUrl, secret, { brand: 'reg-shop', params: whmcsParams(3, 'thin', 'example-thin') });
    expect(thin.status).toBe(200);
    expect(thin.body.roles).toEqual([]);
    expect(thin.body.contacts).toEqual({});
  });

  it('validation errors name the field and nothing is sent', async () => {
    const before = { d: await count(t.suite, 'disclosure_log'), dom: await count(t.suite, 'registrant_domains'), out: await count(t.suite, 'outbox') };
    const bad = whmcsParams(9, 'broken', 'com', { fullphonenumber: '0207 946 0018', countrycode: 'Great Britain', postcode: 'X'.repeat(17), email: 'not-an-email' });
    const res = await postContacts(t.baseUrl, secret, { brand: 'reg-shop', params: bad });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('SUITE_VALIDATION_FAILED');
    const fields = (res.body.fields as { field: string }[]).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['params.fullphonenumber', 'params.countrycode', 'params.postcode', 'params.email']));

    const hook = await postHook(t.baseUrl, 'PreRegistrarRegisterDomain', secret, { brand: 'reg-shop', vars: { params: bad } });
    expect(hook.status).toBe(200);
    expect(String(hook.body.abortWithError)).toContain('params.fullphonenumber');
    const adminBad = await postHook(t.baseUrl, 'PreRegistrarTransferDomain', secret, { brand: 'reg-shop', vars: { params: whmcsParams(9, 'broken', 'com', { adminfullphonenumber: '12345' }) } });
    expect(String(adminBad.body.abortWithError)).toContain('params.adminfullphonenumber');

    expect(await count(t.suite, 'disclosure_log')).toBe(before.d);
    expect(await count(t.suite, 'registrant_domains')).toBe(before.dom);
    expect(await count(t.suite, 'outbox')).toBe(before.out);
  });

  it('MS-5.1 / WSM-12: every contact sent is in the disclosure log (recipient registrar, purpose, fields, domain), once per content', async () => {
    const res = await postHook(t.baseUrl, 'PreRegistrarRegisterDomain', secret, { brand: 'reg-shop', vars: { params: whmcsParams(4, 'babbage', 'com') } });
    expect(res.status).toBe(200);
    expect(res.body.abortWithError).toBeUndefined();
    const subject = await t.suite.kernel.subjects.findByExternal(brandId, 'client', 4);
    const rows = (await disclosures(t.suite, brandId)).filter((r) => r.reference.startsWith('registrant:babbage.com:'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ subject_id: subject!.id, recipient: 'registrar', purpose: 'domain-registration', categories: ['contact', 'registration'] });
    expect(rows[0].fields).toEqual(expect.arrayContaining(['registrant.name', 'registrant.email', 'registrant.voice', 'admin.email', 'tech.street', 'billing.cc']));
    // The wrapper then asks for the same contacts: logged once, not twice; the registration afterwards is recorded.
    const wrapper = await postContacts(t.baseUrl, secret, { brand: 'reg-shop', params: whmcsParams(4, 'babbage', 'com') });
    expect(wrapper.body.disclosureLogged).toBe(false);
    const registeredAt = new Date();
    await postHook(t.baseUrl, 'AfterRegistrarRegistration', secret, { brand: 'reg-shop', vars: { params: whmcsParams(4, 'babbage', 'com', { regperiod: 2 }) } });
    expect((await disclosures(t.suite, brandId)).filter((r) => r.reference.startsWith('registrant:babbage.com:'))).toHaveLength(1);
    const dom = await t.suite.kernel.db('registrant_domains').where({ brand_id: brandId, domain: 'babbage.com' }).first();
    expect(dom.status).toBe('registered');
    // The expiry (for escrow deposits): regperiod years after registering, then moved on by each renewal's period.
    const yearsOn = (years: number): string => `${registeredAt.getUTCFullYear() + years}-${registeredAt.toISOString().slice(5, 10)}`;
    expect(new Date(Number(dom.expires_at)).toISOString().slice(0, 10)).toBe(yearsOn(2));
    await postHook(t.baseUrl, 'AfterRegistrarRenewal', secret, { brand: 'reg-shop', vars: { params: whmcsParams(4, 'babbage', 'com') } });
    const renewed = await t.suite.kernel.db('registrant_domains').where({ id: dom.id }).first();
    expect(Number(renewed.renewed_at)).toBeGreaterThan(0);
    expect(new Date(Number(renewed.expires_at)).toISOString().slice(0, 10)).toBe(yearsOn(3));
    // Every endpoint answer of the first test is logged too.
    expect((await disclosures(t.suite, brandId)).filter((r) => r.reference.startsWith('registrant:lovelace.com:')).length).toBeGreaterThanOrEqual(1);
    // The real data is held encrypted, never in plain text.
    const stored = await t.suite.kernel.db('registrant_contacts').select('data_enc');
    for (const s of stored) expect(String(s.data_enc)).not.toContain('Lovelace');
  });

  it('the endpoint is signed like the hook API: a bad signature is refused with 401 and nothing is written', async () => {
    const before = await count(t.suite, 'registrant_domains');
    const res = await postContacts(t.baseUrl, secret, { brand: 'reg-shop', params: whmcsParams(5, 'unsigned', 'com') }, 'v1=' + '0'.repeat(64));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('SUITE_HOOK_SIGNATURE_INVALID');
    expect(await count(t.suite, 'registrant_domains')).toBe(before);
  });
});
