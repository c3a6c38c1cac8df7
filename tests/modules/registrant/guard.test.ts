/** The guard: a brand whose profile registers no registrar recipient passes no registrant data to any registrar (MS-5.1). */
import { useRegistrar } from '../../../modules/registrant/transfer/registrar-lookup';
import { signHook } from '../../../core/http/signature';
import { count, postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { FakeRegistrar, postContacts, registrantBrand, REGISTRANT_SETTINGS, whmcsParams } from './fixtures';

const registrar = new FakeRegistrar();
let t: TestSuite;
let secret: string;
let brandId: number;

beforeAll(async () => {
  useRegistrar(() => registrar);
  t = await startTestSuite();
  // Recipients replace the defaults: email and authorities only, no registrar.
  secret = await registrantBrand(t.suite, 'mail-only', { recipients: [
    { code: 'email', name: 'Transactional email provider', kind: 'email', purposes: ['service', 'legal'], categories: ['contact'] },
    { code: 'authority', name: 'Authorities', kind: 'authority', purposes: ['legal'], categories: ['contact'] },
  ], modules: { registrant: REGISTRANT_SETTINGS } });
  brandId = (await t.suite.kernel.brands.get('mail-only')).id;
  await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'mail-only', vars: { client_id: 51, firstname: 'Ada', lastname: 'Lovelace', email: 'ada51@example.org', country: 'GB' } });
});
afterAll(async () => {
  useRegistrar();
  await t?.close();
});

it('MS-5.1: a brand that registers no registrar recipient: the PreRegistrar bindings do nothing, the endpoints answer 422, nothing reaches the outbox or the disclosure log', async () => {
  const before = { outbox: await count(t.suite, 'outbox'), log: await count(t.suite, 'disclosure_log') };
  for (const hook of ['PreRegistrarRegisterDomain', 'PreRegistrarTransferDomain', 'AfterRegistrarRegistration']) {
    const r = await postHook(t.baseUrl, hook, secret, { brand: 'mail-only', vars: { params: whmcsParams(51, 'nope', 'com', { idprotection: true }) } });
    expect(r.status).toBe(200);
    expect(r.body.abortWithError).toBeUndefined();
    expect(JSON.stringify(r.body)).not.toContain('registrant');
  }
  const edit = await postHook(t.baseUrl, 'ClientEdit', secret, { brand: 'mail-only', vars: { userid: 51, city: 'Bath' } });
  expect(edit.status).toBe(200);

  const contacts = await postContacts(t.baseUrl, secret, { brand: 'mail-only', params: whmcsParams(51, 'nope', 'com') });
  expect(contacts.status).toBe(422);
  expect(contacts.body.code).toBe('SUITE_RECIPIENT_UNKNOWN');
  // Even a thin registry (no contacts to send) is refused: the brand sells no domains through the suite.
  expect((await postContacts(t.baseUrl, secret, { brand: 'mail-only', params: whmcsParams(51, 'thin', 'example-thin') })).status).toBe(422);
  const raw = JSON.stringify({ brand: 'mail-only', params: { ...whmcsParams(51, 'nope', 'com'), protectenable: true } });
  const ts = Math.floor(Date.now() / 1000);
  const toggle = await fetch(`${t.baseUrl}/api/v1/registrant/id-protection`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-suite-timestamp': String(ts), 'x-suite-signature': signHook(secret, ts, raw) }, body: raw });
  expect(toggle.status).toBe(422);

  await t.suite.worker.drain();
  expect(await count(t.suite, 'outbox')).toBe(before.outbox);
  expect(await count(t.suite, 'disclosure_log')).toBe(before.log);
  expect(await t.suite.kernel.db('registrant_domains').where({ brand_id: brandId }).first()).toBeUndefined();
  expect(registrar.attempts).toEqual([]);
});
