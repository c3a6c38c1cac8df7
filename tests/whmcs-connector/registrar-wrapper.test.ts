/** The WHMCS registrar wrapper (issue 15 point 5), run by PHP against the suite with a recording stand-in registrar module. */
import fs from 'node:fs';
import path from 'node:path';
import { runWhmcs, stepResult, type WhmcsScenario, type WhmcsStep } from '../helpers/whmcs-php';
import { postHook, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { disclosures, registrantBrand, REGISTRANT_SETTINGS, whmcsParams } from '../modules/registrant/fixtures';

const RECORDER = fs.readFileSync(path.resolve(__dirname, '../whmcs/standin-registrar/modules/registrars/recorder/recorder.php'), 'utf8');
const SVC = REGISTRANT_SETTINGS.privacyService;

/** A call the stand-in registrar module received. */
interface RecordedCall { fn: string; params: Record<string, unknown> & { original?: Record<string, unknown>; contactdetails?: Record<string, Record<string, string>> } }

let t: TestSuite;
let secret: string;
let brandId: number;

beforeAll(async () => {
  t = await startTestSuite();
  secret = await registrantBrand(t.suite, 'wrap-shop');
  brandId = (await t.suite.kernel.brands.get('wrap-shop')).id;
  await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'wrap-shop', vars: { client_id: 7, firstname: 'Ada', lastname: 'Lovelace', email: 'ada7@example.org', country: 'GB' } });
});
afterAll(async () => {
  await t?.close();
});

/** WHMCS's params for the wrapper: the registrar settings, and `original` as WHMCS keeps it before transliteration. */
function wrapperParams(sld: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const p = whmcsParams(7, sld, 'com', { wrapped_module: 'recorder', suite_unreachable: 'refuse', ...extra });
  return { ...p, original: { ...p, wrapped_module: undefined, suite_unreachable: undefined, lastname: 'Lövelace', adminlastname: 'Lövelace' } };
}

/** Runs wrapper functions in one PHP process; answers each step's result and the calls the stand-in received. */
async function wrapper(steps: WhmcsStep[], over: Partial<WhmcsScenario> = {}): Promise<{ results: unknown[]; calls: RecordedCall[]; errors: (string | undefined)[] }> {
  const run = await runWhmcs({
    settings: { suite_url: t.baseUrl, brand: 'wrap-shop', hook_secret: secret },
    registrarConfig: { recorder: { api_key: 'recorder-key' } },
    files: { 'modules/registrars/recorder/recorder.php': RECORDER },
    include: ['modules/registrars/privacysuite/privacysuite.php'],
    ...over,
    steps: [...steps, { php: 'return $GLOBALS["recorder_calls"] ?? [];' }],
  });
  expect(run.output).toBe('');
  expect(run.includeQueries).toEqual([]);
  expect(run.warnings).toEqual([]);
  const n = steps.length;
  return {
    results: run.steps.slice(0, n).map((s) => s.result),
    errors: run.steps.slice(0, n).map((s) => (s.error ? `${s.error.class}: ${s.error.message}` : undefined)),
    calls: stepResult<RecordedCall[]>(run, n),
  };
}

const call = (fn: string, params: Record<string, unknown>): WhmcsStep => ({ call: `privacysuite_${fn}`, args: [params] });

/** The contact fields of the registrant set and the admin set. */
const CONTACT_KEYS = ['firstname', 'lastname', 'companyname', 'email', 'address1', 'address2', 'city', 'state', 'postcode', 'countrycode', 'phonenumber', 'fullphonenumber'];
const ADMIN_KEYS = CONTACT_KEYS.map((k) => (k === 'countrycode' ? 'admincountry' : `admin${k}`));

function expectPrivacyContacts(p: Record<string, unknown>): void {
  expect(p).toMatchObject({ firstname: 'Domain', lastname: 'Privacy Service', companyname: SVC.org, address1: SVC.street[0], address2: '', city: SVC.city, postcode: SVC.pc, countrycode: 'GB', phonenumber: '2070000000', fullphonenumber: SVC.voice });
  expect(p.email).toMatch(/^[0-9a-f]{24}@privacy\.test-hosting\.example$/);
  expect(p).toMatchObject({ adminfirstname: 'Domain', adminlastname: 'Privacy Service', admincompanyname: SVC.org, admincity: SVC.city, admincountry: 'GB', adminfullphonenumber: SVC.voice });
  expect(p.adminemail).toMatch(/^[0-9a-f]{24}@privacy\.test-hosting\.example$/);
  expect(p.adminemail).not.toBe(p.email);
  const contactText = JSON.stringify([...CONTACT_KEYS, ...ADMIN_KEYS].map((k) => p[k]));
  for (const own of ['Ada', 'Lovelace', 'Lövelace', 'ada7@example.org', 'Analytical', 'NW1 6XE', '2079460018']) expect(contactText).not.toContain(own);
}

