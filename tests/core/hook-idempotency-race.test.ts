/** Idempotency keys are checked in the hook's own transaction: concurrent and later repeats replay the first answer, and write nothing new. */
import { count, createBrand, postHook, startTestSuite, type TestSuite } from '../helpers/test-suite';

let t: TestSuite;
let secret: string;

beforeAll(async () => {
  t = await startTestSuite();
  secret = await createBrand(t.suite, 'acme');
});
afterAll(() => t.close());

const clientAdd = (id: number) => ({ brand: 'acme', vars: { client_id: id, firstname: 'Ada', email: `ada${id}@example.org`, country: 'GB' } });

describe('Idempotency-Key under concurrency', () => {
  it('eight concurrent requests with one key: one is applied, all answer the same, one record is kept', async () => {
    const headers = { 'idempotency-key': 'race-1' };
    const fieldsBefore = await count(t.suite, 'subject_fields');
    const answers = await Promise.all(Array.from({ length: 8 }, () => postHook(t.baseUrl, 'ClientAdd', secret, clientAdd(900), { headers })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    for (const a of answers) expect(a.body).toEqual(answers[0].body);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    expect(await t.suite.kernel.db('idempotency_keys').where({ idem_key: 'race-1' })).toHaveLength(1);
    expect(await t.suite.kernel.db('subjects').where({ external_id: '900' })).toHaveLength(1);
    const fieldsAfterFirst = await count(t.suite, 'subject_fields');
    expect(fieldsAfterFirst).toBeGreaterThan(fieldsBefore);
  });

  it('a later repeat with an invalid body under a used key is refused as a mismatch (409), not re-validated', async () => {
    const headers = { 'idempotency-key': 'race-1' };
    const res = await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'acme', vars: { client_id: 'not-a-number' } }, { headers });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('SUITE_IDEMPOTENCY_MISMATCH');
  });

  it('a repeat does not touch the stored subject (its writes roll back)', async () => {
    const headers = { 'idempotency-key': 'race-2' };
    await postHook(t.baseUrl, 'ClientAdd', secret, clientAdd(901), { headers });
    const before = (await t.suite.kernel.db('subject_fields').join('subjects', 'subjects.id', 'subject_fields.subject_id').where('subjects.external_id', '901').select('subject_fields.field', 'subject_fields.value_enc', 'subject_fields.updated_at')) as unknown[];
    await new Promise((r) => setTimeout(r, 5));
    const again = await postHook(t.baseUrl, 'ClientAdd', secret, clientAdd(901), { headers });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const after = await t.suite.kernel.db('subject_fields').join('subjects', 'subjects.id', 'subject_fields.subject_id').where('subjects.external_id', '901').select('subject_fields.field', 'subject_fields.value_enc', 'subject_fields.updated_at');
    expect(after).toEqual(before);
  });
});
