/**
 * MS-8e / MS-8f: the ContactEdit that the suite's own UpdateContact makes WHMCS fire (a rectified contact, a contact
 * erased on its own or with its client) is recognised as the suite's echo and ignored by the register and the
 * registrant's rectification; a real later edit of the contact is recorded. WHMCS is the API stand-in, which fires the
 * hooks a write through its API fires; the test forwards them as the connector would.
 */
import { drainOutbox, postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { WhmcsApiStandin, type StandinHook } from '../../helpers/whmcs-api-standin';
import { adminKey, RIGHTS_PROFILE, rightsBrand, rightsCall, type Json } from '../rights/fixtures';
import { expectContactEcho, expectEcho, isOwnEcho } from '../../../modules/whmcs/echo-marks';

const whmcs = new WhmcsApiStandin();
const WHMCS_RECIPIENT = { code: 'whmcs', name: 'WHMCS billing panel', kind: 'hosting', purposes: ['legal'], categories: ['contact', 'billing'] };
const SLUG = 'ce-shop';
let t: TestSuite;
let key: string;
let secret: string;
let brandId: number;
const fired: StandinHook[] = [];

const field = async (subjectId: number, name: string) => (await t.suite.kernel.subjects.fields(subjectId)).find((f) => f.name === name)?.value;
const updatedAt = async (subjectId: number) => Number((await t.suite.kernel.db('subjects').where({ id: subjectId }).first('updated_at')).updated_at);
const outboxCount = async () => Number(((await t.suite.kernel.db('outbox').where({ brand_id: brandId }).count({ n: '*' }).first()) as { n: number | string }).n);
const contactEdits = (contactId: number) => fired.filter((h) => h.hook === 'ContactEdit' && h.vars.contactid === contactId);
const forward = (vars: Record<string, unknown>) => postHook(t.baseUrl, 'ContactEdit', secret, { brand: SLUG, vars });

/** Opens a verified request and fulfils it, then delivers what it queued for WHMCS. */
async function fulfil(body: Json): Promise<void> {
  const open = await rightsCall(t.baseUrl, key, SLUG, 'POST', '/requests', { ...body, verified: 'manual' });
  expect(open.status).toBe(201);
  expect((await rightsCall(t.baseUrl, key, SLUG, 'POST', `/requests/${open.body.request.id}/fulfil`)).status).toBe(200);
  await drainOutbox(t.suite, { brandId });
}

/** A WHMCS client with one contact, both known to the suite (ClientAdd, ContactAdd). */
async function clientWithContact(): Promise<{ clientId: number; contactId: number; contactSubject: number }> {
  const c = whmcs.addClient();
  await postHook(t.baseUrl, 'ClientAdd', secret, { brand: SLUG, vars: { client_id: c.id, userid: c.id, firstname: c.firstname, lastname: c.lastname, email: c.email, country: c.country } });
  const k = whmcs.addContact(c.id);
  await postHook(t.baseUrl, 'ContactAdd', secret, { brand: SLUG, vars: { userid: c.id, contactid: k.id, firstname: k.firstname, lastname: k.lastname, email: k.email, city: k.city } });
  return { clientId: c.id, contactId: k.id, contactSubject: (await t.suite.kernel.subjects.findByExternal(brandId, 'contact', k.id))!.id };
}

beforeAll(async () => {
  await whmcs.start();
  whmcs.onHook = (h) => { fired.push(h); };
  process.env.SUITE_WHMCS_API_SECRET_CE_SHOP = whmcs.secret;
  t = await startTestSuite({ config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 3 } });
  key = await adminKey(t.suite);
  secret = await rightsBrand(t.suite, SLUG, {
    recipients: [...RIGHTS_PROFILE.recipients, WHMCS_RECIPIENT],
    modules: { whmcs: { enabled: true, apiUrl: whmcs.url, identifier: whmcs.identifier } },
  });
  brandId = (await t.suite.kernel.brands.get(SLUG)).id;
});
afterAll(async () => {
  delete process.env.SUITE_WHMCS_API_SECRET_CE_SHOP;
  await t?.close();
  await whmcs.stop();
});

describe('the ContactEdit echo of the suite\'s own UpdateContact', () => {
  it('MS-8e: a rectified contact\'s echo is ignored (register untouched, nothing queued); a real later edit is recorded', async () => {
    const { contactId, contactSubject } = await clientWithContact();
    await fulfil({ type: 'rectify', subjectId: contactSubject, changes: { city: 'Ripley' } });
    expect(whmcs.contacts.get(contactId)!.city).toBe('Ripley');
    const [echo] = contactEdits(contactId);
    expect(echo).toBeDefined();
    const before = { at: await updatedAt(contactSubject), outbox: await outboxCount() };
    const res = await forward(echo.vars);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ignored: 'whmcs-echo' });
    expect(await updatedAt(contactSubject)).toBe(before.at);
    expect(await outboxCount()).toBe(before.outbox);

    // The client then moves the contact in WHMCS's client area: that edit is theirs and lands.
    const real = await forward({ ...echo.vars, city: 'Bath', olddata: { ...(echo.vars.olddata as object), city: 'Ripley' } });
    expect(real.status).toBe(200);
    expect(real.body.data).not.toMatchObject({ ignored: 'whmcs-echo' });
    expect(await field(contactSubject, 'city')).toBe('Bath');
  });

  it('MS-8f: the echo of a contact erased on its own is ignored, so nothing of the placeholder is stored', async () => {
    const { contactId, contactSubject } = await clientWithContact();
    await fulfil({ type: 'erase', subjectId: contactSubject });
    const [echo] = contactEdits(contactId);
    expect(echo.vars.email).toMatch(/^erased-/);
    const res = await forward(echo.vars);
    expect(res.body.data).toMatchObject({ ignored: 'whmcs-echo' });
    expect(await t.suite.kernel.subjects.fields(contactSubject)).toEqual([]);
  });

  it('MS-8f: the contacts anonymised with their client fire echoes that are ignored too', async () => {
    const { clientId, contactId } = await clientWithContact();
    await fulfil({ type: 'erase', subjectId: (await t.suite.kernel.subjects.findByExternal(brandId, 'client', clientId))!.id });
    const [echo] = contactEdits(contactId);
    expect(echo.vars.email).toMatch(/^erased-/);
    expect((await forward(echo.vars)).body.data).toMatchObject({ ignored: 'whmcs-echo' });
  });

  it('a client\'s mark never makes a contact\'s echo (nor the reverse), even under the same WHMCS id', async () => {
    const k = t.suite.kernel;
    await expectEcho(k, brandId, 8181, { city: 'Ripley' }, 60_000);
    expect(await isOwnEcho(k, k.db, brandId, { userid: 8181, city: 'Ripley' })).toBe(true);
    expect(await isOwnEcho(k, k.db, brandId, { userid: 1, contactid: 8181, city: 'Ripley' }, 'contact')).toBe(false);
    await expectContactEcho(k, brandId, 9191, { city: 'Ripley' }, 60_000);
    expect(await isOwnEcho(k, k.db, brandId, { userid: 1, contactid: 9191, city: 'Ripley' }, 'contact')).toBe(true);
    expect(await isOwnEcho(k, k.db, brandId, { userid: 9191, city: 'Ripley' })).toBe(false);
  });
});
