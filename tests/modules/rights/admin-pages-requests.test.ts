/**
 * Issue 14: the rights queue pages of the admin panel — the queue with due dates in business days and overdue ones
 * flagged in text (MS-8c), filters and pages; a request's page with its timeline and one form per action its state
 * allows (verify, extend, fulfil, reject, removal order — the admin API's own functions, MS-8d, WSM-25); a refused
 * action is the module's coded error and changes nothing; the requester only for roles that see contact data
 * (ESM-3); read-only roles see no forms and are refused a POST; another brand's user is refused (audited), another
 * brand's request is 404, a POST without the CSRF token is 403, and a requester's name is escaped.
 */
import type { Actor } from '../../../core/audit/audit-log';
import { openRequest } from '../../../modules/rights/requests/open-request';
import type { RequestInput } from '../../../modules/rights/requests/request-types';
import { createPanelUser, PanelClient } from '../../helpers/admin-browser';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { rightsBrand } from './fixtures';

let t: TestSuite;
const DAY = 86_400_000;
const XSS = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';
const ACTOR: Actor = { type: 'cli', id: 'test' };
const base = (brand: string): string => `/admin/brands/${brand}/rights`;
const ids: Record<string, number> = {};

/** Opens a request for `brand` (received `daysAgo` days ago) and returns its id. */
async function open(brand: string, input: Partial<RequestInput> & { type: RequestInput['type'] }, daysAgo = 0, verified = false): Promise<number> {
  const b = await t.suite.kernel.brands.get(brand);
  const r = await openRequest(t.suite.kernel, b, { email: `someone.${Math.random().toString(36).slice(2, 8)}@example.org`, ...input } as RequestInput, {
    source: 'admin', actor: ACTOR, now: Date.now() - daysAgo * DAY, verification: verified ? { method: 'manual' } : undefined,
  });
  return r.id;
}

async function row(id: number): Promise<{ status: string; due_at: number; verified_at: number | null; closed_reason: string | null }> {
  return (await t.suite.kernel.db('rights_requests').where({ id }).first()) as { status: string; due_at: number; verified_at: number | null; closed_reason: string | null };
}
async function events(id: number): Promise<string[]> {
  return ((await t.suite.kernel.db('rights_request_events').where({ request_id: id }).orderBy('id')) as { event: string }[]).map((e) => e.event);
}
const login = (email: string): Promise<PanelClient> => new PanelClient(t.baseUrl).login(email);

/** The links of a page, entities decoded. */
function links(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'));
}

/** The queue's rows in page order (request ids). */
function queueIds(html: string): number[] {
  return [...html.matchAll(/<tr data-request="(\d+)"/g)].map((m) => Number(m[1]));
}

beforeAll(async () => {
  t = await startTestSuite();
  await rightsBrand(t.suite, 'shop');
  await rightsBrand(t.suite, 'other');
  await rightsBrand(t.suite, 'bulk');
  await rightsBrand(t.suite, 'shop-resale', { controller: { name: 'Resale BV', email: 'dpo@resale.example', country: 'NL' } }, 'shop');
  ids.fresh = await open('shop', { type: 'confirm', name: 'Grace Hopper', email: 'grace@example.org' });
  ids.overdue = await open('shop', { type: 'access', name: 'Late Larry', email: 'larry@example.org' }, 90);
  ids.xss = await open('shop', { type: 'confirm', name: XSS, email: 'xss@example.org', message: XSS });
  ids.done = await open('shop', { type: 'confirm', name: 'Closed Carla' }, 5, true);
  ids.other = await open('other', { type: 'confirm', name: 'Other Olga', email: 'olga@example.org' });
  ids.resale = await open('shop-resale', { type: 'erase', name: 'Resale Rita', email: 'rita@example.org' }, 0, true);
  for (let i = 0; i < 27; i++) await open('bulk', { type: 'confirm', name: `Bulk ${i}` }, i);
  await t.suite.kernel.db('rights_requests').where({ id: ids.done }).update({ status: 'rejected', closed_reason: 'duplicate' });
  await createPanelUser(t.suite.kernel, 'owner@example.com', 'owner');
  await createPanelUser(t.suite.kernel, 'admin@example.com', 'admin');
  await createPanelUser(t.suite.kernel, 'auditor@example.com', 'auditor');
  await createPanelUser(t.suite.kernel, 'support@example.com', 'support');
  await createPanelUser(t.suite.kernel, 'reseller@example.com', 'reseller', 'other');
  await createPanelUser(t.suite.kernel, 'resale@example.com', 'reseller', 'shop-resale');
});
afterAll(async () => t?.close());

