/**
 * Writing erasures and rectifications back into WHMCS (issue 15 point 9, MS-8e / MS-8f): the rights module's answer
 * reaches WHMCS's API through the outbox — the client, its contacts and its users anonymised, then closed, never
 * deleted; corrections sent as UpdateClient — retried while WHMCS is down, logged as disclosures, and the ClientEdit
 * the suite's own update makes WHMCS fire is recognised and ignored.
 */
import { Writable } from 'node:stream';
import { createLogger } from '../../../core/logger';
import { drainOutbox, startTestSuite, postHook, type TestSuite } from '../../helpers/test-suite';
import { WhmcsApiStandin, type StandinHook } from '../../helpers/whmcs-api-standin';
import { adminKey, RIGHTS_PROFILE, rightsBrand, rightsCall, type Json } from '../rights/fixtures';

const whmcs = new WhmcsApiStandin();
const WHMCS_RECIPIENT = { code: 'whmcs', name: 'WHMCS billing panel', kind: 'hosting', purposes: ['legal'], categories: ['contact', 'billing'] };
const PLACEHOLDER = /^erased-[0-9a-f]{20}@invalid\.example$/;
const WRONG_SECRET = 'wrong-secret-never-logged-7c1e';
const logLines: string[] = [];
let t: TestSuite;
let key: string;
const secrets: Record<string, string> = {};
const fired: StandinHook[] = [];

const brandId = async (slug: string) => (await t.suite.kernel.brands.get(slug)).id;
const call = (brand: string, method: string, path: string, body?: unknown) => rightsCall(t.baseUrl, key, brand, method, path, body);
const field = async (subjectId: number, name: string) => (await t.suite.kernel.subjects.fields(subjectId)).find((f) => f.name === name)?.value;
const ledgerCount = async (subjectId: number) => Number(((await t.suite.kernel.db('consent_ledger').where({ subject_id: subjectId }).count({ n: '*' }).first()) as { n: number | string }).n);
const outboxOf = (brand: number) => t.suite.kernel.db('outbox').where({ brand_id: brand }).orderBy('id');

/** A brand whose WHMCS is the stand-in (`identifier` may be changed to test refusals). */
async function whmcsBrand(slug: string): Promise<void> {
  secrets[slug] = await rightsBrand(t.suite, slug, {
    recipients: [...RIGHTS_PROFILE.recipients, WHMCS_RECIPIENT],
    modules: { whmcs: { enabled: true, apiUrl: whmcs.url, identifier: whmcs.identifier } },
  });
}

/** A WHMCS client the suite knows: created in the stand-in and reported with ClientAdd (and its contacts with ContactAdd). */
async function knownClient(slug: string, opts: { marketing?: boolean; whmcsMarketing?: boolean; contacts?: number } = {}): Promise<{ clientId: number; subjectId: number; contactIds: number[] }> {
  const c = whmcs.addClient({ marketingOptIn: opts.whmcsMarketing ?? false });
  const add = await postHook(t.baseUrl, 'ClientAdd', secrets[slug], {
    brand: slug, vars: { client_id: c.id, userid: c.id, firstname: c.firstname, lastname: c.lastname, email: c.email, address1: c.address1, city: c.city, postcode: c.postcode, country: c.country, phonenumber: c.phonenumber, marketing_emails_opt_in: opts.marketing ?? false },
  });
  expect(add.status).toBe(200);
  const contactIds: number[] = [];
  for (let i = 0; i < (opts.contacts ?? 0); i++) {
    const k = whmcs.addContact(c.id);
    const r = await postHook(t.baseUrl, 'ContactAdd', secrets[slug], { brand: slug, vars: { userid: c.id, contactid: k.id, firstname: k.firstname, lastname: k.lastname, email: k.email } });
    expect(r.status).toBe(200);
    contactIds.push(k.id);
  }
  const subject = (await t.suite.kernel.subjects.findByExternal(await brandId(slug), 'client', c.id))!;
  return { clientId: c.id, subjectId: subject.id, contactIds };
}

/** Opens a verified request and fulfils it. */
async function fulfil(slug: string, body: Json): Promise<Json> {
  const open = await call(slug, 'POST', '/requests', { ...body, verified: 'manual' });
  expect(open.status).toBe(201);
  const done = await call(slug, 'POST', `/requests/${open.body.request.id}/fulfil`);
  expect(done.status).toBe(200);
  return done.body.request;
}

