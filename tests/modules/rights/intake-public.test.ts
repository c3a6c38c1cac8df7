/** The public intake endpoint (POST /b/:brand/rights/requests): the same answer for everyone, JSON only, size- and rate-limited. */
import { PUBLIC_LIMITS } from '../../../modules/rights/http/public-routes';
import { count, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, RIGHTS_PROFILE, rightsBrand, rightsCall, signUp } from './fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are read field by field in assertions
type Json = Record<string, any>;

let t: TestSuite;
let key: string;

beforeAll(async () => {
  t = await startTestSuite();
  for (const b of ['same', 'json', 'limits', 'checks']) await rightsBrand(t.suite, b);
  // A brand whose register has no mail relay: it cannot send codes.
  await rightsBrand(t.suite, 'nomail', { recipients: RIGHTS_PROFILE.recipients.filter((r) => r.code !== 'email') });
  key = await adminKey(t.suite);
});
afterAll(async () => t?.close());

async function intake(brand: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${t.baseUrl}/b/${brand}/rights/requests`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}

describe('public intake', () => {
  it('WSM-20: a customer and a stranger get the same answer (no account enumeration); only the queue knows the difference', async () => {
    const { subjectId } = await signUp(t.suite, 'same', 1);
    const known = await intake('same', { type: 'erase', email: 'ada.1@example.org' });
    const unknown = await intake('same', { type: 'erase', email: 'nobody@example.org' });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    const shape = (b: Json) => ({ ...b, requestId: typeof b.requestId });
    expect(shape(known.body)).toEqual({ ok: true, requestId: 'number', verification: 'email-code-sent' });
    expect(shape(unknown.body)).toEqual(shape(known.body));
    expect([...known.headers.keys()].sort()).toEqual([...unknown.headers.keys()].sort());
    expect(known.headers.get('cache-control')).toBe('no-store');
    // Both wait for a code by email; the controller sees which one is a customer.
    const a = await rightsCall(t.baseUrl, key, 'same', 'GET', `/requests/${known.body.requestId}`);
    const b = await rightsCall(t.baseUrl, key, 'same', 'GET', `/requests/${unknown.body.requestId}`);
    expect(a.body.request).toMatchObject({ status: 'received', source: 'public', subjectId, requester: { email: 'ada.1@example.org' } });
    expect(b.body.request).toMatchObject({ status: 'received', source: 'public', subjectId: null });
    const codes = await t.suite.kernel.db('outbox').where({ topic: 'rights.verification-code' }).orderBy('id');
    expect(codes.map((r: { subject_id: number | null }) => r.subject_id)).toEqual([subjectId, null]);
    // The code email to the customer is a transfer of their address to the mail relay: it is in the disclosure log.
    const disclosed = await t.suite.kernel.db('disclosure_log').where({ subject_id: subjectId, recipient: 'email', purpose: 'service' });
    expect(disclosed).toHaveLength(1);
  });

  it('MS-8d: a public request is never opened verified, whatever the body claims', async () => {
    const res = await intake('checks', { type: 'access', email: 'claims@example.org', verified: 'manual' });
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual(['(root)']);
    const forSomeoneElse = await intake('checks', { type: 'access', email: 'claims@example.org', subjectId: 1 });
    expect(forSomeoneElse.status).toBe(400);
  });

  it('bad input answers 400 naming the field, with nothing written', async () => {
    const before = await count(t.suite, 'rights_requests');
    const codesBefore = await count(t.suite, 'rights_verifications');
    const noEmail = await intake('checks', { type: 'access' });
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.fields.map((f: { field: string }) => f.field)).toEqual(['email']);
    const badEmail = await intake('checks', { type: 'access', email: 'not an address' });
    expect(badEmail.body.fields.map((f: { field: string }) => f.field)).toEqual(['email']);
    const noChanges = await intake('checks', { type: 'rectify', email: 'x@example.org' });
    expect(noChanges.body.fields.map((f: { field: string }) => f.field)).toEqual(['changes']);
    const badType = await intake('checks', { type: 'teleport', email: 'x@example.org' });
    expect(badType.body.fields.map((f: { field: string }) => f.field)).toEqual(['type']);
    const notJson = await intake('checks', '{"type":', { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    expect(await count(t.suite, 'rights_requests')).toBe(before);
    expect(await count(t.suite, 'rights_verifications')).toBe(codesBefore);
  });

  it('a form post or any non-JSON body is refused with 415 before it is read, so a cross-site form cannot submit a request', async () => {
    const before = await count(t.suite, 'rights_requests');
    const form = await intake('json', 'type=erase&email=victim%40example.org', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(form.body.code).toBe('SUITE_JSON_REQUIRED');
    const text = await intake('json', JSON.stringify({ type: 'erase', email: 'victim@example.org' }), { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    const multipart = await intake('json', '--x\r\n\r\n--x--', { 'content-type': 'multipart/form-data; boundary=x' });
    expect(multipart.status).toBe(415);
    const verify = await fetch(`${t.baseUrl}/b/json/rights/requests/1/verify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'code=12345678' });
    expect(verify.status).toBe(415);
    expect(await count(t.suite, 'rights_requests')).toBe(before);
    // No CORS grant: a browser on another site cannot send the JSON either (the preflight gets no Access-Control-Allow-Origin).
    const preflight = await fetch(`${t.baseUrl}/b/json/rights/requests`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    // With a charset the content type is still JSON.
    const utf8 = await intake('json', { type: 'confirm', email: 'charset@example.org' }, { 'content-type': 'application/json; charset=utf-8' });
    expect(utf8.status).toBe(202);
  });

  it('a body over 16 kB is refused with 413', async () => {
    const res = await intake('json', { type: 'erase', email: 'big@example.org', message: 'x'.repeat(17 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('SUITE_BODY_TOO_LARGE');
  });

  it(`intake is rate-limited per IP and brand: the request after ${PUBLIC_LIMITS.intake.max} in an hour gets 429`, async () => {
    for (let i = 0; i < PUBLIC_LIMITS.intake.max; i++) expect((await intake('limits', { type: 'confirm', email: `n${i}@example.org` })).status).toBe(202);
    const before = await count(t.suite, 'rights_requests');
    const over = await intake('limits', { type: 'confirm', email: 'one-too-many@example.org' });
    expect(over.status).toBe(429);
    expect(over.body.code).toBe('SUITE_RATE_LIMITED');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await count(t.suite, 'rights_requests')).toBe(before);
    // Another brand's limit is its own.
    expect((await intake('checks', { type: 'confirm', email: 'elsewhere@example.org' })).status).toBe(202);
  });

  it("a brand whose register has no 'email' recipient answers 422 and writes nothing", async () => {
    const before = await count(t.suite, 'rights_requests');
    const res = await intake('nomail', { type: 'access', email: 'ada@example.org' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('SUITE_RIGHTS_EMAIL_UNAVAILABLE');
    expect(res.body.error).toMatch(/recipient "email"/);
    expect(await count(t.suite, 'rights_requests')).toBe(before);
  });

  it('the language of the code email follows the body, else Accept-Language', async () => {
    const de = await intake('same', { type: 'confirm', email: 'de@example.org', locale: 'de-DE' });
    const fr = await intake('same', { type: 'confirm', email: 'fr@example.org' }, { 'content-type': 'application/json', 'accept-language': 'fr-FR,fr;q=0.9' });
    const a = await rightsCall(t.baseUrl, key, 'same', 'GET', `/requests/${de.body.requestId}`);
    const b = await rightsCall(t.baseUrl, key, 'same', 'GET', `/requests/${fr.body.requestId}`);
    expect([a.body.request.locale, b.body.request.locale]).toEqual(['de', 'fr']);
  });
});
