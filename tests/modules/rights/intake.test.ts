/** Intake from the billing panel: the suite-only DataSubjectRequest hook opens a request; the logged-in session counts as verification (MS-8d). */
import { count, postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, rightsBrand, rightsCall, signUp } from './fixtures';

let t: TestSuite;
let secret: string;
let key: string;

beforeAll(async () => {
  t = await startTestSuite();
  secret = await rightsBrand(t.suite, 'panel');
  key = await adminKey(t.suite);
});
afterAll(async () => t?.close());

const hook = (vars: Record<string, unknown>, headers?: Record<string, string>) => postHook(t.baseUrl, 'DataSubjectRequest', secret, { brand: 'panel', vars }, { headers });

describe('DataSubjectRequest hook', () => {
  it('is in the hook catalogue as a suite-only pre hook', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/admin/hooks`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await res.json()) as { hooks: { name: string; kind: string; group: string }[] };
    expect(body.hooks.find((h) => h.name === 'DataSubjectRequest')).toMatchObject({ kind: 'pre', group: 'suite' });
  });

  it('MS-8d: a request from the logged-in client area is opened verified (panel-session) and its id comes back in data', async () => {
    const { clientId, subjectId } = await signUp(t.suite, 'panel', 1);
    const res = await hook({ userid: clientId, type: 'access', loggedin: true, message: 'Please send me everything' });
    expect(res.status).toBe(200);
    const data = res.body.data as { requestId: number; status: string; dueAt: number; subjectLinked: boolean };
    expect(data).toMatchObject({ status: 'verified', subjectLinked: true });
    expect(Number.isInteger(data.requestId)).toBe(true);
    const queue = await rightsCall(t.baseUrl, key, 'panel', 'GET', '/requests');
    const entry = queue.body.requests.find((r: { id: number }) => r.id === data.requestId);
    expect(entry).toMatchObject({ type: 'access', status: 'verified', source: 'hook', subjectId, dueAt: data.dueAt, verification: { method: 'panel-session', by: 'hook:DataSubjectRequest' } });
    expect(entry.requester).toEqual({ message: 'Please send me everything' });
    const read = await rightsCall(t.baseUrl, key, 'panel', 'GET', `/requests/${data.requestId}`);
    expect(read.body.events.map((e: { event: string }) => e.event)).toEqual(['received', 'verified']);
    expect(read.body.events[1].details).toEqual({ method: 'panel-session' });
  });

  it('MS-8d: without the logged-in assertion the request waits for verification, and nothing is disclosed before it', async () => {
    const { clientId } = await signUp(t.suite, 'panel', 2);
    const res = await hook({ userid: String(clientId), type: 'access', loggedin: '0', email: 'ada.2@example.org' });
    expect(res.status).toBe(200);
    const id = (res.body.data as { requestId: number; status: string }).requestId;
    expect((res.body.data as { status: string }).status).toBe('received');
    const fulfil = await rightsCall(t.baseUrl, key, 'panel', 'POST', `/requests/${id}/fulfil`);
    expect(fulfil.status).toBe(409);
    expect(fulfil.body.code).toBe('SUITE_RIGHTS_NOT_VERIFIED');
    const read = await rightsCall(t.baseUrl, key, 'panel', 'GET', `/requests/${id}`);
    expect(read.body.request).toMatchObject({ status: 'received', verification: null, requester: { email: 'ada.2@example.org' } });
  });

  it("a rectification from the panel carries its changes; a contact's request is linked to the contact", async () => {
    const { clientId } = await signUp(t.suite, 'panel', 3);
    await postHook(t.baseUrl, 'ContactAdd', secret, { brand: 'panel', vars: { contactid: 77, userid: clientId, firstname: 'Grace', lastname: 'Hopper', email: 'grace@example.org' } });
    const contact = await t.suite.kernel.subjects.findByExternal((await t.suite.kernel.brands.get('panel')).id, 'contact', 77);
    expect(contact).toBeDefined();
    const res = await hook({ userid: clientId, contactid: 77, type: 'rectify', changes: { city: 'Arlington' }, loggedin: true });
    expect(res.status).toBe(200);
    const read = await rightsCall(t.baseUrl, key, 'panel', 'GET', `/requests/${(res.body.data as { requestId: number }).requestId}`);
    expect(read.body.request).toMatchObject({ type: 'rectify', subjectId: contact!.id, requester: { changes: { city: 'Arlington' } } });
  });

  it("a contact of another client is refused (400 vars.contactid) and nothing is written", async () => {
    const other = await signUp(t.suite, 'panel', 4);
    const before = await count(t.suite, 'rights_requests');
    const res = await hook({ userid: other.clientId, contactid: 77, type: 'erase', loggedin: true });
    expect(res.status).toBe(400);
    expect((res.body.fields as { field: string }[]).map((f) => f.field)).toEqual(['vars.contactid']);
    expect(await count(t.suite, 'rights_requests')).toBe(before);
  });

  it('bad variables answer 400 naming them, with nothing written', async () => {
    const before = await count(t.suite, 'rights_requests');
    const noType = await hook({ userid: 1, type: 'teleport' });
    expect(noType.status).toBe(400);
    expect((noType.body.fields as { field: string }[]).map((f) => f.field)).toContain('vars.type');
    const noChanges = await hook({ userid: 1, type: 'rectify', loggedin: true });
    expect(noChanges.status).toBe(400);
    expect((noChanges.body.fields as { field: string }[]).map((f) => f.field)).toContain('vars.changes');
    const badId = await hook({ userid: 0, type: 'access' });
    expect(badId.status).toBe(400);
    expect((badId.body.fields as { field: string }[]).map((f) => f.field)).toContain('vars.userid');
    expect(await count(t.suite, 'rights_requests')).toBe(before);
  });

  it('an unsigned call is refused and opens nothing', async () => {
    const before = await count(t.suite, 'rights_requests');
    const res = await postHook(t.baseUrl, 'DataSubjectRequest', secret, { brand: 'panel', vars: { userid: 1, type: 'erase', loggedin: true } }, { signature: null });
    expect(res.status).toBe(401);
    const forged = await postHook(t.baseUrl, 'DataSubjectRequest', 'whsec_not-the-secret', { brand: 'panel', vars: { userid: 1, type: 'erase', loggedin: true } });
    expect(forged.status).toBe(401);
    expect(await count(t.suite, 'rights_requests')).toBe(before);
  });

  it('a retried call with the same Idempotency-Key answers the same request id and opens one request', async () => {
    const { clientId } = await signUp(t.suite, 'panel', 5);
    const before = await count(t.suite, 'rights_requests');
    const a = await hook({ userid: clientId, type: 'erase', loggedin: true }, { 'idempotency-key': 'dsr-5' });
    const b = await hook({ userid: clientId, type: 'erase', loggedin: true }, { 'idempotency-key': 'dsr-5' });
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect((b.body.data as { requestId: number }).requestId).toBe((a.body.data as { requestId: number }).requestId);
    expect(await count(t.suite, 'rights_requests')).toBe(before + 1);
  });

  it('a client the inventory does not know yet still gets a request, not linked to a subject (an empty email from PHP counts as none)', async () => {
    const res = await hook({ userid: 999_999, type: 'confirm', loggedin: true, email: '' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'verified', subjectLinked: false });
  });

  it('with the binding switched off for the brand, the hook opens nothing and answers without data', async () => {
    const admin = await adminKey(t.suite);
    const off = await fetch(`${t.baseUrl}/api/v1/admin/brands/panel/bindings/rights-data-subject-request-open-request`, {
      method: 'PUT', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ enabled: false }),
    });
    expect(off.status).toBe(200);
    t.suite.kernel.brands.invalidate();
    const before = await count(t.suite, 'rights_requests');
    const res = await hook({ userid: 1, type: 'erase', loggedin: true });
    expect(res.status).toBe(200);
    expect(res.body.data).toBeUndefined();
    expect(await count(t.suite, 'rights_requests')).toBe(before);
  });
});
