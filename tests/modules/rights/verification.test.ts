/** Identity verification of a person's own request (MS-8d / WSM-20): an emailed one-time code, read from a real SMTP sink. */
import { SmtpSink, type ReceivedMail } from '../../helpers/smtp-sink';
import { drainOutbox, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, rightsBrand, rightsCall, signUp } from './fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are read field by field in assertions
type Json = Record<string, any>;

const sink = new SmtpSink();
let t: TestSuite;
let key: string;

beforeAll(async () => {
  await sink.start();
  t = await startTestSuite({ config: { smtpUrl: sink.url, mailFrom: 'privacy@suite.example' } });
  await rightsBrand(t.suite, 'other');
  key = await adminKey(t.suite);
});
afterAll(async () => {
  await t?.close();
  await sink.stop();
});

let brands = 0;
/** A fresh brand per test (maxAttempts 3, codes valid 15 minutes), so the per-IP rate limits of one test do not reach the next. */
async function freshBrand(): Promise<string> {
  const slug = `center-${++brands}`;
  await rightsBrand(t.suite, slug, { modules: { rights: { verification: { maxAttempts: 3, codeTtlMinutes: 15 } } } });
  return slug;
}

/** POSTs JSON to a public rights route. */
async function post(brand: string, path: string, body: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${t.baseUrl}/b/${brand}/rights${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Json };
}

/** Opens a public request and returns its id and the mail with the code. */
async function openAndReadMail(brand: string, email: string, type = 'access'): Promise<{ id: number; mail: ReceivedMail; code: string }> {
  const before = sink.to(email).length;
  const open = await post(brand, '/requests', { type, email });
  expect(open.status).toBe(202);
  await drainOutbox(t.suite);
  const mails = sink.to(email);
  expect(mails.length).toBe(before + 1);
  const mail = mails[mails.length - 1];
  const m = /\b(\d{4}) (\d{4})\b/.exec(mail.text);
  expect(m).not.toBeNull();
  return { id: open.body.requestId as number, mail, code: `${m![1]}${m![2]}` };
}

