/**
 * Rectification (MS-8e / TOS-1.4): a verified request corrects the subject register, the platform's record and the
 * registrar's contacts (through the outbox, logged as a disclosure) in one go; bad values are refused by field.
 */
import type { PlatformService } from '../../../modules/platform';
import { useRegistrar } from '../../../modules/registrant/transfer/registrar-lookup';
import { drainOutbox, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { disclosures, FakeRegistrar, REGISTRANT_SETTINGS } from '../registrant/fixtures';
import { adminKey, RIGHTS_PROFILE, rightsBrand, rightsCall, signUp } from './fixtures';

const registrar = new FakeRegistrar();
const REGISTRAR = { code: 'registrar', name: 'Domain registrar', kind: 'registrar', purposes: ['domain-registration'], categories: ['contact', 'registration'] };
let t: TestSuite;
let key: string;
let brandId: number;

const platform = () => t.suite.kernel.service<PlatformService>('platform');
const call = (method: string, path: string, body?: unknown) => rightsCall(t.baseUrl, key, 'fix-shop', method, path, body);
const field = async (subjectId: number, name: string) => (await t.suite.kernel.subjects.fields(subjectId)).find((f) => f.name === name)?.value;
const outboxCount = async () => Number(((await t.suite.kernel.db('outbox').count({ n: '*' }).first()) as { n: number | string }).n);

/** A customer signed up through the platform with one registered .com domain. */
async function customerWithDomain(n: number): Promise<{ clientId: number; subjectId: number; domain: string }> {
  const c = await signUp(t.suite, 'fix-shop', n);
  const domain = `lovelace-${n}.com`;
  const o = await platform().order(c.clientId, [{ type: 'domain', name: domain, regperiod: 1, idprotection: false, amount: 12 }], { accepttos: true });
  await platform().registerDomain(o.domainIds[0]);
  return { ...c, domain };
}

/** Opens a verified rectification and fulfils it. */
async function rectify(subjectId: number, changes: Record<string, string>) {
  const open = await call('POST', '/requests', { type: 'rectify', subjectId, changes, verified: 'manual' });
  expect(open.status).toBe(201);
  return { id: open.body.request.id as number, res: await call('POST', `/requests/${open.body.request.id}/fulfil`) };
}

beforeAll(async () => {
  useRegistrar(() => registrar);
  t = await startTestSuite({ config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 4 } });
  await rightsBrand(t.suite, 'fix-shop', { recipients: [...RIGHTS_PROFILE.recipients, REGISTRAR], modules: { registrant: REGISTRANT_SETTINGS } });
  brandId = (await t.suite.kernel.brands.get('fix-shop')).id;
  key = await adminKey(t.suite);
});
afterAll(async () => {
  useRegistrar();
  await t?.close();
});

