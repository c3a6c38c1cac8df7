/** The signed hook API contract: signatures, skew window, idempotency, validation, unknown hooks, WHMCS answers. */
import { startTestSuite, createBrand, postHook, count, type TestSuite } from '../helpers/test-suite';

let t: TestSuite;
let secret: string;

const clientAdd = (id: number, extra: Record<string, unknown> = {}) => ({
  brand: 'acme',
  vars: { client_id: id, firstname: 'Ada', lastname: 'Lovelace', email: `ada${id}@example.org`, country: 'GB', password: 'hunter2-plain', ...extra },
  context: { ip: '203.0.113.9', userAgent: 'Mozilla/5.0 test', locale: 'en' },
});

beforeAll(async () => {
  t = await startTestSuite();
  secret = await createBrand(t.suite, 'acme');
});
afterAll(() => t.close());

describe('POST /api/v1/hooks/{HookName}', () => {
  it('ESM-1 / WSM-1 / MS-1.2: a signed ClientAdd is committed before the answer, every field tagged with its category, IP and browser captured', async () => {
    const res = await postHook(t.baseUrl, 'ClientAdd', secret, clientAdd(1));
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    const s = await t.suite.kernel.subjects.findByExternal((await t.suite.kernel.brands.get('acme')).id, 'client', 1);
    expect(s).toBeDefined();
    const fields = await t.suite.kernel.subjects.fields(s!.id);
    expect(fields.find((f) => f.name === 'email')?.value).toBe('ada1@example.org');
    expect(fields.find((f) => f.name === 'ip')?.category).toBe('usage');
    expect(fields.find((f) => f.name === 'user_agent')).toMatchObject({ category: 'usage', value: 'Mozilla/5.0 test' });
    expect(fields.find((f) => f.name === 'lastname')?.category).toBe('contact');
    const categories = new Set(['contact', 'billing', 'usage', 'identity-document', 'correspondence', 'registration', 'payment-token', 'mail-content']);
    for (const f of fields) expect(categories.has(f.category)).toBe(true);
  });

  it('never stores the plain password ClientAdd carries', async () => {
    await postHook(t.baseUrl, 'ClientAdd', secret, clientAdd(2));
    const rows = await t.suite.kernel.db('subject_fields').select('field');
    expect(rows.map((r: { field: string }) => r.field)).not.toContain('password');
    const idem = await t.suite.kernel.db('idempotency_keys').select('response');
    for (const r of idem) expect(String(r.response)).not.toContain('hunter2');
  });

  it.each([
    ['missing', { signature: null }],
    ['bad', { signature: 'v1=' + '0'.repeat(64) }],
    ['stale', { timestamp: Math.floor(Date.now() / 1000) - 301 }],
  ])('a %s signature is refused with 401 and nothing is written', async (_label, opts) => {
    const before = await count(t.suite, 'subjects');
    const res = await postHook(t.baseUrl, 'ClientAdd', secret, clientAdd(100), opts as never);
    expect(res.status).toBe(401);
    expect(String(res.body.code)).toMatch(/^SUITE_HOOK_/);
    expect(await count(t.suite, 'subjects')).toBe(before);
  });

  it('a signature made with another brand\'s secret is refused', async () => {
    const other = await createBrand(t.suite, 'other-shop');
    const res = await postHook(t.baseUrl, 'ClientAdd', other, clientAdd(101));
    expect(res.status).toBe(401);
  });

  it('a replayed Idempotency-Key returns the first answer and writes nothing new', async () => {
    const headers = { 'idempotency-key': 'evt-42' };
    const first = await postHook(t.baseUrl, 'ClientAdd', secret, clientAdd(42), { headers });
    const rows = await count(t.suite, 'subject_fields');
    const second = await postHook(t.baseUrl, 'ClientAdd', secret, clientAdd(42), { headers });
    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await count(t.suite, 'subject_fields')).toBe(rows);
  });

  it('the same Idempotency-Key with a different body is refused with 409', async () => {
    const headers = { 'idempotency-key': 'evt-43' };
    await postHook(t.baseUrl, 'ClientAdd', secret, clientAdd(43), { headers });
    const res = await postHook(t.baseUrl, 'ClientAdd', secret, clientAdd(44), { headers });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('SUITE_IDEMPOTENCY_MISMATCH');
    expect(await t.suite.kernel.subjects.findByExternal((await t.suite.kernel.brands.get('acme')).id, 'client', 44)).toBeUndefined();
  });

  it('an invalid payload is refused with 400 naming the field, and nothing is written', async () => {
    const before = await count(t.suite, 'subjects');
    const beforeIdem = await count(t.suite, 'idempotency_keys');
    const res = await postHook(t.baseUrl, 'ClientAdd', secret, clientAdd(50, { email: 'not-an-email', client_id: 'abc' }), { headers: { 'idempotency-key': 'bad-1' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('SUITE_VALIDATION_FAILED');
    const fields = (res.body.fields as { field: string }[]).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['vars.email', 'vars.client_id']));
    expect(await count(t.suite, 'subjects')).toBe(before);
    expect(await count(t.suite, 'idempotency_keys')).toBe(beforeIdem);
  });

  it('an unknown hook is answered 404', async () => {
    const res = await postHook(t.baseUrl, 'NoSuchHook', secret, { brand: 'acme', vars: {} });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('SUITE_HOOK_UNKNOWN');
  });

  it('SP-9: a field flagged as health data is refused with a clear error and nothing is written', async () => {
    const before = await count(t.suite, 'subjects');
    const res = await postHook(t.baseUrl, 'ClientAdd', secret, clientAdd(60, { health_condition: 'diabetes' }));
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('SUITE_HEALTH_DATA_REFUSED');
    expect(String(res.body.error)).toContain('health_condition');
    expect(await count(t.suite, 'subjects')).toBe(before);
  });
});