describe('the registrar wrapper', () => {
  it('WSM-17: register with ID protection on: the real module gets the privacy contacts in $params and $params[original], with its own settings', async () => {
    const { results, calls } = await wrapper([call('RegisterDomain', wrapperParams('wrapped', { idprotection: true }))]);
    expect(results[0]).toEqual({ success: true });
    expect(calls.map((c) => c.fn)).toEqual(['RegisterDomain']);
    const p = calls[0].params;
    expectPrivacyContacts(p);
    expectPrivacyContacts(p.original!);
    expect(p.original!.email).toBe(p.email);
    expect(p).toMatchObject({ sld: 'wrapped', tld: 'com', userid: 7, regperiod: 1, api_key: 'recorder-key' });
    expect(p).not.toHaveProperty('wrapped_module');
    // The suite logged the transfer of the privacy contacts (no customer field).
    const logged = (await disclosures(t.suite, brandId)).filter((d) => d.reference.startsWith('registrant:wrapped.com:'));
    expect(logged).toHaveLength(1);
    expect([...logged[0].fields].sort()).toEqual(['admin.privacy-service', 'billing.privacy-service', 'registrant.privacy-service', 'tech.privacy-service']);
  });

  it('WSM-17: register with ID protection off: the customer\'s own contacts, untouched in $params and $params[original]', async () => {
    const params = wrapperParams('owndata', { idprotection: false });
    const { results, calls } = await wrapper([call('RegisterDomain', params)]);
    expect(results[0]).toEqual({ success: true });
    const p = calls[0].params;
    for (const k of [...CONTACT_KEYS, ...ADMIN_KEYS]) expect(p[k]).toEqual(params[k]);
    expect(p.original).toMatchObject({ firstname: 'Ada', lastname: 'Lövelace', email: 'ada7@example.org', adminlastname: 'Lövelace' });
    expect(p.api_key).toBe('recorder-key');
  });

  it('ID protection on without a privacy-service contact: the customer\'s own go, left as WHMCS built them (original not transliterated)', async () => {
    const { privacyService: _none, ...noService } = REGISTRANT_SETTINGS;
    const plainSecret = await registrantBrand(t.suite, 'nosvc-shop', { modules: { registrant: noService } });
    const params = wrapperParams('fallback', { idprotection: true, firstname: 'Ada Maria', adminfirstname: 'Ada Maria' });
    const original = { ...(params.original as Record<string, unknown>), firstname: 'Ada Maria', adminfirstname: 'Ada Maria' };
    const { results, calls } = await wrapper([call('RegisterDomain', { ...params, original })], { settings: { suite_url: t.baseUrl, brand: 'nosvc-shop', hook_secret: plainSecret } });
    expect(results[0]).toEqual({ success: true });
    const p = calls[0].params;
    for (const k of [...CONTACT_KEYS, ...ADMIN_KEYS]) expect(p[k]).toEqual(params[k]);
    expect(p.original).toMatchObject({ firstname: 'Ada Maria', lastname: 'Lövelace', adminlastname: 'Lövelace' });
  });

  it('save contacts with ID protection on: every contactdetails section, $params and $params[original] carry the privacy contacts', async () => {
    const person = (first: string, email: string) => ({
      'First Name': first, 'Last Name': 'Byron', 'Company Name': '', 'Email Address': email, 'Address 1': '1 New Street', 'Address 2': '',
      City: 'Leeds', State: 'West Yorkshire', Postcode: 'LS1 1AA', Country: 'GB', 'Phone Number': '+44.1130000000',
    });
    const contactdetails = { Registrant: person('Ann', 'ann@example.org'), Admin: person('Bob', 'bob@example.org'), Technical: person('Bob', 'bob@example.org'), Billing: person('Bob', 'bob@example.org') };
    const { results, calls } = await wrapper([call('SaveContactDetails', wrapperParams('saved', { idprotection: true, contactdetails }))]);
    expect(results[0]).toEqual({ success: true });
    const p = calls[0].params;
    expectPrivacyContacts(p);
    expectPrivacyContacts(p.original!);
    const d = p.contactdetails!;
    for (const section of ['Registrant', 'Admin', 'Technical', 'Billing']) {
      expect(d[section]).toMatchObject({ 'First Name': 'Domain', 'Last Name': 'Privacy Service', 'Company Name': SVC.org, 'Address 1': SVC.street[0], City: SVC.city, Postcode: SVC.pc, Country: 'GB', 'Phone Number': SVC.voice });
      expect(d[section]['Email Address']).toMatch(/@privacy\.test-hosting\.example$/);
    }
    expect(d.Registrant['Email Address']).toBe(p.email);
    expect(new Set(['Registrant', 'Admin', 'Technical', 'Billing'].map((s) => d[s]['Email Address'])).size).toBe(4); // per role
    expect(JSON.stringify(d)).not.toMatch(/Byron|ann@|bob@|Leeds/);
    // The suite holds the new details the customer entered (for escrow), not the old profile.
    const row = await t.suite.kernel.db('registrant_domains').where({ brand_id: brandId, domain: 'saved.com' }).first();
    const held = await t.suite.kernel.db('registrant_contacts').where({ domain_id: row.id, role: 'registrant' }).first();
    expect(JSON.parse(await t.suite.kernel.keyring.decrypt(held.data_enc))).toMatchObject({ name: 'Ann Byron', email: 'ann@example.org' });
  });

  it('ID protection toggle: on passes the privacy contacts, off the customer\'s own, with protectenable unchanged', async () => {
    const { results, calls } = await wrapper([
      call('IDProtectToggle', wrapperParams('toggled', { protectenable: true })),
      call('IDProtectToggle', wrapperParams('toggled', { protectenable: false })),
    ]);
    expect(results).toEqual([{ success: true }, { success: true }]);
    expect(calls.map((c) => c.fn)).toEqual(['IDProtectToggle', 'IDProtectToggle']);
    expectPrivacyContacts(calls[0].params);
    expectPrivacyContacts(calls[0].params.original!);
    expect(calls[0].params.protectenable).toBe(true);
    expect(calls[1].params).toMatchObject({ protectenable: false, firstname: 'Ada', lastname: 'Lovelace', email: 'ada7@example.org', adminemail: 'ada7@example.org' });
    expect(calls[1].params.original).toMatchObject({ lastname: 'Lövelace' });
  });

  it('other functions pass through unchanged, objects included; no contacts are asked for', async () => {
    const before = (await disclosures(t.suite, brandId)).length;
    const { results, calls } = await wrapper([
      call('GetEPPCode', wrapperParams('plain')),
      call('GetNameservers', wrapperParams('plain')),
      call('RenewDomain', wrapperParams('plain', { regperiod: 2 })),
      {
        php: `$obj = new \\stdClass(); $obj->id = 42;
          $params = ['sld' => 'plain', 'tld' => '.com', 'wrapped_module' => 'recorder', 'domainObj' => $obj, 'firstname' => 'Ada'];
          $answer = privacysuite_GetDomainInformation($params);
          $got = end($GLOBALS['recorder_calls'])['params'];
          return ['class' => get_class($answer), 'domain' => $answer->domain, 'sameObject' => $got['domainObj'] === $obj, 'firstname' => $got['firstname']];`,
      },
    ]);
    expect(results[0]).toEqual({ eppcode: 'recorder-epp-plain' });
    expect(results[1]).toEqual({ ns1: 'ns1.recorder.test', ns2: 'ns2.recorder.test' });
    expect(results[2]).toEqual({ success: true, note: 'renewed by recorder' });
    expect(results[3]).toEqual({ class: 'RecorderDomainInfo', domain: 'plain.com', sameObject: true, firstname: 'Ada' });
    const renew = calls.find((c) => c.fn === 'RenewDomain')!.params;
    const { wrapped_module: _w, suite_unreachable: _s, ...sent } = wrapperParams('plain', { regperiod: 2 });
    expect(renew).toEqual({ ...sent, api_key: 'recorder-key' });
    expect((await disclosures(t.suite, brandId)).length).toBe(before);
  });

  it('a function the real module lacks answers WHMCS\'s error form; its exceptions stay its own', async () => {
    const { results, errors, calls } = await wrapper([
      call('GetDNS', wrapperParams('plain')),
      call('SaveNameservers', wrapperParams('plain')),
      call('CheckAvailability', wrapperParams('plain')),
    ]);
    expect(results[0]).toEqual({ error: expect.stringMatching(/^Privacy Suite: .*recorder.*GetDNS/) });
    expect(results[1]).toEqual({ error: expect.stringMatching(/^Privacy Suite: .*SaveNameservers/) });
    // CheckAvailability reports failure by throwing (WHMCS's contract): the real module's exception goes on unchanged.
    expect(errors[2]).toBe('RuntimeException: recorder: availability lookup failed');
    expect(calls.map((c) => c.fn)).toEqual(['SaveNameservers', 'CheckAvailability']);
  });

  it('suite unreachable: refuse (the default) answers an error and sends nothing; "own" sends the customer\'s contacts', async () => {
    const down = { settings: { suite_url: 'http://127.0.0.1:9', brand: 'wrap-shop', hook_secret: secret, timeout_seconds: 2, connect_timeout_seconds: 1 } };
    const refused = await wrapper([
      call('RegisterDomain', wrapperParams('down', { idprotection: true })),
      call('TransferDomain', wrapperParams('down', { idprotection: true, suite_unreachable: '' })),
    ], down);
    for (const r of refused.results) expect(r).toEqual({ error: expect.stringMatching(/^Privacy Suite: the suite could not be reached/) });
    expect(JSON.stringify(refused.results)).not.toMatch(/Ada|Lovelace|ada7/);
    expect(refused.calls).toEqual([]);
    const own = await wrapper([call('RegisterDomain', wrapperParams('down', { idprotection: true, suite_unreachable: 'own' }))], down);
    expect(own.results[0]).toEqual({ success: true });
    expect(own.calls[0].params).toMatchObject({ firstname: 'Ada', lastname: 'Lovelace', email: 'ada7@example.org', api_key: 'recorder-key' });
  });

  it('the real module is the registrar setting wrapped_module, else the addon\'s registrar_module; neither answers WHMCS\'s error form', async () => {
    const settings = { suite_url: t.baseUrl, brand: 'wrap-shop', hook_secret: secret };
    const fromAddon = await wrapper([call('GetEPPCode', wrapperParams('plain', { wrapped_module: '' }))], { settings: { ...settings, registrar_module: 'recorder' } });
    expect(fromAddon.results[0]).toEqual({ eppcode: 'recorder-epp-plain' });
    const none = await wrapper([call('GetEPPCode', wrapperParams('plain', { wrapped_module: '' })), call('GetEPPCode', wrapperParams('plain', { wrapped_module: 'privacysuite' }))], { settings });
    for (const r of none.results) expect(r).toEqual({ error: expect.stringMatching(/^Privacy Suite: no registrar module to wrap/) });
    const missing = await wrapper([call('GetEPPCode', wrapperParams('plain', { wrapped_module: 'nosuchmodule' }))], { settings });
    expect(missing.results[0]).toEqual({ error: 'Privacy Suite: the registrar module nosuchmodule is not installed' });
    expect([...none.calls, ...missing.calls]).toEqual([]);
  });

  it('a refusal by the suite (invalid contacts) answers WHMCS\'s error form with its code and sends nothing', async () => {
    const { results, calls } = await wrapper([call('RegisterDomain', wrapperParams('bad_label!', { idprotection: true }))]);
    expect(results[0]).toEqual({ error: 'Privacy Suite: the suite refused the contacts (SUITE_VALIDATION_FAILED)' });
    expect(calls).toEqual([]);
  });

  it('MS-5.1: a transfer is logged as a disclosure once, though the PreRegistrarTransferDomain hook and the wrapper both hand the contacts over', async () => {
    const params = wrapperParams('moved', { idprotection: true, eppcode: 'secret-epp' });
    const hook = await postHook(t.baseUrl, 'PreRegistrarTransferDomain', secret, { brand: 'wrap-shop', vars: { params: { ...params, original: undefined } } });
    expect(hook.status).toBe(200);
    const afterHook = (await disclosures(t.suite, brandId)).filter((d) => d.reference.startsWith('registrant:moved.com:'));
    expect(afterHook).toHaveLength(1);
    const { results, calls } = await wrapper([call('TransferDomain', params)]);
    expect(results[0]).toEqual({ success: true });
    expectPrivacyContacts(calls[0].params);
    expect(calls[0].params.eppcode).toBe('secret-epp');
    const logged = (await disclosures(t.suite, brandId)).filter((d) => d.reference.startsWith('registrant:moved.com:'));
    expect(logged).toEqual(afterHook);
    const row = await t.suite.kernel.db('registrant_domains').where({ brand_id: brandId, domain: 'moved.com' }).first();
    expect(row.status).toBe('transferring');
  });
});
