/**
 * The WHMCS connector's signed endpoints (issue 15 point 6/8): POST /api/v1/connector/ping, /client-status and
 * /sso-link — signed with the brand's hook secret like the hook API; unsigned is 401, an unknown client 404.
 */
import { signHook } from '../../core/http/signature';
import { postHook, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { rightsBrand } from '../modules/rights/fixtures';

let t: TestSuite;
let secret: string;
let subjectId: number;

beforeAll(async () => {
  t = await startTestSuite();
  secret = await rightsBrand(t.suite, 'conn', { consent: { model: 'opt-in', channels: ['email'] } });
  const added = await postHook(t.baseUrl, 'ClientAdd', secret, {
    brand: 'conn', vars: { client_id: 41, firstname: 'Ada', lastname: 'Lovelace', email: 'ada41@example.org', country: 'GB', marketing_emails_opt_in: '1', accepttos: 'on' },
    context: { ip: '203.0.113.4', userAgent: 'test', locale: 'en' },
  });
  expect(added.status).toBe(200);
  subjectId = (await t.suite.kernel.subjects.findByExternal((await t.suite.kernel.brands.get('conn')).id, 'client', 41))!.id;
});
afterAll(() => t.close());

async function call(path: string, body: Record<string, unknown>, opts: { sign?: boolean; secret?: string } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const raw = JSON.stringify(body);
  const ts = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.sign !== false) Object.assign(headers, { 'x-suite-timestamp': String(ts), 'x-suite-signature': signHook(opts.secret ?? secret, ts, raw) });
  const res = await fetch(`${t.baseUrl}/api/v1/connector/${path}`, { method: 'POST', headers, body: raw });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('POST /api/v1/connector/ping', () => {
  it('signed: answers the brand, the suite version and the modules switched on', async () => {
    const res = await call('ping', { brand: 'conn' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, brand: 'conn', suiteVersion: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(res.body.modules).toEqual(expect.arrayContaining(['consent', 'rights', 'inventory']));
  });

  it('unsigned or signed with another secret: 401', async () => {
    expect((await call('ping', { brand: 'conn' }, { sign: false })).status).toBe(401);
    expect((await call('ping', { brand: 'conn' }, { secret: 'x'.repeat(64) })).status).toBe(401);
  });
});

describe('POST /api/v1/connector/client-status', () => {
  it('signed: consents per purpose with dates, marketing per channel, open requests with due dates, restriction and legal hold — no personal data', async () => {
    const dsr = await postHook(t.baseUrl, 'DataSubjectRequest', secret, { brand: 'conn', vars: { userid: 41, type: 'access', loggedin: true } });
    expect(dsr.status).toBe(200);
    const brandId = (await t.suite.kernel.brands.get('conn')).id;
    await t.suite.kernel.db('retention_holds').insert({ brand_id: brandId, scope: 'subject', subject_id: subjectId, root_id: subjectId, reason: 'dispute', created_by: 'test', created_at: Date.now() });
    const res = await call('client-status', { brand: 'conn', userid: '41' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, client: 41, status: 'active', restricted: false, legalHold: true, holds: [{ scope: 'subject', reason: 'dispute', expiresAt: null }] });
    const consents = res.body.consents as { purpose: string; state: string; at: number }[];
    expect(consents.find((c) => c.purpose === 'terms')).toMatchObject({ state: 'given', at: expect.any(Number) });
    expect(res.body.marketing).toEqual(expect.arrayContaining([expect.objectContaining({ channel: 'email', allowed: expect.any(Boolean) })]));
    const requests = res.body.requests as { open: number; list: { type: string; dueAt: number; overdue: boolean }[] };
    expect(requests.open).toBe(1);
    expect(requests.list[0]).toMatchObject({ type: 'access', overdue: false });
    expect(requests.list[0].dueAt).toBeGreaterThan(Date.now());
    expect(JSON.stringify(res.body)).not.toMatch(/ada41|Lovelace|203\.0\.113/);
  });

  it('unsigned: 401; unknown client: 404', async () => {
    expect((await call('client-status', { brand: 'conn', userid: 41 }, { sign: false })).status).toBe(401);
    expect((await call('client-status', { brand: 'conn', userid: 999 })).status).toBe(404);
  });
});

describe('POST /api/v1/connector/sso-link', () => {
  it('signed: a short-lived link on the suite\'s own privacy center that opens it once', async () => {
    const res = await call('sso-link', { brand: 'conn', userid: 41 });
    expect(res.status).toBe(200);
    const url = new URL(res.body.url as string);
    expect(url.pathname).toBe('/b/conn/privacy/sso');
    expect(Number(url.searchParams.get('exp'))).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 300);
    expect(res.body.expiresAt).toBe(Number(url.searchParams.get('exp')));
    const open = await fetch(`${t.baseUrl}${url.pathname}${url.search}`, { redirect: 'manual' });
    expect(open.status).toBe(303);
    expect(open.headers.get('set-cookie')).toBeTruthy();
    const again = await fetch(`${t.baseUrl}${url.pathname}${url.search}`, { redirect: 'manual' });
    expect(again.status).toBe(410);
  });

  it('unsigned: 401; unknown client: 404', async () => {
    expect((await call('sso-link', { brand: 'conn', userid: 41 }, { sign: false })).status).toBe(401);
    expect((await call('sso-link', { brand: 'conn', userid: 4242 })).status).toBe(404);
  });
});
