/** Reseller routing (WSM-25): a reseller is its customers' controller; the provider above only processes; removal orders run on the provider's 30-business-day SLA. */
import { businessDaysBetween, calendarOf, dueDate } from '../../../modules/rights/requests/due-date';
import { postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, rightsBrand, rightsCall, signUp } from './fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are read field by field in assertions
type Json = Record<string, any>;

let t: TestSuite;
let resellerSecret: string;
let providerKey: string;
let resellerKey: string;
let otherResellerKey: string;
let requestId: number;
let subjectId: number;

beforeAll(async () => {
  t = await startTestSuite();
  await rightsBrand(t.suite, 'provider', { rights: { dueBusinessDays: 10, resellerRemovalBusinessDays: 30 } });
  resellerSecret = await rightsBrand(t.suite, 'resale', { controller: { name: 'Resale BV', email: 'privacy@resale.example', country: 'NL' } }, 'provider');
  await rightsBrand(t.suite, 'resale-two', { controller: { name: 'Second Resale SARL', email: 'dpo@second.example', country: 'FR' } }, 'provider');
  providerKey = await adminKey(t.suite, 'admin', 'provider');
  resellerKey = await adminKey(t.suite, 'reseller', 'resale');
  otherResellerKey = await adminKey(t.suite, 'reseller', 'resale-two');
  const customer = await signUp(t.suite, 'resale', 1);
  subjectId = customer.subjectId;
  const res = await postHook(t.baseUrl, 'DataSubjectRequest', resellerSecret, { brand: 'resale', vars: { userid: customer.clientId, type: 'erase', loggedin: true, email: 'ada.1@example.org', message: 'Delete my account data' } });
  expect(res.status).toBe(200);
  requestId = (res.body.data as { requestId: number }).requestId;
});
afterAll(async () => t?.close());

const ids = (body: Json): number[] => body.requests.map((r: { id: number }) => r.id);

