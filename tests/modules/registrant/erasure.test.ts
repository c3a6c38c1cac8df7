/** Erasure at the registrar (MS-8f): an erased customer's contacts are replaced there by anonymised ones, through the outbox. */
import type { PrivacyProfile } from '../../../core/profile/schema';
import { anonymisedContact, erasedContacts, REDACTED } from '../../../modules/registrant/contacts/erased-contact';
import { RegistrantSettings } from '../../../modules/registrant/settings';
import { useRegistrar } from '../../../modules/registrant/transfer/registrar-lookup';
import { drainOutbox, postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { disclosures, FakeRegistrar, registrantBrand, whmcsParams } from './fixtures';

const registrar = new FakeRegistrar();
let t: TestSuite;
let secret: string;
let brandId: number;

const drainUntilSettled = (): Promise<void> => drainOutbox(t.suite);
async function registerFor(userid: number, sld: string, tld = 'com'): Promise<void> {
  for (const hook of ['PreRegistrarRegisterDomain', 'AfterRegistrarRegistration']) {
    const r = await postHook(t.baseUrl, hook, secret, { brand: 'erase-shop', vars: { params: whmcsParams(userid, sld, tld) } });
    expect(r.body.abortWithError).toBeUndefined();
  }
}
async function clientWithDomains(userid: number, slds: string[]): Promise<number> {
  await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'erase-shop', vars: { client_id: userid, firstname: 'Ada', lastname: 'Lovelace', email: `ada${userid}@example.org`, country: 'GB' } });
  for (const sld of slds) await registerFor(userid, sld);
  await drainUntilSettled();
  return (await t.suite.kernel.subjects.findByExternal(brandId, 'client', userid))!.id;
}
function personalData() {
  return t.suite.kernel.modules.get('registrant')!.personalData!;
}

beforeAll(async () => {
  useRegistrar(() => registrar);
  t = await startTestSuite({ config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 4 } });
  secret = await registrantBrand(t.suite, 'erase-shop');
  brandId = (await t.suite.kernel.brands.get('erase-shop')).id;
});
afterAll(async () => {
  useRegistrar();
  await t?.close();
});