/** Replays the ClientEdit hooks the stand-in fired (as the connector would forward them) for one client. */
async function replayClientEdits(slug: string, clientId: number): Promise<void> {
  for (const h of fired.filter((x) => x.hook === 'ClientEdit' && x.vars.userid === clientId)) {
    const r = await postHook(t.baseUrl, 'ClientEdit', secrets[slug], { brand: slug, vars: h.vars });
    expect(r.status).toBe(200);
  }
}

beforeAll(async () => {
  await whmcs.start();
  whmcs.onHook = (h) => { fired.push(h); };
  delete process.env.SUITE_WHMCS_API_SECRET;
  process.env.SUITE_WHMCS_API_SECRET_WB_SHOP = whmcs.secret;
  process.env.SUITE_WHMCS_API_SECRET_WB_WRONG = WRONG_SECRET;
  const sink = new Writable({ write(chunk: Buffer, _enc, cb) { logLines.push(chunk.toString('utf8')); cb(); } });
  t = await startTestSuite({ logger: createLogger('debug', sink), config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 3 } });
  key = await adminKey(t.suite);
  for (const slug of ['wb-shop', 'wb-wrong', 'wb-nosecret']) await whmcsBrand(slug);
});
afterAll(async () => {
  delete process.env.SUITE_WHMCS_API_SECRET_WB_SHOP;
  delete process.env.SUITE_WHMCS_API_SECRET_WB_WRONG;
  await t?.close();
  await whmcs.stop();
});