describe('WSM-25: reseller routing', () => {
  it("WSM-25: a reseller customer's request lands in the reseller's queue, where the reseller's key sees it in full", async () => {
    const reseller = await t.suite.kernel.brands.get('resale');
    const q = await rightsCall(t.baseUrl, resellerKey, 'resale', 'GET', '/requests');
    expect(q.status).toBe(200);
    const entry = q.body.requests.find((r: { id: number }) => r.id === requestId);
    expect(entry).toMatchObject({ queueBrandId: reseller.id, brandId: reseller.id, subjectId, status: 'verified', requester: { email: 'ada.1@example.org', message: 'Delete my account data' } });
    // Its due date follows the reseller's effective profile (the provider's rule, inherited): 10 business days.
    const profile = await t.suite.kernel.brands.profile(reseller);
    expect(businessDaysBetween(calendarOf(profile), entry.createdAt, entry.dueAt)).toBe(10);
    // The reseller's controller is its own.
    expect(profile.controller?.name).toBe('Resale BV');
  });

  it('WSM-25: a request through the public endpoint of the reseller brand lands there too', async () => {
    const res = await fetch(`${t.baseUrl}/b/resale/rights/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'access', email: 'ada.1@example.org' }) });
    expect(res.status).toBe(202);
    const { requestId: id } = (await res.json()) as { requestId: number };
    expect(ids((await rightsCall(t.baseUrl, resellerKey, 'resale', 'GET', '/requests')).body)).toContain(id);
    expect(ids((await rightsCall(t.baseUrl, providerKey, 'provider', 'GET', '/requests')).body)).not.toContain(id);
  });

  it("WSM-25: the provider's queue does not hold it; with view=processor the provider sees it only as processor, without the person", async () => {
    const own = await rightsCall(t.baseUrl, providerKey, 'provider', 'GET', '/requests');
    expect(ids(own.body)).not.toContain(requestId);
    const asProcessor = await rightsCall(t.baseUrl, providerKey, 'provider', 'GET', '/requests?view=processor');
    const entry = asProcessor.body.requests.find((r: { id: number }) => r.id === requestId);
    expect(entry).toMatchObject({ id: requestId, role: 'processor', type: 'erase', status: 'verified', sla: 'dsar' });
    for (const field of ['requester', 'subjectId', 'verification', 'result', 'events']) expect(entry).not.toHaveProperty(field);
    const json = JSON.stringify(asProcessor.body);
    for (const personal of ['ada.1@example.org', 'Delete my account data', 'Lovelace']) expect(json).not.toContain(personal);
    const one = await rightsCall(t.baseUrl, providerKey, 'provider', 'GET', `/requests/${requestId}`);
    expect(one.status).toBe(200);
    expect(one.body.request.role).toBe('processor');
    expect(one.body.events).toBeUndefined();
    expect(JSON.stringify(one.body)).not.toContain('ada.1@example.org');
  });

  it('WSM-25: the provider cannot verify, extend, reject or fulfil it: 403 SUITE_RIGHTS_PROCESSOR_ONLY, naming the controller', async () => {
    for (const [action, body] of [['verify', { method: 'manual' }], ['fulfil', undefined], ['extend', { businessDays: 2, reason: 'Provider wants more time' }], ['reject', { reason: 'Provider refuses' }], ['removal-order', undefined]] as const) {
      const res = await rightsCall(t.baseUrl, providerKey, 'provider', 'POST', `/requests/${requestId}/${action}`, body);
      expect([action, res.status, res.body.code]).toEqual([action, 403, 'SUITE_RIGHTS_PROCESSOR_ONLY']);
      expect(res.body.error).toContain('resale');
    }
    const row = await t.suite.kernel.db('rights_requests').where({ id: requestId }).first();
    expect(row).toMatchObject({ status: 'verified', extension_reason: null });
  });

  it("WSM-25: the provider's key cannot go round through the reseller brand's routes: 403 SUITE_RIGHTS_PROCESSOR_KEY", async () => {
    for (const [method, path, body] of [['GET', '/requests', undefined], ['GET', `/requests/${requestId}`, undefined], ['POST', `/requests/${requestId}/fulfil`, undefined], ['POST', '/requests', { type: 'access', email: 'x@example.org' }]] as const) {
      const res = await rightsCall(t.baseUrl, providerKey, 'resale', method, path, body);
      expect([method, path, res.status, res.body.code]).toEqual([method, path, 403, 'SUITE_RIGHTS_PROCESSOR_KEY']);
      expect(JSON.stringify(res.body)).not.toContain('ada.1@example.org');
    }
    // The reseller's own key and the installation's owner key are not processors there.
    expect((await rightsCall(t.baseUrl, resellerKey, 'resale', 'GET', `/requests/${requestId}`)).status).toBe(200);
    expect((await rightsCall(t.baseUrl, await adminKey(t.suite), 'resale', 'GET', `/requests/${requestId}`)).status).toBe(200);
  });

  it("WSM-25: another reseller's key does not see it at all", async () => {
    const foreign = await rightsCall(t.baseUrl, otherResellerKey, 'resale', 'GET', '/requests');
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('SUITE_BRAND_FORBIDDEN');
    const ownQueue = await rightsCall(t.baseUrl, otherResellerKey, 'resale-two', 'GET', '/requests?view=processor');
    expect(ownQueue.status).toBe(200);
    expect(ids(ownQueue.body)).not.toContain(requestId);
    const read = await rightsCall(t.baseUrl, otherResellerKey, 'resale-two', 'GET', `/requests/${requestId}`);
    expect(read.status).toBe(404);
    expect(read.body.code).toBe('SUITE_RIGHTS_REQUEST_UNKNOWN');
    const act = await rightsCall(t.baseUrl, otherResellerKey, 'resale-two', 'POST', `/requests/${requestId}/fulfil`);
    expect(act.status).toBe(404);
    // Nor does its public status page: a status token is bound to the brand.
    expect((await fetch(`${t.baseUrl}/b/resale-two/rights/requests/${requestId}/status?token=x`)).status).toBe(401);
  });

  it("WSM-25: the reseller's removal order becomes an erase request in the provider's queue, due in 30 business days", async () => {
    const res = await rightsCall(t.baseUrl, resellerKey, 'resale', 'POST', `/requests/${requestId}/removal-order`);
    expect(res.status).toBe(201);
    const provider = await t.suite.kernel.brands.get('provider');
    const order = res.body.order;
    expect(order).toMatchObject({ type: 'erase', sla: 'reseller-removal', queueBrandId: provider.id, parentRequestId: requestId, subjectId, status: 'verified' });
    const profile = await t.suite.kernel.brands.profile(provider);
    expect(order.dueAt).toBe(dueDate(profile, order.createdAt, 'reseller-removal'));
    expect(businessDaysBetween(calendarOf(profile), order.createdAt, order.dueAt)).toBe(30);
    // In the provider's queue, as controller of the order.
    const q = await rightsCall(t.baseUrl, providerKey, 'provider', 'GET', '/requests');
    expect(q.body.requests.find((r: { id: number }) => r.id === order.id)).toMatchObject({ sla: 'reseller-removal', parentRequestId: requestId, overdue: false });
    const read = await rightsCall(t.baseUrl, providerKey, 'provider', 'GET', `/requests/${order.id}`);
    expect(read.body.request).toMatchObject({ id: order.id, sla: 'reseller-removal' });
    expect(read.body.events[0].details).toMatchObject({ sla: 'reseller-removal', queueBrandId: provider.id });
    // The reseller's own request records that the order went out.
    const own = await rightsCall(t.baseUrl, resellerKey, 'resale', 'GET', `/requests/${requestId}`);
    expect(own.body.events.map((e: { event: string }) => e.event)).toContain('removal-order-sent');
    expect(own.body.events.find((e: { event: string }) => e.event === 'removal-order-sent').details).toEqual({ orderId: order.id, provider: 'provider' });
    // The provider extends its order in its own calendar.
    const ext = await rightsCall(t.baseUrl, providerKey, 'provider', 'POST', `/requests/${order.id}/extend`, { businessDays: 5, reason: 'Backups rotate weekly' });
    expect(ext.status).toBe(200);
    expect(businessDaysBetween(calendarOf(profile), order.createdAt, ext.body.request.dueAt)).toBe(35);
    // The other reseller sees none of it.
    expect(ids((await rightsCall(t.baseUrl, otherResellerKey, 'resale-two', 'GET', '/requests?view=processor')).body)).not.toContain(order.id);
  });

  it('WSM-25: only a verified erase request can become a removal order, and only from a reseller brand', async () => {
    const reseller = await t.suite.kernel.brands.get('resale');
    const access = await t.suite.kernel.service<import('../../../modules/rights/rights-service').RightsService>('rights').open(reseller, { type: 'access', subjectId }, { source: 'admin', actor: { type: 'cli', id: 'test' }, verification: { method: 'manual' } });
    const notErase = await rightsCall(t.baseUrl, resellerKey, 'resale', 'POST', `/requests/${access.id}/removal-order`);
    expect([notErase.status, notErase.body.code]).toEqual([409, 'SUITE_RIGHTS_WRONG_STATE']);
    const unverified = await rightsCall(t.baseUrl, resellerKey, 'resale', 'POST', '/requests', { type: 'erase', subjectId });
    const early = await rightsCall(t.baseUrl, resellerKey, 'resale', 'POST', `/requests/${unverified.body.request.id}/removal-order`);
    expect([early.status, early.body.code]).toEqual([409, 'SUITE_RIGHTS_NOT_VERIFIED']);
    const providerOwn = await rightsCall(t.baseUrl, providerKey, 'provider', 'POST', '/requests', { type: 'erase', email: 'someone@example.org', verified: 'manual' });
    const notReseller = await rightsCall(t.baseUrl, providerKey, 'provider', 'POST', `/requests/${providerOwn.body.request.id}/removal-order`);
    expect([notReseller.status, notReseller.body.code]).toEqual([409, 'SUITE_RIGHTS_WRONG_STATE']);
  });
});
