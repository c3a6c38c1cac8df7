/**
 * WSM-17 / WSM-16b: a privacy (proxy) contact coming back from WHMCS — the registrar's GetContactDetails shows it
 * while ID protection is on, and the customer may save that form — is never stored as the customer's registrant
 * data (held for escrow and the reveal workflow). A real change is stored; in a mixed save only the real set is.
 * WSM-2: a TLD whose registry takes no contacts gets none, and nothing is logged as a disclosure.
 */
import type { RegistrantService } from '../../../modules/registrant/registrant-service';
import type { ContactRole, RegistryContact } from '../../../modules/registrars/contract';
import { count, postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { disclosures, postContacts, registrantBrand, REGISTRANT_SETTINGS, whmcsParams } from './fixtures';

let t: TestSuite;
let secret: string;
let brandId: number;
const BRAND = 'proxy-shop';
const svc = REGISTRANT_SETTINGS.privacyService;

beforeAll(async () => {
  t = await startTestSuite();
  secret = await registrantBrand(t.suite, BRAND);
  brandId = (await t.suite.kernel.brands.get(BRAND)).id;
});
afterAll(() => t?.close());

/** The real contacts stored for a domain (what escrow deposits and a reveal disclose), per role. */
async function stored(domain: string): Promise<Partial<Record<ContactRole, RegistryContact>>> {
  const row = await t.suite.kernel.db('registrant_domains').where({ brand_id: brandId, domain }).first('id');
  const rows = (await t.suite.kernel.db('registrant_contacts').where({ domain_id: row.id })) as { role: ContactRole; data_enc: string }[];
  const out: Partial<Record<ContactRole, RegistryContact>> = {};
  for (const r of rows) out[r.role] = JSON.parse(await t.suite.kernel.keyring.decrypt(r.data_enc)) as RegistryContact;
  return out;
}

/** WHMCS params for one set as the customer saw the privacy contact of `role` in the contact details form. */
function proxySet(prefix: '' | 'admin', email: string): Record<string, unknown> {
  const [first, ...rest] = svc.name.split(' ');
  const set: Record<string, unknown> = {
    firstname: first, lastname: rest.join(' '), companyname: svc.org, email, address1: svc.street[0], address2: '', city: svc.city, state: '',
    postcode: svc.pc, phonenumber: svc.voice.split('.')[1], fullphonenumber: svc.voice,
  };
  const out = Object.fromEntries(Object.entries(set).map(([k, v]) => [`${prefix}${k}`, v]));
  if (prefix) out.admincountry = svc.cc; else out.countrycode = svc.cc;
  return out;
}

/** Registers `sld`.com for client `userid` with ID protection on; returns the privacy contacts sent. */
async function registerProtected(userid: number, sld: string): Promise<Record<ContactRole, RegistryContact>> {
  await postHook(t.baseUrl, 'ClientAdd', secret, { brand: BRAND, vars: { client_id: userid, firstname: 'Ada', lastname: 'Lovelace', email: `ada${userid}@example.org`, country: 'GB' } });
  const r = await postContacts(t.baseUrl, secret, { brand: BRAND, params: whmcsParams(userid, sld, 'com', { idprotection: true }), status: 'registering' });
  expect(r.status).toBe(200);
  return r.body.contacts as Record<ContactRole, RegistryContact>;
}

describe('a privacy (proxy) contact saved back from WHMCS', () => {
  it('WSM-17: saving the proxy values keeps the real data; the answer still carries the privacy contacts; disclosure and escrow unaffected', async () => {
    const sent = await registerProtected(41, 'veiled');
    const before = await stored('veiled.com');
    expect(before.registrant!.name).toBe('Ada Lovelace');
    const logged = (await disclosures(t.suite, brandId)).length;

    const params = whmcsParams(41, 'veiled', 'com', { idprotection: true, ...proxySet('', sent.registrant.email), ...proxySet('admin', sent.admin.email) });
    const save = await postContacts(t.baseUrl, secret, { brand: BRAND, params, status: 'registered' });
    expect(save.status).toBe(200);
    expect(save.body.ignored).toEqual(['Registrant', 'Admin']);
    expect(save.body.contacts).toEqual(sent); // the registrar still gets the privacy contacts
    expect(await stored('veiled.com')).toEqual(before);
    expect(JSON.stringify(await stored('veiled.com'))).not.toContain(svc.org);
    expect((await disclosures(t.suite, brandId)).length).toBe(logged); // the same contacts: nothing new handed over

    // The hook path (AfterRegistrarSaveContactDetails) and a client profile edited to the proxy values (ClientEdit).
    const hook = await postHook(t.baseUrl, 'AfterRegistrarSaveContactDetails', secret, { brand: BRAND, vars: { params, results: {}, functionExists: true, functionSuccessful: true } });
    expect(hook.status).toBe(200);
    expect(hook.body.data).toMatchObject({ registrant: { ignored: ['Registrant', 'Admin'], disclosureLogged: false } });
    const outbox = await count(t.suite, 'outbox');
    const edit = await postHook(t.baseUrl, 'ClientEdit', secret, { brand: BRAND, vars: { userid: 41, ...proxySet('', `x@${svc.emailDomain}`), country: svc.cc } });
    expect(edit.status).toBe(200);
    expect(await stored('veiled.com')).toEqual(before);
    expect(await count(t.suite, 'outbox')).toBe(outbox);
    expect((await disclosures(t.suite, brandId)).length).toBe(logged);

    // What a public directory and the reveal workflow read: privacy published, the real registrant held.
    const data = await t.suite.kernel.service<RegistrantService>('registrant').registrationData(brandId, 'veiled.com');
    expect(data!.privacy).toBe(true);
    expect(data!.contacts.registrant).toEqual(sent.registrant);
  });

  it('a real change is stored', async () => {
    await registerProtected(42, 'moving');
    const params = whmcsParams(42, 'moving', 'com', { idprotection: true, address1: '5 Difference Street', city: 'Cambridge' });
    const save = await postContacts(t.baseUrl, secret, { brand: BRAND, params, status: 'registered' });
    expect(save.status).toBe(200);
    expect(save.body.ignored).toBeUndefined();
    const now = await stored('moving.com');
    expect(now.registrant).toMatchObject({ name: 'Ada Lovelace', street: ['5 Difference Street', 'Flat 3'], city: 'Cambridge' });
    expect((save.body.contacts as Record<string, RegistryContact>).registrant.name).toBe(svc.name);
  });

  it('mixed: the Registrant set is the proxy, the Admin set a real person: only the Admin set is stored', async () => {
    const sent = await registerProtected(43, 'mixed');
    const before = await stored('mixed.com');
    const params = whmcsParams(43, 'mixed', 'com', {
      idprotection: true, ...proxySet('', sent.registrant.email), adminfirstname: 'Charles', adminlastname: 'Babbage', adminemail: 'charles@example.org',
    });
    const save = await postContacts(t.baseUrl, secret, { brand: BRAND, params, status: 'registered' });
    expect(save.status).toBe(200);
    expect(save.body.ignored).toEqual(['Registrant']);
    const now = await stored('mixed.com');
    expect(now.registrant).toEqual(before.registrant);
    for (const role of ['admin', 'tech', 'billing'] as const) expect(now[role]).toMatchObject({ name: 'Charles Babbage', email: 'charles@example.org' });
    // Only the forwarding address gives it away (the name changed): still the proxy, still ignored.
    const byEmail = await postContacts(t.baseUrl, secret, { brand: BRAND, params: { ...params, firstname: 'Someone', lastname: 'Else', companyname: '' }, status: 'registered' });
    expect(byEmail.body.ignored).toEqual(['Registrant']);
    expect((await stored('mixed.com')).registrant).toEqual(before.registrant);
  });
});

describe('WSM-2: a TLD whose registry takes no contacts', () => {
  it('sends no contacts and logs no disclosure', async () => {
    const logged = (await disclosures(t.suite, brandId)).length;
    const thin = await postContacts(t.baseUrl, secret, { brand: BRAND, params: whmcsParams(44, 'bare', 'example-thin'), status: 'registering' });
    expect(thin.status).toBe(200);
    expect(thin.body).toMatchObject({ roles: [], contacts: {}, disclosureLogged: false });
    expect((await disclosures(t.suite, brandId)).length).toBe(logged);
    const row = await t.suite.kernel.db('registrant_domains').where({ brand_id: brandId, domain: 'bare.example-thin' }).first('id');
    expect(await t.suite.kernel.db('registrant_contacts').where({ domain_id: row.id }).first()).toBeUndefined();
  });
});
