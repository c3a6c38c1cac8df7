/** The housekeeping job prunes idempotency answers and delivered outbox rows past their keep period, per brand. */
import { startTestSuite, createBrand, postHook, count, type TestSuite } from '../helpers/test-suite';
import inventory from '../../modules/inventory';
import housekeeping from '../../modules/housekeeping';

let t: TestSuite;

beforeAll(async () => {
  t = await startTestSuite({ modules: [inventory, housekeeping] });
});
afterAll(() => t.close());

it('prunes idempotency answers older than the brand keeps them, and leaves recent ones', async () => {
  const secret = await createBrand(t.suite, 'acme', { profile: { controller: { name: 'A', email: 'a@a.example' }, modules: { housekeeping: { idempotencyDays: 2 } } } });
  for (const [i, key] of ['old-1', 'old-2', 'new-1'].entries()) {
    const res = await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'acme', vars: { client_id: i + 1, email: 'x@example.org' } }, { headers: { 'idempotency-key': key } });
    expect(res.status).toBe(200);
  }
  await t.suite.kernel.db('idempotency_keys').whereIn('idem_key', ['old-1', 'old-2']).update({ created_at: Date.now() - 3 * 86_400_000 });
  const before = await count(t.suite, 'idempotency_keys');
  const run = await t.suite.scheduler.runJob('housekeeping:prune');
  expect(run.ran).toBe(true);
  expect(before).toBe(3);
  expect((run.result as { idempotency: number }).idempotency).toBe(2);
  expect((await t.suite.kernel.db('idempotency_keys').select('idem_key')).map((r: { idem_key: string }) => r.idem_key)).toEqual(['new-1']);
});