describe('the request queue page', () => {
  it('MS-8c: lists the brand\'s requests open first, soonest due first, with due dates; the overdue one is flagged in text; no other brand\'s request', async () => {
    const page = await (await login('owner@example.com')).get(`${base('shop')}/requests`);
    expect(page.status).toBe(200);
    const order = queueIds(page.html);
    expect(order).toEqual([ids.overdue, ids.fresh, ids.xss, ids.done]);
    expect(order).not.toContain(ids.other);
    const overdueRow = new RegExp(`<tr data-request="${ids.overdue}" data-overdue="1">[\\s\\S]*?</tr>`).exec(page.html)?.[0] ?? '';
    expect(overdueRow).toMatch(/Overdue by \d+ business day\(s\)/);
    expect(overdueRow).toContain('Late Larry');
    const freshRow = new RegExp(`<tr data-request="${ids.fresh}">[\\s\\S]*?</tr>`).exec(page.html)?.[0] ?? '';
    expect(freshRow).toMatch(/\d+ business day\(s\) left/);
    expect(freshRow).toContain('grace@example.org');
    expect(freshRow).toContain(`href="${base('shop')}/requests/${ids.fresh}"`);
    expect(page.html).toContain('Rejected');
  });

  it('filters by overdue, type and state; a bad filter names the field', async () => {
    const b = await login('owner@example.com');
    expect(queueIds((await b.get(`${base('shop')}/requests?overdue=1`)).html)).toEqual([ids.overdue]);
    expect(queueIds((await b.get(`${base('shop')}/requests?type=access`)).html)).toEqual([ids.overdue]);
    expect(queueIds((await b.get(`${base('shop')}/requests?state=rejected&type=`)).html)).toEqual([ids.done]);
    const bad = await b.get(`${base('shop')}/requests?state=lost`);
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('<code>state</code>');
  });

  it('is paged: 25 a page, with links to the next and previous page keeping the filters', async () => {
    const b = await login('owner@example.com');
    const first = await b.get(`${base('bulk')}/requests?type=confirm`);
    expect(queueIds(first.html)).toHaveLength(25);
    expect(first.html).toContain('Page 1 of 2');
    expect(links(first.html)).toContain(`${base('bulk')}/requests?type=confirm&page=2`);
    const second = await b.get(`${base('bulk')}/requests?type=confirm&page=2`);
    expect(queueIds(second.html)).toHaveLength(2);
    expect(queueIds(second.html).some((id) => queueIds(first.html).includes(id))).toBe(false);
    expect(links(second.html)).toContain(`${base('bulk')}/requests?type=confirm`);
  });

  it('ESM-3: the auditor sees the queue with the requester withheld and the view audited; support sees names', async () => {
    const page = await (await login('auditor@example.com')).get(`${base('shop')}/requests`);
    expect(page.status).toBe(200);
    expect(queueIds(page.html)).toContain(ids.fresh);
    expect(page.html).not.toContain('Grace Hopper');
    expect(page.html).not.toContain('grace@example.org');
    expect(page.html).toContain('Withheld for your role: contact.');
    const view = (await t.suite.kernel.audit.list({ action: 'admin.view', limit: 1 }))[0] as { details: { page: string; categories: string[]; withheld: string[] } };
    expect(view.details).toMatchObject({ page: 'rights.requests', categories: [], withheld: ['contact'] });

    const support = await (await login('support@example.com')).get(`${base('shop')}/requests`);
    expect(support.status).toBe(200);
    expect(support.html).toContain('Grace Hopper');
  });

  it('a requester named <script>alert(1)</script> appears escaped on the queue and the request page, never raw', async () => {
    const b = await login('owner@example.com');
    for (const p of [`${base('shop')}/requests`, `${base('shop')}/requests/${ids.xss}`]) {
      const page = await b.get(p);
      expect(page.html).toContain(ESCAPED);
      expect(page.html).not.toContain(XSS);
    }
  });
});

