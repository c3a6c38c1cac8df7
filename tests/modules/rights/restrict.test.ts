/**
 * Restriction of processing (SP-5.1, "blocking"): after a restriction request the data is only stored — no marketing
 * email, no outbox transfer but for storage or legal claims, no contacts to the registrar — while hooks still answer;
 * the person's own access and erasure still work; the admin lifts it and processing resumes.
 */
import type { Knex } from 'knex';
import type { ConsentService } from '../../../modules/consent/consent-service';
import type { PlatformService } from '../../../modules/platform';
import { useRegistrar } from '../../../modules/registrant/transfer/registrar-lookup';
import type { DomainContacts } from '../../../modules/registrars/contract';
import { count, drainOutbox, postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { FakeRegistrar, postContacts, REGISTRANT_SETTINGS, whmcsParams } from '../registrant/fixtures';
import { adminKey, RIGHTS_PROFILE, rightsBrand, rightsCall, signUp } from './fixtures';

/** A registrar that creates contact objects itself, so the suite sends a new domain's contacts through the outbox. */
class CreatingRegistrar extends FakeRegistrar {
  createContacts(req: { contacts: DomainContacts; requestId?: string }) {
    this.calls.push({ fn: 'createContacts', domain: '', contacts: req.contacts, requestId: req.requestId });
    return Promise.resolve({ ok: true as const, data: {} });
  }
}

const registrar = new FakeRegistrar();
const creating = new CreatingRegistrar();
let serving = false;
const REGISTRAR = { code: 'registrar', name: 'Domain registrar', kind: 'registrar', purposes: ['domain-registration'], categories: ['contact', 'registration'] };
let t: TestSuite;
let key: string;
let secret: string;
let brandId: number;

const platform = () => t.suite.kernel.service<PlatformService>('platform');
const consent = () => t.suite.kernel.service<ConsentService>('consent');
const call = (method: string, path: string, body?: unknown, k = key) => rightsCall(t.baseUrl, k, 'block-shop', method, path, body);
const hook = (name: string, vars: Record<string, unknown>) => postHook(t.baseUrl, name, secret, { brand: 'block-shop', vars });
const preSend = (clientId: number) => hook('EmailPreSend', { messagename: 'Spring Sale', relid: clientId, mergefields: {} });
const field = async (subjectId: number, name: string) => (await t.suite.kernel.subjects.fields(subjectId)).find((f) => f.name === name)?.value;

/** Enqueues a message about the subject for `purpose` in a transaction that is rolled back; answers the error code or 'accepted'. */
async function tryEnqueue(subjectId: number, purpose: string): Promise<string> {
  const profile = await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get('block-shop'));
  const rollback = new Error('rollback');
  try {
    await t.suite.kernel.db.transaction(async (trx: Knex.Transaction) => {
      await t.suite.kernel.outbox.enqueue(trx, profile, { brandId, topic: 'test.message', recipient: 'email', purpose, subjectId, categories: ['contact'], payload: { subjectId } });
      throw rollback;
    });
  } catch (err) {
    if (err === rollback) return 'accepted';
    return (err as { code?: string }).code ?? 'error';
  }
  return 'committed';
}

/** A customer with marketing consent and one registered .com domain. */
async function customer(n: number): Promise<{ clientId: number; subjectId: number }> {
  const c = await signUp(t.suite, 'block-shop', n, { marketing_emails_opt_in: true });
  const o = await platform().order(c.clientId, [{ type: 'domain', name: `blocked-${n}.com`, regperiod: 1, idprotection: false, amount: 12 }], { accepttos: true });
  await platform().registerDomain(o.domainIds[0]);
  return c;
}

/** Opens a verified request of `type` for the subject and fulfils it. */
async function request(type: string, subjectId: number, extra: Record<string, unknown> = {}) {
  const open = await call('POST', '/requests', { type, subjectId, verified: 'manual', ...extra });
  expect(open.status).toBe(201);
  return { id: open.body.request.id as number, res: await call('POST', `/requests/${open.body.request.id}/fulfil`) };
}

