/** RDAP (RFC 9082/9083) with RFC 9537 redaction per the February 2024 gTLD RDAP response profile (WSM-16a), and ID protection (WSM-17). */
import type { RegistrantService } from '../../../modules/registrant/registrant-service';
import { useRegistrar } from '../../../modules/registrant/transfer/registrar-lookup';
import { postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { FakeRegistrar, postContacts, registrantBrand, REGISTRANT_SETTINGS, registrantProfile, whmcsParams } from '../registrant/fixtures';
import { createBrand } from '../../helpers/test-suite';
import { schemaErrors } from './rdap-schema';

type Prop = [string, Record<string, unknown>, string, unknown];
interface Entity { objectClassName: string; handle?: string; roles: string[]; vcardArray: ['vcard', Prop[]] }
interface Redacted { name: { type: string }; prePath?: string; postPath?: string; replacementPath?: string; pathLang: string; method: string; reason: { type: string } }
interface Answer { status: number; contentType: string; body: Record<string, unknown> }

const registrar = new FakeRegistrar();
let t: TestSuite;
let secret: string;
let brandId: number;
const FORM = 'https://rdap-form.example/contact?domain={domain}&role={role}';
/** Every personal value of the customer (city as a quoted JSON value: the published state "Greater London" contains it). */
const PERSONAL = ['Ada', 'Lovelace', 'Analytical', 'Flat 3', 'NW1 6XE', '7946', '0018', 'ada7@example.org', '"London"', 'Analytical Engines'];

const service = () => t.suite.kernel.service<RegistrantService>('registrant');
async function rdap(name: string): Promise<Answer> {
  const res = await fetch(`${t.baseUrl}/rdap/domain/${name}`);
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: (await res.json()) as Record<string, unknown> };
}
const entity = (body: Record<string, unknown>, role: string) => (body.entities as Entity[]).find((e) => e.roles[0] === role)!;
const props = (e: Entity, name: string) => e.vcardArray[1].filter((p) => p[0] === name);
const prop = (e: Entity, name: string) => props(e, name)[0];
const redactedOf = (body: Record<string, unknown>) => body.redacted as Redacted[];
const redactedNames = (body: Record<string, unknown>) => redactedOf(body).map((r) => r.name.type).sort();
const entry = (body: Record<string, unknown>, name: string) => redactedOf(body).find((r) => r.name.type === name);

async function register(brand: string, s: string, userid: number, sld: string, tld: string, extra: Record<string, unknown> = {}): Promise<void> {
  for (const hook of ['PreRegistrarRegisterDomain', 'AfterRegistrarRegistration']) {
    const r = await postHook(t.baseUrl, hook, s, { brand, vars: { params: whmcsParams(userid, sld, tld, extra) } });
    expect(r.status).toBe(200);
    expect(r.body.abortWithError).toBeUndefined();
  }
}
function expectValid(body: Record<string, unknown>, schema: 'rdap_domain.json' | 'rdap_error.json' | 'rdap_help.json' = 'rdap_domain.json'): void {
  expect(schemaErrors(schema, body)).toEqual([]);
}
function expectNoPersonalData(body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  for (const v of PERSONAL) expect(text).not.toContain(v);
}

beforeAll(async () => {
  useRegistrar(() => registrar);
  // Every look-up re-reads the record's version: these tests change records between look-ups.
  t = await startTestSuite({ config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 3, rdapMemoMs: 0 } });
  secret = await registrantBrand(t.suite, 'rdap-shop');
  brandId = (await t.suite.kernel.brands.get('rdap-shop')).id;
  await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'rdap-shop', vars: { client_id: 7, firstname: 'Ada', lastname: 'Lovelace', email: 'ada7@example.org', country: 'GB' } });
  await register('rdap-shop', secret, 7, 'redacted', 'com');
  await register('rdap-shop', secret, 7, 'published', 'net');
  await register('rdap-shop', secret, 7, 'engines', 'org', { companyname: 'Analytical Engines Ltd' });
  await register('rdap-shop', secret, 7, 'protected', 'com', { idprotection: true });
});
afterAll(async () => {
  useRegistrar();
  await t?.close();
});