describe('erasure written back into WHMCS', () => {
  it('MS-8f: the client, each contact and its own user are anonymised (skipvalidation, unique placeholder), then closed; DeleteClient is never called', async () => {
    const { clientId, subjectId, contactIds } = await knownClient('wb-shop', { contacts: 1 });
    const unknownContact = whmcs.addContact(clientId); // in WHMCS only: the suite never heard of it
    const own = whmcs.addUser([clientId]);
    const other = whmcs.addClient();
    const shared = whmcs.addUser([other.id, clientId]); // also logs into another account: left as it is
    const paid = whmcs.addInvoice(clientId, { status: 'Paid' });
    const unpaid = whmcs.addInvoice(clientId);
    const before = whmcs.calls.length;

    const request = await fulfil('wb-shop', { type: 'erase', subjectId });
    expect(request.status).toBe('fulfilled');
    expect(request.result.processors).toEqual([{ outboxId: expect.any(Number), recipient: 'whmcs', topic: 'whmcs.erase-client' }]);
    expect(request.result.kept).toEqual(expect.arrayContaining([expect.objectContaining({ module: 'whmcs', what: expect.stringMatching(/invoices in WHMCS/) })]));
    await drainOutbox(t.suite, { brandId: await brandId('wb-shop') });

    const calls = whmcs.calls.slice(before);
    const updates = calls.filter((c) => c.action === 'UpdateClient');
    expect(updates).toHaveLength(1);
    expect(updates[0].params).toMatchObject({ clientid: String(clientId), skipvalidation: 'true', firstname: 'Erased', lastname: 'Client', phonenumber: '', marketingoptin: 'false' });
    expect(updates[0].params.email).toMatch(PLACEHOLDER);
    expect(calls.filter((c) => c.action === 'UpdateContact').map((c) => Number(c.params.contactid)).sort()).toEqual([...contactIds, unknownContact.id].sort());
    expect(calls.filter((c) => c.action === 'UpdateUser').map((c) => Number(c.params.user_id))).toEqual([own.id]);
    expect(calls.filter((c) => c.action === 'CloseClient').map((c) => c.params.clientid)).toEqual([String(clientId)]);
    expect(calls.findIndex((c) => c.action === 'CloseClient')).toBeGreaterThan(calls.findIndex((c) => c.action === 'UpdateClient'));
    expect(whmcs.callsOf('DeleteClient')).toEqual([]);
    expect(whmcs.deleted).toEqual([]);

    // WHMCS holds nothing of the person, keeps the invoices, and the placeholder is the client's own.
    const c = whmcs.clients.get(clientId)!;
    expect(c).toMatchObject({ firstname: 'Erased', status: 'Closed', address1: '-', phonenumber: '', marketingOptIn: false });
    expect(c.email).not.toBe(whmcs.contacts.get(contactIds[0])!.email);
    for (const k of [contactIds[0], unknownContact.id]) expect(whmcs.contacts.get(k)!.email).toMatch(PLACEHOLDER);
    expect(whmcs.users.get(own.id)!.email).toMatch(PLACEHOLDER);
    expect(whmcs.users.get(shared.id)!.email).toBe(shared.email);
    expect(whmcs.invoices.filter((i) => i.userid === clientId).map((i) => [i.id, i.status])).toEqual([[paid.id, 'Paid'], [unpaid.id, 'Cancelled']]);

    // One message (the contact's own gave way to its client's), delivered, logged as a disclosure to WHMCS.
    const msgs = await outboxOf(await brandId('wb-shop')).where('topic', 'like', 'whmcs.%');
    expect(msgs.map((m: Json) => [m.topic, m.state])).toEqual([['whmcs.erase-client', 'delivered']]);
    const logged = await t.suite.kernel.db('disclosure_log').where({ reference: msgs[0].idempotency_key });
    expect(logged).toEqual([expect.objectContaining({ subject_id: subjectId, recipient: 'whmcs', purpose: 'legal' })]);
    expect(JSON.parse(logged[0].fields)).toEqual(expect.arrayContaining(['clientid', 'email', 'firstname', 'lastname']));
  });

  it('MS-8f: WHMCS down, then up: the erasure is retried and delivered once', async () => {
    const { clientId, subjectId } = await knownClient('wb-shop');
    whmcs.down = true;
    await fulfil('wb-shop', { type: 'erase', subjectId });
    const pass = await t.suite.worker.runOnce();
    expect(pass.retried).toBeGreaterThanOrEqual(1);
    const [pending] = await outboxOf(await brandId('wb-shop')).where({ topic: 'whmcs.erase-client', subject_id: subjectId });
    expect(pending).toMatchObject({ state: 'pending', attempts: 1 });
    expect(pending.last_error).toMatch(/^WHMCS GetClientsDetails failed: HTTP 503/);
    expect(whmcs.clients.get(clientId)!.status).toBe('Active');

    whmcs.down = false;
    await drainOutbox(t.suite, { brandId: await brandId('wb-shop') });
    const [done] = await outboxOf(await brandId('wb-shop')).where({ id: pending.id });
    expect(done.state).toBe('delivered');
    const mine = (action: string) => whmcs.callsOf(action).filter((c) => c.params.clientid === String(clientId) && c.answered === 'success');
    expect(mine('UpdateClient')).toHaveLength(1);
    expect(mine('CloseClient')).toHaveLength(1);
    expect(whmcs.clients.get(clientId)!.status).toBe('Closed');
  });

  it('MS-8f: the ClientEdit the anonymisation fires is ignored: no values stored, no consent recorded', async () => {
    const { clientId, subjectId } = await knownClient('wb-shop', { marketing: true, whmcsMarketing: true });
    await fulfil('wb-shop', { type: 'erase', subjectId });
    await drainOutbox(t.suite, { brandId: await brandId('wb-shop') });
    const ledger = await ledgerCount(subjectId);
    const outbox = await outboxOf(await brandId('wb-shop')).count({ n: '*' }).first();
    await replayClientEdits('wb-shop', clientId);
    expect(fired.some((h) => h.hook === 'ClientEdit' && h.vars.userid === clientId)).toBe(true);
    expect(await ledgerCount(subjectId)).toBe(ledger);
    expect(await outboxOf(await brandId('wb-shop')).count({ n: '*' }).first()).toEqual(outbox);
    expect(await t.suite.kernel.subjects.fields(subjectId)).toEqual([]);
  });
});