describe('MS-8d: verification by an emailed code', () => {
  it('MS-8d: the code arrives by email; a wrong code is refused; the right one verifies the request (method email-code)', async () => {
    const center = await freshBrand();
    const { subjectId } = await signUp(t.suite, center, 1);
    const { id, mail, code } = await openAndReadMail(center, 'ada.1@example.org');
    expect(mail.subject).toContain(center);
    expect(mail.headers['auto-submitted']).toBe('auto-generated');
    expect(mail.html).toContain(`${code.slice(0, 4)} ${code.slice(4)}`);
    expect(mail.text).toMatch(new RegExp(`/b/${center}/rights/requests/${id}/status\\?token=`));
    const wrong = await post(center, `/requests/${id}/verify`, { code: code === '00000000' ? '11111111' : '00000000' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('SUITE_RIGHTS_CODE_INVALID');
    const ok = await post(center, `/requests/${id}/verify`, { code: `${code.slice(0, 4)} ${code.slice(4)}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, verified: true, request: { id, type: 'access', status: 'verified', verified: true } });
    expect(typeof ok.body.statusToken).toBe('string');
    const admin = await rightsCall(t.baseUrl, key, center, 'GET', `/requests/${id}`);
    expect(admin.body.request).toMatchObject({ status: 'verified', source: 'public', subjectId, verification: { method: 'email-code' } });
    expect(admin.body.events.map((e: { event: string }) => e.event)).toEqual(['received', 'verified']);
    // The code is single-use.
    const again = await post(center, `/requests/${id}/verify`, { code });
    expect(again.status).toBe(401);
  });

  it('MS-8d: the code is stored only as a keyed hash: neither the verification row nor the queued email holds it', async () => {
    const center = await freshBrand();
    const { id, code } = await openAndReadMail(center, 'hash.check@example.org');
    const rows = await t.suite.kernel.db('rights_verifications').where({ request_id: id });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(code);
    expect(rows[0].code_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const outbox = await t.suite.kernel.db('outbox').where({ topic: 'rights.verification-code' }).orderBy('id', 'desc').first();
    const payload = await t.suite.kernel.keyring.decrypt(outbox.payload_enc);
    expect(payload).toContain('hash.check@example.org');
    expect(payload).not.toContain(code);
    expect(outbox).toMatchObject({ recipient: 'email', purpose: 'service', state: 'delivered' });
  });

  it('MS-8d: after maxAttempts wrong tries the code is dead, even the right one', async () => {
    const center = await freshBrand();
    const { id, code } = await openAndReadMail(center, 'tries@example.org');
    const wrong = code === '12345678' ? '87654321' : '12345678';
    for (let i = 0; i < 3; i++) expect((await post(center, `/requests/${id}/verify`, { code: wrong })).status).toBe(401);
    const right = await post(center, `/requests/${id}/verify`, { code });
    expect(right.status).toBe(401);
    expect(right.body.code).toBe('SUITE_RIGHTS_CODE_INVALID');
    const row = await t.suite.kernel.db('rights_verifications').where({ request_id: id }).first();
    expect(Number(row.attempts)).toBe(3);
    expect((await rightsCall(t.baseUrl, key, center, 'GET', `/requests/${id}`)).body.request.status).toBe('received');
  });

  it('MS-8d: tries are counted atomically: concurrent wrong guesses never exceed maxAttempts', async () => {
    const center = await freshBrand();
    const { id, code } = await openAndReadMail(center, 'race@example.org');
    const wrong = code === '22222222' ? '33333333' : '22222222';
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(center, `/requests/${id}/verify`, { code: wrong })));
    expect(answers.every((a) => a.status === 401)).toBe(true);
    const row = await t.suite.kernel.db('rights_verifications').where({ request_id: id }).first();
    expect(Number(row.attempts)).toBe(3);
    expect((await post(center, `/requests/${id}/verify`, { code })).status).toBe(401);
  });

  it('MS-8d: an expired code is refused', async () => {
    const center = await freshBrand();
    const { id, code } = await openAndReadMail(center, 'late@example.org');
    const row = await t.suite.kernel.db('rights_verifications').where({ request_id: id }).first();
    // Sent just now: valid for codeTtlMinutes (15) from the send.
    expect(Number(row.expires_at)).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(Number(row.expires_at)).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
    await t.suite.kernel.db('rights_verifications').where({ id: row.id }).update({ expires_at: Date.now() - 1 });
    const res = await post(center, `/requests/${id}/verify`, { code });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('SUITE_RIGHTS_CODE_INVALID');
  });

  it("unknown request ids and other brands' requests answer the same 401, so ids cannot be probed", async () => {
    const center = await freshBrand();
    const { id, code } = await openAndReadMail(center, 'probe@example.org');
    const elsewhere = await post('other', `/requests/${id}/verify`, { code });
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.code).toBe('SUITE_RIGHTS_CODE_INVALID');
    const unknown = await post(center, '/requests/987654/verify', { code });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(elsewhere.body);
    // The right brand still works afterwards: the probe on the other brand did not spend a try.
    expect((await post(center, `/requests/${id}/verify`, { code })).status).toBe(200);
  });

  it('a malformed code is a 400 naming the field, and costs no try', async () => {
    const center = await freshBrand();
    const { id } = await openAndReadMail(center, 'typo@example.org');
    const res = await post(center, `/requests/${id}/verify`, { code: 'abc' });
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual(['code']);
    const row = await t.suite.kernel.db('rights_verifications').where({ request_id: id }).first();
    expect(Number(row.attempts)).toBe(0);
  });

  it('the status link shows status and due date, and nothing about the person', async () => {
    const center = await freshBrand();
    const { id, mail, code } = await openAndReadMail(center, 'status@example.org', 'erase');
    const link = /(http:\/\/\S+\/status\?token=\S+)/.exec(mail.text)![1];
    const path = link.replace(/^http:\/\/[^/]+/, '');
    const before = await fetch(`${t.baseUrl}${path}`);
    expect(before.status).toBe(200);
    expect(before.headers.get('cache-control')).toBe('no-store');
    const body = (await before.json()) as { request: Record<string, unknown> };
    expect(body.request).toMatchObject({ id, type: 'erase', status: 'received', verified: false, closed: false });
    expect(typeof body.request.dueAt).toBe('number');
    expect(JSON.stringify(body)).not.toContain('status@example.org');
    const { statusToken } = (await post(center, `/requests/${id}/verify`, { code })).body;
    const after = (await (await fetch(`${t.baseUrl}/b/${center}/rights/requests/${id}/status?token=${encodeURIComponent(statusToken)}`)).json()) as { request: Record<string, unknown> };
    expect(after.request).toMatchObject({ status: 'verified', verified: true });
    // A token is bound to its request and brand.
    const otherRequest = await fetch(`${t.baseUrl}/b/${center}/rights/requests/${id + 1}/status?token=${encodeURIComponent(statusToken)}`);
    expect(otherRequest.status).toBe(401);
    expect(((await otherRequest.json()) as { code: string }).code).toBe('SUITE_LINK_INVALID');
    expect((await fetch(`${t.baseUrl}/b/other/rights/requests/${id}/status?token=${encodeURIComponent(statusToken)}`)).status).toBe(401);
    expect((await fetch(`${t.baseUrl}/b/${center}/rights/requests/${id}/status?token=${encodeURIComponent(statusToken.slice(0, -2))}xx`)).status).toBe(401);
    expect((await fetch(`${t.baseUrl}/b/${center}/rights/requests/${id}/status`)).status).toBe(401);
  });

  it("WSM-20: a code is sent to an address nobody is known by as well, and verifies control of it; the request is not linked to anyone", async () => {
    const center = await freshBrand();
    const { id, code } = await openAndReadMail(center, 'stranger@example.org', 'confirm');
    expect((await post(center, `/requests/${id}/verify`, { code })).status).toBe(200);
    const admin = await rightsCall(t.baseUrl, key, center, 'GET', `/requests/${id}`);
    expect(admin.body.request).toMatchObject({ subjectId: null, status: 'verified', requester: { email: 'stranger@example.org' } });
    const done = await rightsCall(t.baseUrl, key, center, 'POST', `/requests/${id}/fulfil`);
    expect(done.body.request.result).toEqual({ holdsData: false, categories: {} });
  });

  it('SP-5.1: a customer whose processing is restricted still gets the code, sent under the purpose legal', async () => {
    const center = await freshBrand();
    const { subjectId } = await signUp(t.suite, center, 2);
    await t.suite.kernel.db.transaction((trx) => t.suite.kernel.subjects.setRestricted(trx, subjectId, true));
    const { id } = await openAndReadMail(center, 'ada.2@example.org');
    const outbox = await t.suite.kernel.db('outbox').where({ topic: 'rights.verification-code', subject_id: subjectId }).first();
    expect(outbox).toMatchObject({ purpose: 'legal', state: 'delivered' });
    expect(id).toBeGreaterThan(0);
  });
});
