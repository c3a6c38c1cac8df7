/** The request queue through the admin API: intake, verification gate, routing to the controller, timeline and audit. */
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, rightsBrand, rightsCall, signUp } from './fixtures';

let t: TestSuite;
let key: string;

beforeAll(async () => {
  t = await startTestSuite();
  await rightsBrand(t.suite, 'shop');
  key = await adminKey(t.suite);
});
afterAll(async () => t?.close());

describe('rights requests', () => {
  it('MS-8a: a confirmation request is answered from the subject registry once the identity is verified', async () => {
    const { subjectId } = await signUp(t.suite, 'shop', 1);
    const open = await rightsCall(t.baseUrl, key, 'shop', 'POST', '/requests', { type: 'confirm', email: 'ada.1@example.org' });
    expect(open.status).toBe(201);
    expect(open.body.request).toMatchObject({ type: 'confirm', status: 'received', subjectId, source: 'admin' });
    const early = await rightsCall(t.baseUrl, key, 'shop', 'POST', `/requests/${open.body.request.id}/fulfil`);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('SUITE_RIGHTS_NOT_VERIFIED');
    await rightsCall(t.baseUrl, key, 'shop', 'POST', `/requests/${open.body.request.id}/verify`, { method: 'manual' });
    const done = await rightsCall(t.baseUrl, key, 'shop', 'POST', `/requests/${open.body.request.id}/fulfil`);
    expect(done.status).toBe(200);
    expect(done.body.request.status).toBe('fulfilled');
    expect(done.body.request.result).toMatchObject({ holdsData: true, categories: { contact: expect.arrayContaining(['email', 'lastname']) } });
    expect(JSON.stringify(done.body.request.result)).not.toContain('ada.1@example.org');
    const read = await rightsCall(t.baseUrl, key, 'shop', 'GET', `/requests/${open.body.request.id}`);
    expect(read.body.events.map((e: { event: string }) => e.event)).toEqual(['received', 'verified', 'in-progress', 'fulfilled']);
  });

  it('MS-8a: someone the brand holds nothing about is told so', async () => {
    const open = await rightsCall(t.baseUrl, key, 'shop', 'POST', '/requests', { type: 'confirm', email: 'nobody@example.org', verified: 'manual' });
    const done = await rightsCall(t.baseUrl, key, 'shop', 'POST', `/requests/${open.body.request.id}/fulfil`);
    expect(done.body.request.result).toEqual({ holdsData: false, categories: {} });
  });

  it('bad intake names the field and writes nothing', async () => {
    const before = await t.suite.kernel.db('rights_requests').count({ n: '*' }).first();
    const r = await rightsCall(t.baseUrl, key, 'shop', 'POST', '/requests', { type: 'rectify', email: 'ada.1@example.org' });
    expect(r.status).toBe(400);
    expect(r.body.fields.map((f: { field: string }) => f.field)).toContain('changes');
    const r2 = await rightsCall(t.baseUrl, key, 'shop', 'POST', '/requests', { type: 'teleport', email: 'ada.1@example.org' });
    expect(r2.body.fields.map((f: { field: string }) => f.field)).toContain('type');
    expect(await t.suite.kernel.db('rights_requests').count({ n: '*' }).first()).toEqual(before);
  });
});
