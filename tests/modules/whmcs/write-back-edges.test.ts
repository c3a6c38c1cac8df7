/**
 * The WHMCS write-back at its edges: a contact erased on its own, WHMCS failing half-way through an anonymisation,
 * a brand that has not registered WHMCS as a recipient or has not switched the write-back on, and the echo rules.
 */
import { eraseBatchInTransaction, prepareBatch } from '../../../modules/rights/erase/erase-batch';
import type { RightsService } from '../../../modules/rights/rights-service';
import { expectEcho, isOwnEcho } from '../../../modules/whmcs/echo-marks';
import { drainOutbox, postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { WhmcsApiStandin } from '../../helpers/whmcs-api-standin';
import { adminKey, RIGHTS_PROFILE, rightsBrand, rightsCall, type Json } from '../rights/fixtures';

const whmcs = new WhmcsApiStandin();
const WHMCS_RECIPIENT = { code: 'whmcs', name: 'WHMCS billing panel', kind: 'hosting', purposes: ['legal'], categories: ['contact'] };
let t: TestSuite;
let key: string;
const secrets: Record<string, string> = {};

const brandId = async (slug: string) => (await t.suite.kernel.brands.get(slug)).id;
const whmcsMessages = async (slug: string) => (await t.suite.kernel.db('outbox').where({ brand_id: await brandId(slug) }).where('topic', 'like', 'whmcs.%').orderBy('id')) as Json[];

async function brand(slug: string, opts: { recipient?: boolean; enabled?: boolean } = {}): Promise<void> {
  secrets[slug] = await rightsBrand(t.suite, slug, {
    recipients: [...RIGHTS_PROFILE.recipients, ...(opts.recipient === false ? [] : [WHMCS_RECIPIENT])],
    modules: { whmcs: { enabled: opts.enabled ?? true, apiUrl: whmcs.url, identifier: whmcs.identifier } },
  });
}

async function knownClient(slug: string, contacts = 0): Promise<{ clientId: number; subjectId: number; contactSubjects: number[]; contactIds: number[] }> {
  const c = whmcs.addClient();
  expect((await postHook(t.baseUrl, 'ClientAdd', secrets[slug], { brand: slug, vars: { client_id: c.id, userid: c.id, firstname: c.firstname, lastname: c.lastname, email: c.email, country: 'GB' } })).status).toBe(200);
  const contactIds: number[] = [];
  const contactSubjects: number[] = [];
  for (let i = 0; i < contacts; i++) {
    const k = whmcs.addContact(c.id);
    expect((await postHook(t.baseUrl, 'ContactAdd', secrets[slug], { brand: slug, vars: { userid: c.id, contactid: k.id, firstname: k.firstname, lastname: k.lastname, email: k.email } })).status).toBe(200);
    contactIds.push(k.id);
    contactSubjects.push((await t.suite.kernel.subjects.findByExternal(await brandId(slug), 'contact', k.id))!.id);
  }
  return { clientId: c.id, subjectId: (await t.suite.kernel.subjects.findByExternal(await brandId(slug), 'client', c.id))!.id, contactSubjects, contactIds };
}

async function erase(slug: string, subjectId: number): Promise<Json> {
  const open = await rightsCall(t.baseUrl, key, slug, 'POST', '/requests', { type: 'erase', subjectId, verified: 'manual' });
  const done = await rightsCall(t.baseUrl, key, slug, 'POST', `/requests/${open.body.request.id}/fulfil`);
  expect(done.body.request.status).toBe('fulfilled');
  return done.body.request.result;
}

beforeAll(async () => {
  await whmcs.start();
  process.env.SUITE_WHMCS_API_SECRET = whmcs.secret; // the shared variable serves every brand without its own
  t = await startTestSuite({ config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 4 } });
  key = await adminKey(t.suite);
  await brand('edge-shop');
  await brand('edge-unregistered', { recipient: false });
  await brand('edge-off', { enabled: false });
});
afterAll(async () => {
  delete process.env.SUITE_WHMCS_API_SECRET;
  await t?.close();
  await whmcs.stop();
});