beforeAll(async () => {
  useRegistrar(() => (serving ? creating : registrar));
  t = await startTestSuite({ config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 4 } });
  secret = await rightsBrand(t.suite, 'block-shop', { recipients: [...RIGHTS_PROFILE.recipients, REGISTRAR], modules: { registrant: REGISTRANT_SETTINGS } });
  await rightsBrand(t.suite, 'other-shop');
  brandId = (await t.suite.kernel.brands.get('block-shop')).id;
  key = await adminKey(t.suite);
});
afterAll(async () => {
  useRegistrar();
  await t?.close();
});

describe('restriction of processing', () => {
  it('SP-5.1: a restricted customer gets no marketing, no outbox transfer and no registrar update; hooks still answer; lifting resumes marketing', async () => {
    const { clientId, subjectId } = await customer(1);
    expect((await preSend(clientId)).body.abortsend).toBeUndefined();
    expect(await tryEnqueue(subjectId, 'marketing')).toBe('accepted');

    const { id, res } = await request('restrict', subjectId);
    expect(res.status).toBe(200);
    expect(res.body.request.result).toMatchObject({ subjectId, restricted: true, alreadyRestricted: false, allowedPurposes: ['storage', 'legal'] });
    expect((await t.suite.kernel.subjects.get(subjectId)).restrictedAt).toEqual(expect.any(Number));
    expect((await call('GET', `/subjects/${subjectId}/restriction`)).body.restriction).toMatchObject({ subjectId, restricted: true, requestId: id });
    expect(await t.suite.kernel.db('audit_log').where({ action: 'rights.subject.restricted', target_id: String(subjectId) }).first()).toBeDefined();

    // Marketing: the EmailPreSend gate aborts, and the consent service says no, though consent was given.
    expect((await preSend(clientId)).body).toMatchObject({ ok: true, abortsend: true, data: { messageClass: 'marketing', reason: 'restricted' } });
    expect(await consent().marketingDecision('block-shop', subjectId, 'email')).toEqual({ allowed: false, reason: 'restricted' });
    expect(await consent().canSendMarketing('block-shop', subjectId, 'email')).toBe(false);
    // Transactional mail is not marketing: the gate lets it through (its delivery is the panel's).
    expect((await hook('EmailPreSend', { messagename: 'Invoice Created', relid: clientId, mergefields: {} })).body.abortsend).toBeUndefined();

    // The outbox refuses the data for anything but storage and legal claims.
    expect(await tryEnqueue(subjectId, 'marketing')).toBe('SUITE_SUBJECT_RESTRICTED');
    expect(await tryEnqueue(subjectId, 'service')).toBe('SUITE_SUBJECT_RESTRICTED');
    expect(await tryEnqueue(subjectId, 'legal')).toBe('accepted');

    // A panel edit is stored (the register is storage) but its contacts do not go to the registrar; the hook answers 200.
    const before = registrar.calls.length;
    const outboxBefore = await count(t.suite, 'outbox');
    const edit = await hook('ClientEdit', { userid: clientId, city: 'Ripley', address1: '7 Ockham Park' });
    expect(edit.status).toBe(200);
    expect(edit.body.afterHookFailures).toBeUndefined();
    expect(edit.body.data).toMatchObject({ registrantRectified: { skipped: 'restricted', subjectId } });
    expect(await field(subjectId, 'city')).toBe('Ripley');
    await drainOutbox(t.suite, { brandId });
    expect(registrar.calls.length).toBe(before);
    expect(await count(t.suite, 'outbox')).toBe(outboxBefore);
    expect(await t.suite.kernel.db('hook_failures').where({ brand_id: brandId }).first()).toBeUndefined();

    // Lift: the reason is required; marketing (with the consent given) goes out again.
    const bad = await call('POST', `/subjects/${subjectId}/restriction/lift`, { reason: 'because' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);
    const lift = await call('POST', `/subjects/${subjectId}/restriction/lift`, { reason: 'accuracy-verified' });
    expect(lift.status).toBe(200);
    expect(lift.body.restriction).toMatchObject({ subjectId, restricted: false, reason: 'accuracy-verified', requestId: id });
    expect((await t.suite.kernel.subjects.get(subjectId)).restrictedAt).toBeNull();
    const marketing = await preSend(clientId);
    expect(marketing.body.abortsend).toBeUndefined();
    expect((marketing.body.mergefields as Record<string, string>).unsubscribe_url).toMatch(/unsubscribe\?token=/);
    expect(await tryEnqueue(subjectId, 'marketing')).toBe('accepted');
    const read = await call('GET', `/requests/${id}`);
    expect(read.body.events.map((e: { event: string }) => e.event)).toEqual(['received', 'verified', 'in-progress', 'restricted', 'fulfilled', 'restriction-lifted']);
    expect(await t.suite.kernel.db('audit_log').where({ action: 'rights.subject.restriction-lifted', target_id: String(subjectId) }).first()).toBeDefined();
    // Nothing left to lift.
    expect((await call('POST', `/subjects/${subjectId}/restriction/lift`, { reason: 'accuracy-verified' })).body.code).toBe('SUITE_RIGHTS_NOT_RESTRICTED');
  });

  it('SP-5.1: a restricted customer\'s new domain is refused before registration, not sent after it, and the registrar wrapper gets no contacts', async () => {
    const { clientId, subjectId } = await customer(2);
    await request('restrict', subjectId);
    serving = true;
    try {
      const params = whmcsParams(clientId, 'newblocked', 'com');
      const pre = await hook('PreRegistrarRegisterDomain', { params });
      expect(pre.status).toBe(200);
      expect(pre.body.abortWithError).toMatch(/restricted/);
      const after = await hook('AfterRegistrarRegistration', { params });
      expect(after.status).toBe(200);
      expect(after.body.afterHookFailures).toBeUndefined();
      expect(after.body.data).toMatchObject({ registrant: { skipped: 'restricted', subjectId } });
      expect(await t.suite.kernel.db('outbox').where({ subject_id: subjectId, recipient: 'registrar' }).first()).toBeUndefined();
      // The WHMCS registrar wrapper gets no contacts for them either.
      const disclosuresBefore = await count(t.suite, 'disclosure_log');
      const wrapper = await postContacts(t.baseUrl, secret, { brand: 'block-shop', params });
      expect(wrapper.status).toBe(409);
      expect(wrapper.body.code).toBe('SUITE_SUBJECT_RESTRICTED');
      expect(wrapper.body.contacts).toBeUndefined();
      expect(await count(t.suite, 'disclosure_log')).toBe(disclosuresBefore);
    } finally {
      serving = false;
    }
  });

  it('SP-5.1: restriction does not block storage, a correction, the person\'s own access, or erasure', async () => {
    const { clientId, subjectId } = await customer(3);
    await request('restrict', subjectId);
    // A correction while restricted (Art. 18(1)(a)) is stored; the registrar is not told until the restriction ends.
    const fix = await request('rectify', subjectId, { changes: { postcode: 'GU23 6NQ' } });
    expect(fix.res.status).toBe(200);
    expect(fix.res.body.request.result.modules.platform.updated).toEqual(['postcode']);
    expect(fix.res.body.request.result.modules.registrant).toMatchObject({ propagated: [], notSent: [expect.stringMatching(/restricted/)] });
    expect((await platform().client(clientId)).details!.postcode).toBe('GU23 6NQ');
    // The person's own copy of their data.
    const access = await request('access', subjectId);
    expect(access.res.status).toBe(200);
    expect(access.res.body.request.status).toBe('fulfilled');
    const confirm = await request('confirm', subjectId);
    expect(confirm.res.body.request.result).toMatchObject({ holdsData: true, subject: { restricted: true } });
    // Erasure.
    const erase = await request('erase', subjectId);
    expect(erase.res.status).toBe(200);
    expect((await t.suite.kernel.subjects.get(subjectId)).status).toBe('erased');
  });

  it('the lift route checks the role and the brand', async () => {
    const { subjectId } = await customer(4);
    await request('restrict', subjectId);
    const auditor = await adminKey(t.suite, 'auditor');
    expect((await call('POST', `/subjects/${subjectId}/restriction/lift`, { reason: 'subject-request' }, auditor)).status).toBe(403);
    const other = await rightsCall(t.baseUrl, key, 'other-shop', 'POST', `/subjects/${subjectId}/restriction/lift`, { reason: 'subject-request' });
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('SUITE_SUBJECT_UNKNOWN');
    expect((await t.suite.kernel.subjects.get(subjectId)).restrictedAt).not.toBeNull();
    // Restricting twice keeps the first date.
    const first = (await t.suite.kernel.subjects.get(subjectId)).restrictedAt;
    const again = await request('restrict', subjectId);
    expect(again.res.body.request.result).toMatchObject({ alreadyRestricted: true, restrictedAt: first });
  });
});