describe('RDAP domain answers', () => {
  it('WSM-16a: RDAP output is redacted by default under ICANN\'s Registration Data Policy', async () => {
    const a = await rdap('Redacted.COM.');
    expect(a.status).toBe(200);
    expect(a.contentType).toMatch(/^application\/rdap\+json/);
    expectValid(a.body);
    const b = a.body;
    expect(b).toMatchObject({ objectClassName: 'domain', ldhName: 'redacted.com', status: ['active'] });
    expect(b.rdapConformance).toEqual(expect.arrayContaining(['rdap_level_0', 'redacted', 'icann_rdap_response_profile_1', 'icann_rdap_technical_implementation_guide_1']));
    expect((b.events as { eventAction: string }[]).map((e) => e.eventAction)).toEqual(expect.arrayContaining(['registration', 'last update of RDAP database']));
    expect((b.notices as { title: string }[]).map((n) => n.title)).toEqual(expect.arrayContaining(['Terms of Service', 'Status Codes', 'RDDS Inaccuracy Complaint Form']));
    // .com takes all four contacts; RDAP shows the registrant and the tech contact.
    expect((b.entities as Entity[]).map((e) => e.roles[0]).sort()).toEqual(['registrant', 'technical']);

    // Exactly the profile's table (no organisation on this domain).
    expect(redactedNames(b)).toEqual([
      'Registrant City', 'Registrant Email', 'Registrant Fax', 'Registrant Fax Ext', 'Registrant Name', 'Registrant Phone', 'Registrant Phone Ext', 'Registrant Postal Code', 'Registrant Street',
      'Registry Domain ID', 'Registry Registrant ID', 'Registry Tech ID', 'Tech Email', 'Tech Name', 'Tech Phone', 'Tech Phone Ext',
    ]);
    for (const r of redactedOf(b)) expect(r).toMatchObject({ pathLang: 'jsonpath', reason: { type: 'Server policy' } });
    const R = "$.entities[?(@.roles[0]=='registrant')]";
    const T = "$.entities[?(@.roles[0]=='technical')]";
    expect(entry(b, 'Registry Domain ID')).toMatchObject({ method: 'removal', prePath: '$.handle' });
    expect(entry(b, 'Registry Registrant ID')).toMatchObject({ method: 'removal', prePath: `${R}.handle` });
    expect(entry(b, 'Registry Tech ID')).toMatchObject({ method: 'removal', prePath: `${T}.handle` });
    expect(entry(b, 'Registrant Name')).toMatchObject({ method: 'emptyValue', postPath: `${R}.vcardArray[1][?(@[0]=='fn')][3]` });
    expect(entry(b, 'Tech Name')).toMatchObject({ method: 'emptyValue', postPath: `${T}.vcardArray[1][?(@[0]=='fn')][3]` });
    expect(entry(b, 'Registrant Street')).toMatchObject({ method: 'emptyValue', postPath: `${R}.vcardArray[1][?(@[0]=='adr')][3][2]` });
    expect(entry(b, 'Registrant City')).toMatchObject({ method: 'emptyValue', postPath: `${R}.vcardArray[1][?(@[0]=='adr')][3][3]` });
    expect(entry(b, 'Registrant Postal Code')).toMatchObject({ method: 'emptyValue', postPath: `${R}.vcardArray[1][?(@[0]=='adr')][3][5]` });
    for (const n of ['Registrant Phone', 'Registrant Phone Ext']) expect(entry(b, n)).toMatchObject({ method: 'removal', prePath: `${R}.vcardArray[1][?(@[1].type=='voice')]` });
    for (const n of ['Registrant Fax', 'Registrant Fax Ext']) expect(entry(b, n)).toMatchObject({ method: 'removal', prePath: `${R}.vcardArray[1][?(@[1].type=='fax')]` });
    for (const n of ['Tech Phone', 'Tech Phone Ext']) expect(entry(b, n)).toMatchObject({ method: 'removal', prePath: `${T}.vcardArray[1][?(@[1].type=='voice')]` });
    // The brand has a privacy service, so the email is replaced by its anonymised forwarding address in place.
    expect(entry(b, 'Registrant Email')).toEqual(expect.objectContaining({ method: 'replacementValue', postPath: `${R}.vcardArray[1][?(@[0]=='email')][3]` }));
    expect(entry(b, 'Tech Email')).toEqual(expect.objectContaining({ method: 'replacementValue', postPath: `${T}.vcardArray[1][?(@[0]=='email')][3]` }));

    // What the paths point at: removed members are absent, emptied ones empty; State/Province and Country published.
    expect(b.handle).toBeUndefined();
    const reg = entity(b, 'registrant');
    const tech = entity(b, 'technical');
    expect(reg.handle).toBeUndefined();
    expect(tech.handle).toBeUndefined();
    expect(prop(reg, 'fn')[3]).toBe('');
    expect(prop(tech, 'fn')[3]).toBe('');
    expect(prop(reg, 'adr')).toEqual(['adr', { cc: 'GB' }, 'text', ['', '', '', '', 'Greater London', '', '']]);
    expect(props(reg, 'tel')).toEqual([]);
    expect(props(tech, 'tel')).toEqual([]);
    expect(props(reg, 'org')).toEqual([]);
    expect(String(prop(reg, 'email')[3])).toMatch(/^[0-9a-f]{24}@privacy\.test-hosting\.example$/);
    expect(prop(tech, 'email')[3]).not.toBe(prop(reg, 'email')[3]);
    expectNoPersonalData(b);

    // An organisation's name is removed too, and named in `redacted`.
    const org = await rdap('engines.org');
    expectValid(org.body);
    expect(entry(org.body, 'Registrant Organization')).toMatchObject({ method: 'removal', prePath: `${R}.vcardArray[1][?(@[0]=='org')]` });
    expect(props(entity(org.body, 'registrant'), 'org')).toEqual([]);
    expectNoPersonalData(org.body);
  });

  it('WSM-16a: a registrant\'s consent to publish shows exactly the consented fields', async () => {
    const subject = await t.suite.kernel.subjects.findByExternal(brandId, 'client', 7);
    await service().consentToPublish('rdap-shop', { subjectId: subject!.id, domain: 'published.net', fields: ['name', 'email'] });
    const a = await rdap('published.net');
    expectValid(a.body);
    const reg = entity(a.body, 'registrant');
    expect(prop(reg, 'fn')[3]).toBe('Ada Lovelace');
    expect(props(reg, 'email')).toEqual([['email', {}, 'text', 'ada7@example.org']]);
    expect(props(reg, 'contact-uri')).toEqual([]);
    // Everything not consented stays redacted; the tech contact is the same person, so the same fields show.
    expect(prop(reg, 'adr')).toEqual(['adr', { cc: 'GB' }, 'text', ['', '', '', '', 'Greater London', '', '']]);
    expect(props(reg, 'tel')).toEqual([]);
    expect(prop(entity(a.body, 'technical'), 'fn')[3]).toBe('Ada Lovelace');
    expect(redactedNames(a.body)).toEqual([
      'Registrant City', 'Registrant Fax', 'Registrant Fax Ext', 'Registrant Phone', 'Registrant Phone Ext', 'Registrant Postal Code', 'Registrant Street',
      'Registry Domain ID', 'Registry Registrant ID', 'Registry Tech ID', 'Tech Phone', 'Tech Phone Ext',
    ]);
    const text = JSON.stringify(a.body);
    for (const v of ['Analytical', 'NW1 6XE', '7946', '"London"']) expect(text).not.toContain(v);

    // Address, phone and organisation on the organisation's domain.
    await service().consentToPublish('rdap-shop', { subjectId: subject!.id, domain: 'engines.org', fields: ['org', 'addr', 'voice'] });
    const o = await rdap('engines.org');
    expectValid(o.body);
    const oreg = entity(o.body, 'registrant');
    expect(prop(oreg, 'org')[3]).toBe('Analytical Engines Ltd');
    expect(prop(oreg, 'adr')).toEqual(['adr', { cc: 'GB' }, 'text', ['', '', ['12 Analytical Row', 'Flat 3'], 'London', 'Greater London', 'NW1 6XE', '']]);
    expect(props(oreg, 'tel')).toEqual([['tel', { type: 'voice' }, 'uri', 'tel:+44.2079460018']]);
    expect(prop(oreg, 'fn')[3]).toBe('');
    expect(redactedNames(o.body)).toEqual(['Registrant Email', 'Registrant Fax', 'Registrant Fax Ext', 'Registrant Name', 'Registry Domain ID', 'Registry Registrant ID', 'Registry Tech ID', 'Tech Email', 'Tech Name']);
    expect(JSON.stringify(o.body)).not.toContain('ada7@example.org');

    // Withdrawal redacts everything again.
    await service().consentToPublish('rdap-shop', { subjectId: subject!.id, domain: 'published.net', fields: [] });
    const w = await rdap('published.net');
    expectValid(w.body);
    expectNoPersonalData(w.body);
    expect(entry(w.body, 'Registrant Name')).toBeDefined();
  });

  it('WSM-17: with ID protection the RDAP output shows the privacy service', async () => {
    const a = await rdap('protected.com');
    expect(a.status).toBe(200);
    expectValid(a.body);
    const svc = REGISTRANT_SETTINGS.privacyService;
    for (const role of ['registrant', 'technical']) {
      const e = entity(a.body, role);
      expect(e.handle).toMatch(/^PP[0-9A-F]{14}$/);
      expect(prop(e, 'fn')[3]).toBe(svc.name);
      expect(prop(e, 'org')[3]).toBe(svc.org);
      expect(prop(e, 'adr')).toEqual(['adr', { cc: 'GB' }, 'text', ['', '', '1 Proxy Lane', 'London', '', 'EC1A 1AA', '']]);
      expect(props(e, 'tel')).toEqual([['tel', { type: 'voice' }, 'uri', `tel:${svc.voice}`]]);
      expect(String(prop(e, 'email')[3])).toMatch(/@privacy\.test-hosting\.example$/);
    }
    // The privacy service's data needs no redaction; the customer's appears nowhere.
    expect(redactedNames(a.body)).toEqual(['Registry Domain ID']);
    for (const v of PERSONAL.filter((p) => p !== '"London"')) expect(JSON.stringify(a.body)).not.toContain(v);
  });

  it('WSM-16a: a redacted email is replaced by exactly one of an anonymised email or a contact-uri, never both', async () => {
    // A brand with a contact form configured, and one with neither form nor privacy service.
    const formSecret = await createBrand(t.suite, 'rdap-form', { profile: registrantProfile({ modules: { registrant: REGISTRANT_SETTINGS, rdap: { contactFormUrl: FORM } } }) });
    const { privacyService: _drop, ...noSvc } = REGISTRANT_SETTINGS;
    const bareSecret = await createBrand(t.suite, 'rdap-bare', { profile: registrantProfile({ modules: { registrant: noSvc } }) });
    await postContacts(t.baseUrl, formSecret, { brand: 'rdap-form', params: whmcsParams(7, 'formed', 'com'), status: 'registered' });
    await postContacts(t.baseUrl, bareSecret, { brand: 'rdap-bare', params: whmcsParams(7, 'bare', 'com'), status: 'registered' });

    const form = await rdap('formed.com');
    expectValid(form.body);
    const R = "$.entities[?(@.roles[0]=='registrant')]";
    expect(entry(form.body, 'Registrant Email')).toEqual(expect.objectContaining({ method: 'replacementValue', prePath: `${R}.vcardArray[1][?(@[0]=='email')]`, replacementPath: `${R}.vcardArray[1][?(@[0]=='contact-uri')]` }));
    expect(entry(form.body, 'Registrant Email')!.postPath).toBeUndefined();
    expect(props(entity(form.body, 'registrant'), 'contact-uri')).toEqual([['contact-uri', {}, 'uri', 'https://rdap-form.example/contact?domain=formed.com&role=registrant']]);
    expectNoPersonalData(form.body);

    const bare = await rdap('bare.com');
    expectValid(bare.body);
    // Without a form of its own nor a forwarding address: the suite's contact form, never the controller's address.
    expect(String(prop(entity(bare.body, 'registrant'), 'contact-uri')[3])).toMatch(/\/rdap\/contact\/bare\.com\?role=registrant$/);
    expectNoPersonalData(bare.body);

    for (const name of ['redacted.com', 'published.net', 'engines.org', 'protected.com', 'formed.com', 'bare.com']) {
      const { body } = await rdap(name);
      for (const e of body.entities as Entity[]) expect(props(e, 'email').length + props(e, 'contact-uri').length).toBe(1);
    }
  });

  it('answers the brand where a name held by several brands is active', async () => {
    // rdap-form and rdap-bare both hold "shared.com"; rdap-bare's record is the newer one but no longer active there.
    const form = await t.suite.kernel.brands.get('rdap-form');
    const bare = await t.suite.kernel.brands.get('rdap-bare');
    await t.suite.kernel.db('registrant_domains').where({ brand_id: form.id, domain: 'formed.com' }).update({ domain: 'shared.com', updated_at: 1 });
    await t.suite.kernel.db('registrant_domains').where({ brand_id: bare.id, domain: 'bare.com' }).update({ domain: 'shared.com', status: 'cancelled', updated_at: Date.now() });
    const a = await rdap('shared.com');
    expect(a.status).toBe(200);
    expect(props(entity(a.body, 'registrant'), 'contact-uri')[0][3]).toBe('https://rdap-form.example/contact?domain=shared.com&role=registrant');
  });

  it('an unknown domain answers 404 with an RDAP error object; a bad name 400; /rdap/help answers', async () => {
    const a = await rdap('unknown-domain.com');
    expect(a.status).toBe(404);
    expect(a.contentType).toMatch(/^application\/rdap\+json/);
    expectValid(a.body, 'rdap_error.json');
    expect(a.body).toMatchObject({ errorCode: 404, title: 'Not Found' });
    expect(a.body.rdapConformance).toEqual(expect.arrayContaining(['rdap_level_0']));

    const bad = await rdap('not_a..name');
    expect(bad.status).toBe(400);
    expectValid(bad.body, 'rdap_error.json');

    const res = await fetch(`${t.baseUrl}/rdap/help`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/rdap\+json/);
    const help = (await res.json()) as Record<string, unknown>;
    expectValid(help, 'rdap_help.json');
    expect((help.notices as { title: string }[])[0].title).toBe('Terms of Service');
  });
});