it('MS-8f: a contact erased on its own is anonymised with UpdateContact only; its client stays as it is', async () => {
  const { clientId, contactSubjects, contactIds } = await knownClient('edge-shop', 2);
  const before = whmcs.calls.length;
  const result = await erase('edge-shop', contactSubjects[0]);
  expect(result.processors).toEqual([{ outboxId: expect.any(Number), recipient: 'whmcs', topic: 'whmcs.erase-contact' }]);
  await drainOutbox(t.suite, { brandId: await brandId('edge-shop') });
  const calls = whmcs.calls.slice(before);
  expect(calls.map((c) => [c.action, c.params.contactid])).toEqual([['UpdateContact', String(contactIds[0])]]);
  expect(whmcs.contacts.get(contactIds[0])!.email).toMatch(/^erased-[0-9a-f]{20}@invalid\.example$/);
  expect(whmcs.contacts.get(contactIds[1])!.email).toBe(`contact${contactIds[1]}@example.org`);
  expect(whmcs.clients.get(clientId)!.status).toBe('Active');
});

it('MS-8f: WHMCS failing half-way: the retry finishes the anonymisation without writing the client twice', async () => {
  const { clientId, subjectId, contactIds } = await knownClient('edge-shop', 1);
  // WHMCS goes down right after the UpdateClient (its ClientEdit is the moment).
  whmcs.onHook = (h) => { if (h.hook === 'ClientEdit' && h.vars.userid === clientId) whmcs.down = true; };
  await erase('edge-shop', subjectId);
  await t.suite.worker.runOnce();
  whmcs.onHook = null;
  const [msg] = await whmcsMessages('edge-shop').then((m) => m.filter((x) => x.subject_id === subjectId));
  expect(msg).toMatchObject({ state: 'pending', topic: 'whmcs.erase-client' });
  expect(msg.last_error).toBe('WHMCS GetContacts failed: HTTP 503, no JSON answer');
  whmcs.down = false;
  await drainOutbox(t.suite, { brandId: await brandId('edge-shop') });
  const mine = (action: string) => whmcs.callsOf(action).filter((c) => c.answered === 'success' && (c.params.clientid === String(clientId) || c.params.contactid === String(contactIds[0])));
  expect(mine('UpdateClient')).toHaveLength(1);
  expect(mine('UpdateContact')).toHaveLength(1);
  expect(mine('CloseClient')).toHaveLength(1);
  expect((await t.suite.kernel.db('outbox').where({ id: msg.id }).first()).state).toBe('delivered');
});

it('MS-9: a batch erasure (retention) naming a client and its contact sends each to WHMCS once', async () => {
  const { clientId, subjectId, contactSubjects, contactIds } = await knownClient('edge-shop', 1);
  const shop = await t.suite.kernel.brands.get('edge-shop');
  const plan = await t.suite.kernel.service<RightsService>('rights').planErasure(shop);
  await prepareBatch(t.suite.kernel);
  const actor = { type: 'system' as const, id: 'retention' };
  const out = await t.suite.kernel.db.transaction((trx) => eraseBatchInTransaction(t.suite.kernel, trx, plan, [subjectId, contactSubjects[0]], { actor, source: 'retention' }));
  expect(out.erased.sort()).toEqual([subjectId, contactSubjects[0]].sort());
  const queued = (await whmcsMessages('edge-shop')).filter((m) => [subjectId, contactSubjects[0]].includes(Number(m.subject_id)));
  expect(queued.map((m) => m.topic)).toEqual(['whmcs.erase-client']);
  const before = whmcs.calls.length;
  await drainOutbox(t.suite, { brandId: shop.id });
  const calls = whmcs.calls.slice(before);
  expect(calls.filter((c) => c.action === 'UpdateContact').map((c) => c.params.contactid)).toEqual([String(contactIds[0])]);
  expect(calls.filter((c) => c.action === 'CloseClient').map((c) => c.params.clientid)).toEqual([String(clientId)]);
});

