/** Rectification at the registrar (MS-8e) through the outbox: retried while the registrar is unreachable, delivered once. */
import { useRegistrar } from '../../../modules/registrant/transfer/registrar-lookup';
import { drainOutbox, postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { disclosures, FakeRegistrar, registrantBrand, whmcsParams } from './fixtures';

const registrar = new FakeRegistrar();
let withRegistrar = true;
let t: TestSuite;
let secret: string;
let brandId: number;

const drainUntilSettled = (): Promise<void> => drainOutbox(t.suite);
async function registerFor(userid: number, sld: string): Promise<void> {
  await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'rect-shop', vars: { client_id: userid, firstname: 'Ada', lastname: 'Lovelace', email: `ada${userid}@example.org`, country: 'GB' } });
  for (const hook of ['PreRegistrarRegisterDomain', 'AfterRegistrarRegistration']) {
    const r = await postHook(t.baseUrl, hook, secret, { brand: 'rect-shop', vars: { params: whmcsParams(userid, sld, 'com') } });
    expect(r.body.abortWithError).toBeUndefined();
  }
}

beforeAll(async () => {
  useRegistrar(() => (withRegistrar ? registrar : undefined));
  t = await startTestSuite({ config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 4 } });
  secret = await registrantBrand(t.suite, 'rect-shop');
  brandId = (await t.suite.kernel.brands.get('rect-shop')).id;
});
afterAll(async () => {
  useRegistrar();
  await t?.close();
});

describe('rectification at the registrar', () => {
  it('MS-8e: a rectified customer\'s contacts are updated at the registrar through the outbox', async () => {
    await registerFor(21, 'first');
    await registerFor(21, 'second');
    const edit = await postHook(t.baseUrl, 'ClientEdit', secret, { brand: 'rect-shop', vars: { userid: 21, lastname: 'King', address1: '1 Ockham Park', city: 'Ripley', phonenumber: '01483 000111' } });
    expect(edit.status).toBe(200);
    expect(edit.body.afterHookFailures).toBeUndefined();
    await drainUntilSettled();
    const saves = registrar.calls.filter((c) => c.fn === 'saveContactDetails');
    expect(saves.map((c) => c.domain).sort()).toEqual(['first.com', 'second.com']);
    for (const s of saves) {
      // The admin set was the client's own: every role is rectified.
      for (const role of ['registrant', 'admin', 'tech', 'billing'] as const) {
        expect(s.contacts![role]).toMatchObject({ name: 'Ada King', street: ['1 Ockham Park', 'Flat 3'], city: 'Ripley', voice: '+44.1483000111' });
      }
    }
    const subject = await t.suite.kernel.subjects.findByExternal(brandId, 'client', 21);
    const logged = (await disclosures(t.suite, brandId)).filter((r) => r.reference.startsWith('registrant.save-contacts:'));
    expect(logged).toHaveLength(2);
    for (const l of logged) expect(l).toMatchObject({ subject_id: subject!.id, recipient: 'registrar', purpose: 'domain-registration', categories: ['contact', 'registration'] });
    // The same details again: nothing new to send.
    await postHook(t.baseUrl, 'ClientEdit', secret, { brand: 'rect-shop', vars: { userid: 21, lastname: 'King' } });
    expect(await t.suite.kernel.db('outbox').where({ topic: 'registrant.save-contacts', state: 'pending' }).first()).toBeUndefined();
  });

  it('a changed contact (ContactEdit) rectifies the domains it is the admin contact of', async () => {
    await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'rect-shop', vars: { client_id: 23, firstname: 'Ada', lastname: 'Lovelace', email: 'ada23@example.org', country: 'GB' } });
    const params = whmcsParams(23, 'team', 'com', { adminfirstname: 'Charles', adminlastname: 'Babbage', adminemail: 'charles@example.org' });
    await postHook(t.baseUrl, 'PreRegistrarRegisterDomain', secret, { brand: 'rect-shop', vars: { params } });
    const before = registrar.calls.length;
    await postHook(t.baseUrl, 'ContactEdit', secret, { brand: 'rect-shop', vars: { userid: 23, contactid: 5, email: 'c.babbage@example.org', olddata: { email: 'charles@example.org' } } });
    await drainUntilSettled();
    const sent = registrar.calls.slice(before).filter((c) => c.domain === 'team.com');
    expect(sent).toHaveLength(1);
    expect(sent[0].contacts!.admin!.email).toBe('c.babbage@example.org');
    expect(sent[0].contacts!.registrant!.email).toBe('ada23@example.org');
  });

  it('registrar unreachable during a contact update: the outbox retries and delivers once', async () => {
    await registerFor(22, 'flaky');
    registrar.failures = 2;
    const attemptsBefore = registrar.attempts.length;
    const callsBefore = registrar.calls.length;
    await postHook(t.baseUrl, 'ClientEdit', secret, { brand: 'rect-shop', vars: { userid: 22, city: 'Cambridge' } });
    await drainUntilSettled();
    const attempts = registrar.attempts.slice(attemptsBefore);
    const calls = registrar.calls.slice(callsBefore);
    expect(attempts).toHaveLength(3);
    expect(calls).toHaveLength(1);
    expect(calls[0].contacts!.registrant!.city).toBe('Cambridge');
    expect(new Set(attempts.map((a) => a.requestId)).size).toBe(1); // one idempotency key across the retries
    const row = await t.suite.kernel.db('outbox').where({ topic: 'registrant.save-contacts' }).orderBy('id', 'desc').first();
    expect(row.state).toBe('delivered');
    expect(Number(row.attempts)).toBe(3);
  });

  it('no registrar configured: the message retries, then waits as a dead letter saying so', async () => {
    await registerFor(24, 'orphan');
    withRegistrar = false;
    try {
      await postHook(t.baseUrl, 'ClientEdit', secret, { brand: 'rect-shop', vars: { userid: 24, city: 'Bath' } });
      await drainUntilSettled();
      const row = await t.suite.kernel.db('outbox').where({ topic: 'registrant.save-contacts' }).orderBy('id', 'desc').first();
      expect(row.state).toBe('dead');
      expect(row.last_error).toMatch(/no registrar module configured/);
      expect(row.last_error).not.toMatch(/Bath|ada24/);
    } finally {
      withRegistrar = true;
    }
  });
});