describe('rectification written back into WHMCS', () => {
  it('MS-8e / MS-5.1: corrected fields go to WHMCS as UpdateClient with the new values, logged as a disclosure', async () => {
    const { clientId, subjectId } = await knownClient('wb-shop');
    const request = await fulfil('wb-shop', { type: 'rectify', subjectId, changes: { address1: '7 Ockham Park', city: 'Ripley' } });
    expect(request.status).toBe('fulfilled');
    expect(request.result.recipients).toEqual(expect.arrayContaining(['whmcs']));
    const transfer = request.result.transfers.find((x: Json) => x.topic === 'whmcs.rectify');
    expect(transfer).toEqual({ outboxId: expect.any(Number), recipient: 'whmcs', topic: 'whmcs.rectify' });
    await drainOutbox(t.suite, { brandId: await brandId('wb-shop') });

    const updates = whmcs.callsOf('UpdateClient').filter((c) => c.params.clientid === String(clientId));
    expect(updates.map((c) => c.params)).toEqual([{ clientid: String(clientId), address1: '7 Ockham Park', city: 'Ripley' }]);
    expect(whmcs.clients.get(clientId)).toMatchObject({ address1: '7 Ockham Park', city: 'Ripley', status: 'Active' });
    const msg = await t.suite.kernel.db('outbox').where({ id: transfer.outboxId }).first();
    expect(msg.state).toBe('delivered');
    const logged = await t.suite.kernel.db('disclosure_log').where({ reference: msg.idempotency_key });
    expect(logged).toEqual([expect.objectContaining({ subject_id: subjectId, recipient: 'whmcs', purpose: 'legal' })]);
    expect(JSON.parse(logged[0].fields)).toEqual(['address1', 'city', 'clientid']);
  });

  it('the echoed ClientEdit is ignored (no new rectification, no consent change); a real later ClientEdit is not', async () => {
    // WHMCS shows the client opted in (an admin ticked it); the suite holds no such choice from the customer.
    const { clientId, subjectId } = await knownClient('wb-shop', { marketing: false, whmcsMarketing: true });
    await fulfil('wb-shop', { type: 'rectify', subjectId, changes: { city: 'Ripley' } });
    await drainOutbox(t.suite, { brandId: await brandId('wb-shop') });
    const ledger = await ledgerCount(subjectId);
    const outbox = await outboxOf(await brandId('wb-shop')).count({ n: '*' }).first();
    const echo = fired.filter((h) => h.hook === 'ClientEdit' && h.vars.userid === clientId);
    expect(echo).toHaveLength(1);
    await replayClientEdits('wb-shop', clientId);
    expect(await ledgerCount(subjectId)).toBe(ledger);
    expect(await outboxOf(await brandId('wb-shop')).count({ n: '*' }).first()).toEqual(outbox);
    expect(await field(subjectId, 'city')).toBe('Ripley');

    // The customer then moves, in WHMCS's client area: that edit is theirs and lands.
    const c = whmcs.clients.get(clientId)!;
    const olddata = { ...echo[0].vars, olddata: undefined };
    const real = await postHook(t.baseUrl, 'ClientEdit', secrets['wb-shop'], { brand: 'wb-shop', vars: { ...echo[0].vars, city: 'Bath', olddata: { ...olddata, city: c.city } } });
    expect(real.status).toBe(200);
    expect(await field(subjectId, 'city')).toBe('Bath');
    expect(await ledgerCount(subjectId)).toBeGreaterThan(ledger);
  });
});

describe('credentials', () => {
  it('a wrong secret leaves the message dead with a clear error, and the secret in no log, error or audit entry', async () => {
    const { clientId, subjectId } = await knownClient('wb-wrong');
    await fulfil('wb-wrong', { type: 'rectify', subjectId, changes: { city: 'Ripley' } });
    await drainOutbox(t.suite, { brandId: await brandId('wb-wrong') });
    const [msg] = await outboxOf(await brandId('wb-wrong')).where({ topic: 'whmcs.rectify' });
    expect(msg).toMatchObject({ state: 'dead', attempts: 3, last_error: 'WHMCS refused UpdateClient: Authentication Failed' });
    expect(whmcs.callsOf('UpdateClient').filter((c) => c.params.clientid === String(clientId)).map((c) => c.answered)).toEqual(['error', 'error', 'error']);
    expect(whmcs.clients.get(clientId)!.city).toBe('London');
    const everything = JSON.stringify([await t.suite.kernel.db('outbox'), await t.suite.kernel.db('audit_log'), await t.suite.kernel.db('hook_failures')]) + logLines.join('');
    expect(everything).not.toContain(WRONG_SECRET);
    expect(everything).not.toContain(whmcs.secret);
  });

  it('no secret configured: the deliverer refuses to run and its error names the variable', async () => {
    const { subjectId } = await knownClient('wb-nosecret');
    const before = whmcs.calls.length;
    await fulfil('wb-nosecret', { type: 'erase', subjectId });
    await drainOutbox(t.suite, { brandId: await brandId('wb-nosecret') });
    const [msg] = await outboxOf(await brandId('wb-nosecret')).where({ topic: 'whmcs.erase-client' });
    expect(msg.state).toBe('dead');
    expect(msg.last_error).toBe("WHMCS API secret missing: set SUITE_WHMCS_API_SECRET_WB_NOSECRET (or SUITE_WHMCS_API_SECRET) in the suite's environment");
    expect(whmcs.calls.length).toBe(before);
  });
});