describe('erasure at the registrar', () => {
  it('export before erase lists the domains and their contacts', async () => {
    const sid = await clientWithDomains(31, ['exported']);
    const out = await personalData().export(sid, { kernel: t.suite.kernel });
    const domains = out.domains as { domain: string; status: string; contacts: { role: string; handle: string; contact: Record<string, unknown> }[] }[];
    expect(domains.map((d) => [d.domain, d.status])).toEqual([['exported.com', 'registered']]);
    expect(domains[0].contacts.map((c) => c.role).sort()).toEqual(['admin', 'billing', 'registrant', 'tech']);
    for (const c of domains[0].contacts) expect(c.contact).toMatchObject({ name: 'Ada Lovelace', email: 'ada31@example.org', city: 'London' });
  });

  it('MS-8f: erasing a customer replaces their contacts at the registrar with anonymised ones through the outbox, with retries', async () => {
    const sid = await clientWithDomains(32, ['gone-one', 'gone-two']);
    await t.suite.kernel.db('registrant_domains').where({ brand_id: brandId, domain: 'gone-two.com' }).update({ status: 'expired' });
    const brand = await t.suite.kernel.brands.get('erase-shop');
    const profile = await t.suite.kernel.brands.profile(brand);
    const handlesBefore = Object.fromEntries(((await t.suite.kernel.db('registrant_contacts').join('registrant_domains', 'registrant_domains.id', 'registrant_contacts.domain_id')
      .where({ 'registrant_domains.domain': 'gone-one.com' }).select('registrant_contacts.role', 'registrant_contacts.handle')) as { role: string; handle: string }[]).map((r) => [r.role, r.handle]));
    const callsBefore = registrar.calls.length;
    const attemptsBefore = registrar.attempts.length;
    const disclosedBefore = (await disclosures(t.suite, brandId)).length;
    registrar.failures = 1;

    const result = await t.suite.kernel.db.transaction((trx) => personalData().erase(sid, { kernel: t.suite.kernel, trx, brand, profile }));
    expect(result.erased).toBe(8); // four roles on each of the two domains
    expect(result.kept.join(' ')).not.toMatch(/NOT updated/);
    await drainUntilSettled();

    const attempts = registrar.attempts.slice(attemptsBefore);
    const calls = registrar.calls.slice(callsBefore);
    expect(attempts).toHaveLength(2); // refused once, then delivered
    expect(calls).toHaveLength(1); // only the domain still at the registry; the expired one is left alone
    expect(calls[0]).toMatchObject({ fn: 'saveContactDetails', domain: 'gone-one.com' });
    expect(new Set(attempts.map((a) => a.requestId)).size).toBe(1);
    const row = await t.suite.kernel.db('outbox').where({ topic: 'registrant.save-contacts' }).orderBy('id', 'desc').first();
    expect(row.state).toBe('delivered');
    expect(Number(row.attempts)).toBe(2);

    const contacts = calls[0].contacts!;
    expect(Object.keys(contacts).sort()).toEqual(['admin', 'billing', 'registrant', 'tech']);
    // Sent under the holder's own handles, so the registry overwrites the records that held their data.
    for (const [role, c] of Object.entries(contacts)) expect(c!.id).toBe(handlesBefore[role]);
    const sent = JSON.stringify(contacts);
    for (const personal of ['Ada', 'Lovelace', 'ada32@example.org', 'example.org', '12 Analytical Row', 'Flat 3', 'NW1 6XE', '7946', '2079460018']) expect(sent).not.toContain(personal);
    for (const c of Object.values(contacts)) {
      expect(c).toMatchObject({ name: 'Domain Privacy Service', org: 'Test Hosting Privacy Ltd', cc: 'GB' });
      expect(c.email).toMatch(/@privacy\.test-hosting\.example$/);
    }

    // Nothing of the subject is disclosed by the replacement: no disclosure log row for it.
    expect((await disclosures(t.suite, brandId)).slice(disclosedBefore)).toEqual([]);
    // Locally: no real contacts, no params; export shows the domain names only.
    const out = await personalData().export(sid, { kernel: t.suite.kernel });
    expect((out.domains as { contacts: unknown[] }[]).every((d) => d.contacts.length === 0)).toBe(true);
    const params = await t.suite.kernel.db('registrant_domains').where({ subject_id: sid }).pluck('params_enc');
    expect(params).toEqual([null, null]);
  });

  it('erase without the brand profile still erases locally and says the registrar was not updated', async () => {
    const sid = await clientWithDomains(33, ['unsent']);
    const before = await t.suite.kernel.db('outbox').count({ n: '*' }).first();
    const brand = await t.suite.kernel.brands.get('erase-shop');
    const result = await t.suite.kernel.db.transaction((trx) => personalData().erase(sid, { kernel: t.suite.kernel, trx, brand }));
    expect(result.erased).toBe(4);
    expect(result.kept.join(' ')).toMatch(/registrar NOT updated.*no brand profile/);
    const after = await t.suite.kernel.db('outbox').count({ n: '*' }).first();
    expect(Number((after as { n: number }).n)).toBe(Number((before as { n: number }).n));
  });

  it('without a privacy service the replacement is REDACTED FOR PRIVACY with the controller\'s details and every field hidden', () => {
    const settings = RegistrantSettings.parse({});
    const controller = { name: 'Test Hosting Ltd', address: '5 Controller Street, Leeds', email: 'privacy@test-hosting.example', country: 'GB' } as PrivacyProfile['controller'];
    const contacts = erasedContacts(t.suite.kernel, brandId, 'plain.com', ['registrant', 'tech'], settings, controller)!;
    expect(contacts.registrant).toMatchObject({ name: REDACTED, street: ['5 Controller Street', 'Leeds'], city: REDACTED, cc: 'GB', disclose: { name: false, org: false, addr: false, voice: false, fax: false, email: false } });
    expect(contacts.registrant!.email).toMatch(/^[0-9a-f]{24}@test-hosting\.example$/);
    expect(contacts.registrant!.email).not.toBe(contacts.tech!.email);
    expect(anonymisedContact(t.suite.kernel, brandId, 'plain.com', 'registrant', { ...controller!, address: '' })!.street).toEqual([REDACTED]);
    expect(erasedContacts(t.suite.kernel, brandId, 'plain.com', ['registrant'], settings, { ...controller!, country: undefined })).toBeUndefined();
  });
});