describe('rectification', () => {
  it('MS-8e: a corrected address reaches the inventory, the platform record and the registrar, and the transfer is logged', async () => {
    const { clientId, subjectId, domain } = await customerWithDomain(1);
    const before = registrar.calls.length;
    const { id, res } = await rectify(subjectId, { address1: ' 7 Ockham Park ', city: 'Ripley', postcode: 'GU23 6NQ' });
    expect(res.status).toBe(200);
    const result = res.body.request.result;
    expect(res.body.request.status).toBe('fulfilled');
    expect(result.fields).toEqual(['address1', 'city', 'postcode']);
    expect(result.modules.platform).toEqual({ updated: ['address1', 'city', 'postcode'], propagated: [] });
    expect(result.modules.inventory).toEqual({ updated: ['address1', 'city', 'postcode'], propagated: [] });
    expect(result.modules.registrant).toMatchObject({ updated: ['address1', 'city', 'postcode'], propagated: [expect.stringMatching(/^outbox:\d+$/)], notSent: [] });
    expect(result.recipients).toEqual(['registrar']);
    expect(result.transfers).toEqual([{ outboxId: expect.any(Number), recipient: 'registrar', topic: 'registrant.save-contacts' }]);

    // The register and the platform hold the new values (trimmed) …
    expect(await field(subjectId, 'address1')).toBe('7 Ockham Park');
    expect(await field(subjectId, 'city')).toBe('Ripley');
    expect((await platform().client(clientId)).details).toMatchObject({ address1: '7 Ockham Park', city: 'Ripley', postcode: 'GU23 6NQ', firstname: 'Ada', email: 'ada.1@example.org' });
    // … and, once the outbox is delivered, so does the registrar, for every role.
    await drainOutbox(t.suite, { brandId });
    const sent = registrar.calls.slice(before).filter((c) => c.fn === 'saveContactDetails');
    expect(sent.map((c) => c.domain)).toEqual([domain]);
    for (const role of ['registrant', 'admin', 'tech', 'billing'] as const) {
      expect(sent[0].contacts![role]).toMatchObject({ name: 'Ada Lovelace1', street: ['7 Ockham Park'], city: 'Ripley', pc: 'GU23 6NQ', cc: 'GB' });
    }
    const msg = await t.suite.kernel.db('outbox').where({ id: result.transfers[0].outboxId }).first();
    expect(msg.state).toBe('delivered');
    const logged = (await disclosures(t.suite, brandId)).filter((d) => d.reference === msg.idempotency_key);
    expect(logged).toEqual([expect.objectContaining({ subject_id: subjectId, recipient: 'registrar', purpose: 'domain-registration', categories: ['contact', 'registration'] })]);

    // The timeline and the audit log name fields and ids, never the values.
    const read = await call('GET', `/requests/${id}`);
    expect(read.body.events.map((e: { event: string }) => e.event)).toEqual(['received', 'verified', 'in-progress', 'rectified', 'fulfilled']);
    const audit = await t.suite.kernel.db('audit_log').where({ target_type: 'rights_request', target_id: String(id) }).select('details');
    expect(JSON.stringify(audit)).not.toMatch(/Ockham|Ripley|GU23/);
  });

  it('MS-8e: a corrected email moves the blind indexes and goes to the registrar', async () => {
    const { clientId, subjectId } = await customerWithDomain(2);
    const before = registrar.calls.length;
    const { res } = await rectify(subjectId, { email: 'Ada.King@Example.org' });
    expect(res.status).toBe(200);
    expect((await platform().client(clientId)).details!.email).toBe('Ada.King@Example.org');
    expect((await t.suite.kernel.subjects.findByEmail([brandId], 'ada.king@example.org')).map((s) => s.id)).toEqual([subjectId]);
    expect(await t.suite.kernel.subjects.findByEmail([brandId], 'ada.2@example.org')).toEqual([]);
    const row = await t.suite.kernel.db('platform_clients').where({ id: clientId }).first('email_hash');
    expect(row.email_hash).toBe(t.suite.kernel.keyring.blindIndex('ada.king@example.org'));
    await drainOutbox(t.suite, { brandId });
    const sent = registrar.calls.slice(before).filter((c) => c.fn === 'saveContactDetails');
    expect(sent).toHaveLength(1);
    expect(sent[0].contacts!.registrant!.email).toBe('Ada.King@Example.org');
  });

  it('MS-8e: invalid values are refused with 400 naming each field, and nothing is written', async () => {
    const { clientId, subjectId } = await customerWithDomain(3);
    const detailsBefore = (await platform().client(clientId)).details;
    const outboxBefore = await outboxCount();
    for (const [changes, fields] of [
      [{ country: 'Germany' }, ['changes.country']],
      [{ email: 'x' }, ['changes.email']],
      [{ firstname: '   ', phonenumber: 'call me' }, ['changes.firstname', 'changes.phonenumber']],
      [{ country: 'XX', city: 'Ripley' }, ['changes.country']],
    ] as [Record<string, string>, string[]][]) {
      // Refused at intake: no request is opened.
      const requestsBefore = await t.suite.kernel.db('rights_requests').count({ n: '*' }).first();
      const res = await call('POST', '/requests', { type: 'rectify', subjectId, changes, verified: 'manual' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('SUITE_VALIDATION_FAILED');
      expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(fields);
      expect(await t.suite.kernel.db('rights_requests').count({ n: '*' }).first()).toEqual(requestsBefore);
    }
    expect((await platform().client(clientId)).details).toEqual(detailsBefore);
    expect(await field(subjectId, 'country')).toBe('GB');
    expect(await field(subjectId, 'city')).toBe('Marylebone');
    expect(await outboxCount()).toBe(outboxBefore);
    // A lower-case code is a valid correction, normalised.
    const ok = await rectify(subjectId, { country: 'de' });
    expect(ok.res.status).toBe(200);
    expect(await field(subjectId, 'country')).toBe('DE');
  });

  it('MS-8e: a correction the registry would refuse is stored and reported, not sent and not thrown', async () => {
    const { clientId, subjectId } = await customerWithDomain(4);
    const outboxBefore = await outboxCount();
    const { res } = await rectify(subjectId, { city: '' });
    expect(res.status).toBe(200);
    const reg = res.body.request.result.modules.registrant;
    expect(reg).toMatchObject({ updated: [], propagated: [], notSent: [expect.stringMatching(/^domain \d+: the corrected contact fails registry validation/)] });
    expect(reg.domains.invalid).toHaveLength(1);
    expect((await platform().client(clientId)).details!.city).toBe('');
    expect(await outboxCount()).toBe(outboxBefore);
  });

  it('MS-8e: a contact is corrected on its own record, not on its client\'s', async () => {
    const { clientId, subjectId: clientSubject } = await customerWithDomain(5);
    const { contactId } = await platform().addContact(clientId, { firstname: 'Charles', lastname: 'Babbage', email: 'charles@example.org', country: 'GB' });
    const contact = await t.suite.kernel.subjects.findByExternal(brandId, 'contact', contactId);
    const { res } = await rectify(contact!.id, { lastname: 'Babbage-Smith' });
    expect(res.status).toBe(200);
    expect(res.body.request.result.modules.platform.updated).toEqual(['lastname']);
    const row = await t.suite.kernel.db('platform_contacts').where({ id: contactId }).first('personal_enc');
    expect(JSON.parse(await t.suite.kernel.keyring.decrypt(row.personal_enc))).toMatchObject({ firstname: 'Charles', lastname: 'Babbage-Smith' });
    expect(await field(contact!.id, 'lastname')).toBe('Babbage-Smith');
    expect(await field(clientSubject, 'lastname')).toBe('Lovelace5');
    expect((await platform().client(clientId)).details!.lastname).toBe('Lovelace5');
  });

  it('a fulfilment resumed after its answer was committed returns that answer and sends nothing twice', async () => {
    const { subjectId } = await customerWithDomain(6);
    const { id, res } = await rectify(subjectId, { city: 'Bath' });
    expect(res.status).toBe(200);
    // As if the process died between the answer's commit and the request's "fulfilled".
    await t.suite.kernel.db('rights_requests').where({ id }).update({ status: 'in-progress', fulfilled_at: null });
    const outboxBefore = await outboxCount();
    const again = await call('POST', `/requests/${id}/fulfil`);
    expect(again.status).toBe(200);
    expect(again.body.request.result).toMatchObject({ resumed: true, fields: ['city'], recipients: ['registrar'] });
    expect(await outboxCount()).toBe(outboxBefore);
  });
});