describe('a request\'s page and its actions', () => {
  it('shows the request, the requester and the timeline; verify, extend and fulfil by form each change the state and add to the timeline', async () => {
    const b = await login('admin@example.com');
    const id = ids.fresh;
    const p = `${base('shop')}/requests/${id}`;
    let page = await b.get(p);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Grace Hopper');
    expect(page.html).toContain('data-event="received"');
    expect(page.html).toContain(`action="${p}/verify"`);
    expect(page.html).not.toContain(`action="${p}/fulfil"`); // not verified yet
    expect(page.html).toContain('must be verified before');

    const verified = await b.submit(p, `${p}/verify`, {});
    expect(verified.status).toBe(303);
    expect(verified.location).toBe(`${p}?flash=verified&item=${id}`);
    page = await b.get(verified.location!);
    expect(page.html).toContain(`The identity check for request #${id} is recorded.`);
    expect(page.html).toContain('data-status="verified"');
    expect(page.html).toMatch(/<tr data-event="verified">[\s\S]*?admin@example\.com[\s\S]*?manual/);
    expect(page.html).not.toContain(`action="${p}/verify"`);
    expect((await row(id)).status).toBe('verified');

    const before = Number((await row(id)).due_at);
    const extended = await b.submit(p, `${p}/extend`, { businessDays: '10', reason: 'complex request, many systems' });
    expect(extended.status).toBe(303);
    expect(Number((await row(id)).due_at)).toBeGreaterThan(before + 10 * DAY);
    page = await b.get(extended.location!);
    expect(page.html).toContain(`The due date of request #${id} is extended.`);
    expect(page.html).toMatch(/<tr data-event="extended">[\s\S]*?complex request, many systems/);

    const fulfilled = await b.submit(p, `${p}/fulfil`, {});
    expect(fulfilled.status).toBe(303);
    page = await b.get(fulfilled.location!);
    expect(page.html).toContain(`Request #${id} is fulfilled.`);
    expect(page.html).toContain('data-status="fulfilled"');
    expect(page.html).not.toContain('data-action=');
    expect(await events(id)).toEqual(['received', 'verified', 'extended', 'in-progress', 'fulfilled']);
    const audit = (await t.suite.kernel.audit.list({ action: 'rights.request.verified', limit: 5 })).find((e) => String(e.target_id) === String(id)) as { actor: string } | undefined;
    expect(audit?.actor).toMatch(/^user:\d+$/);
  });

  it('a refused action shows the module\'s coded error and changes nothing: fulfil unverified, verify twice, extend a closed request', async () => {
    const b = await login('admin@example.com');
    const p = `${base('shop')}/requests/${ids.overdue}`;
    const evBefore = await events(ids.overdue);
    const fulfil = await b.submit(p, `${p}/fulfil`, {});
    expect(fulfil.status).toBe(409);
    expect(fulfil.html).toContain('SUITE_RIGHTS_NOT_VERIFIED');
    expect(fulfil.html).toContain('identity is not verified');
    expect((await row(ids.overdue)).status).toBe('received');
    expect(await events(ids.overdue)).toEqual(evBefore);

    const closed = `${base('shop')}/requests/${ids.done}`;
    const extend = await b.submit(closed, `${closed}/extend`, { businessDays: '5', reason: 'need more time' });
    expect(extend.status).toBe(409);
    expect(extend.html).toContain('SUITE_RIGHTS_REQUEST_CLOSED');
    const verify = await b.submit(closed, `${closed}/verify`, {});
    expect(verify.status).toBe(409);
    expect(verify.html).toContain('SUITE_RIGHTS_WRONG_STATE');
    expect((await row(ids.done)).status).toBe('rejected');
  });

  it('bad input names the field and writes nothing', async () => {
    const b = await login('admin@example.com');
    const p = `${base('shop')}/requests/${ids.overdue}`;
    const before = await row(ids.overdue);
    const evBefore = await events(ids.overdue);
    const res = await b.submit(p, `${p}/extend`, { businessDays: '61', reason: 'x' });
    expect(res.status).toBe(400);
    expect(res.html).toContain('<code>businessDays</code>');
    expect(res.html).toContain('<code>reason</code>');
    expect(res.html).toContain('a whole number of business days from 1 to 60');
    const reject = await b.submit(p, `${p}/reject`, { reason: '' });
    expect(reject.status).toBe(400);
    expect(reject.html).toContain('<code>reason</code>');
    expect(await row(ids.overdue)).toEqual(before);
    expect(await events(ids.overdue)).toEqual(evBefore);
  });

  it('reject with a reason closes the request; the reason shows on the page and in the timeline', async () => {
    const b = await login('admin@example.com');
    const id = await open('shop', { type: 'erase', name: 'Reject Me' });
    const p = `${base('shop')}/requests/${id}`;
    const res = await b.submit(p, `${p}/reject`, { reason: 'identity could not be established' });
    expect(res.status).toBe(303);
    expect(await row(id)).toMatchObject({ status: 'rejected', closed_reason: 'identity could not be established' });
    const page = await b.get(res.location!);
    expect(page.html).toContain(`Request #${id} is rejected.`);
    expect(page.html).toMatch(/<tr data-event="rejected">[\s\S]*?identity could not be established/);
  });

  it('WSM-25: a reseller sends a verified erasure as a removal order to its provider by form; it lands in the provider\'s queue', async () => {
    const b = await login('resale@example.com');
    const p = `${base('shop-resale')}/requests/${ids.resale}`;
    const page = await b.get(p);
    expect(page.html).toContain(`action="${p}/removal-order"`);
    const res = await b.submit(p, `${p}/removal-order`, {});
    expect(res.status).toBe(303);
    const orderId = Number(new URL(res.location!, t.baseUrl).searchParams.get('item'));
    const order = (await t.suite.kernel.db('rights_requests').where({ id: orderId }).first()) as { queue_brand_id: number; sla: string; parent_request_id: number };
    expect(order).toMatchObject({ sla: 'reseller-removal' });
    expect(Number(order.parent_request_id)).toBe(ids.resale);
    expect(Number(order.queue_brand_id)).toBe((await t.suite.kernel.brands.get('shop')).id);
    expect((await b.get(res.location!)).html).toContain(`Removal order #${orderId} was sent to the provider.`);
    expect(await events(ids.resale)).toContain('removal-order-sent');
    // The provider sees the order in its own queue.
    expect(queueIds((await (await login('owner@example.com')).get(`${base('shop')}/requests`)).html)).toContain(orderId);
  });
});