it('a brand whose register lacks the WHMCS recipient: the erasure completes and says WHMCS was NOT updated', async () => {
  const { clientId, subjectId } = await knownClient('edge-unregistered');
  const result = await erase('edge-unregistered', subjectId);
  expect(result.kept).toEqual(expect.arrayContaining([expect.objectContaining({ module: 'whmcs', what: expect.stringContaining('NOT updated: recipient "whmcs"') })]));
  expect(await whmcsMessages('edge-unregistered')).toEqual([]);
  expect(whmcs.clients.get(clientId)!.status).toBe('Active');
});

it('a brand with the write-back off: nothing is queued and WHMCS is not mentioned', async () => {
  const { subjectId } = await knownClient('edge-off');
  const result = await erase('edge-off', subjectId);
  expect(result.kept.filter((k: Json) => k.module === 'whmcs')).toEqual([]);
  const open = await rightsCall(t.baseUrl, key, 'edge-off', 'POST', '/requests', { type: 'rectify', subjectId: (await knownClient('edge-off')).subjectId, changes: { city: 'Ripley' }, verified: 'manual' });
  const done = await rightsCall(t.baseUrl, key, 'edge-off', 'POST', `/requests/${open.body.request.id}/fulfil`);
  expect(done.body.request.result.modules.whmcs).toEqual({ updated: [], propagated: [] });
  expect(await whmcsMessages('edge-off')).toEqual([]);
});

describe('what counts as the echo of the suite own UpdateClient', () => {
  const k = () => t.suite.kernel;
  const base = { userid: 4242, firstname: 'Ada', lastname: 'Lovelace', city: 'Ripley', email: 'ada@example.org', status: 'Active' };
  const old = { ...base, city: 'London' };

  it('matches the written fields (case and booleans as WHMCS reports them); anything else is not an echo', async () => {
    const id = await brandId('edge-shop');
    await expectEcho(k(), id, 4242, { city: 'Ripley', marketing_emails_opt_in: false }, 60_000);
    expect(await isOwnEcho(k(), k().db, id, { ...base, marketing_emails_opt_in: '0', olddata: { ...old, marketing_emails_opt_in: '0' } })).toBe(true);
    expect(await isOwnEcho(k(), k().db, id, { ...base, marketing_emails_opt_in: false })).toBe(true); // no olddata: the values decide
    // Another value, another field changed beside it, another client, another brand: not the echo.
    expect(await isOwnEcho(k(), k().db, id, { ...base, city: 'Bath', olddata: old })).toBe(false);
    expect(await isOwnEcho(k(), k().db, id, { ...base, marketing_emails_opt_in: false, email: 'ada.new@example.org', olddata: old })).toBe(false);
    expect(await isOwnEcho(k(), k().db, id, { ...base, marketing_emails_opt_in: false, status: 'Inactive', olddata: old })).toBe(false);
    expect(await isOwnEcho(k(), k().db, id, { ...base, userid: 4243, marketing_emails_opt_in: false })).toBe(false);
    expect(await isOwnEcho(k(), k().db, await brandId('edge-off'), { ...base, marketing_emails_opt_in: false })).toBe(false);
  });

  it('an expired mark no longer makes an echo', async () => {
    const id = await brandId('edge-shop');
    await expectEcho(k(), id, 5151, { city: 'Ripley' }, 60_000);
    expect(await isOwnEcho(k(), k().db, id, { ...base, userid: 5151, olddata: { ...old, userid: 5151 } })).toBe(true);
    await k().db('whmcs_echo_marks').where({ brand_id: id, client_id: '5151' }).update({ expires_at: Date.now() - 1 });
    expect(await isOwnEcho(k(), k().db, id, { ...base, userid: 5151, olddata: { ...old, userid: 5151 } })).toBe(false);
    expect(JSON.stringify(await k().db('whmcs_echo_marks').select('fields'))).not.toContain('Ripley');
  });
});