describe('who may see and act', () => {
  it('ESM-3: the auditor sees a request without forms or requester (the view audited), and a POST is 403 and changes nothing', async () => {
    const b = await login('auditor@example.com');
    const p = `${base('shop')}/requests/${ids.overdue}`;
    const page = await b.get(p);
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-event="received"');
    expect(page.html).not.toContain('data-action=');
    expect(page.html).not.toContain('Late Larry');
    expect(page.html).toContain('Withheld for your role: contact, correspondence.');
    const view = (await t.suite.kernel.audit.list({ action: 'admin.view', limit: 1 }))[0] as { target_id: string; details: { page: string; categories: string[]; withheld: string[] } };
    expect(view).toMatchObject({ target_id: String(ids.overdue), details: { page: 'rights.request', categories: [], withheld: ['contact', 'correspondence'] } });
    const res = await b.post(`${p}/verify`, { _csrf: await b.csrf(p) });
    expect(res.status).toBe(403);
    expect((await row(ids.overdue)).status).toBe('received');
  });

  it('a reseller user of another brand gets 403 on the queue and a request, audited as admin.brand.forbidden', async () => {
    const b = await login('reseller@example.com');
    expect((await b.get(`${base('other')}/requests`)).status).toBe(200);
    const before = (await t.suite.kernel.audit.list({ action: 'admin.brand.forbidden', limit: 100 })).length;
    const queue = await b.get(`${base('shop')}/requests`);
    expect(queue.status).toBe(403);
    expect(queue.html).not.toContain('Late Larry');
    expect((await b.get(`${base('shop')}/requests/${ids.overdue}`)).status).toBe(403);
    const after = await t.suite.kernel.audit.list({ action: 'admin.brand.forbidden', limit: 100 });
    expect(after.length).toBe(before + 2);
    expect(after[0]).toMatchObject({ target_id: 'shop', target_type: 'brand' });
  });

  it('another brand\'s request id is 404 on its page and its actions, and never shown', async () => {
    const b = await login('owner@example.com');
    const p = `${base('shop')}/requests/${ids.other}`;
    const page = await b.get(p);
    expect(page.status).toBe(404);
    expect(page.html).not.toContain('Other Olga');
    const res = await b.post(`${p}/verify`, { _csrf: await b.csrf(`${base('shop')}/requests/${ids.overdue}`) });
    expect(res.status).toBe(404);
    expect((await row(ids.other)).status).toBe('received');
    expect((await b.get(`${base('shop')}/requests/abc`)).status).toBe(400);
  });

  it('a POST without the CSRF token is 403 and changes nothing', async () => {
    const b = await login('owner@example.com');
    const p = `${base('shop')}/requests/${ids.overdue}`;
    expect((await b.post(`${p}/verify`, {})).status).toBe(403);
    expect((await b.post(`${p}/reject`, { reason: 'no token here' })).status).toBe(403);
    expect((await row(ids.overdue)).status).toBe('received');
  });
});
