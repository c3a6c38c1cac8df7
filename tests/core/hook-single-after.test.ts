/** An after hook with one handler runs without a savepoint; when that handler fails the outcome is the same as with one. */
import { createBrand, postHook, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { probeBindings, probeModule } from '../helpers/test-modules';

let t: TestSuite;
let secret: string;

beforeAll(async () => {
  t = await startTestSuite({ modules: [probeModule], bindings: probeBindings.filter((b) => b.id === 'probe-after-boom') });
  secret = await createBrand(t.suite, 'acme');
});
afterAll(() => t.close());

const markers = async () => (await t.suite.kernel.db('probe_markers').select('step')) as { step: string }[];
const failures = async () => (await t.suite.kernel.db('hook_failures').where({ binding: 'probe-after-boom' })) as { hook: string; code: string }[];

describe('a single after handler that fails', () => {
  it('in process: the call succeeds, the handler\'s writes roll back and the failure is recorded', async () => {
    const r = await t.suite.hooks.run('ClientAdd', { client_id: 1, email: 'a1@example.org' }, { brand: 'acme' });
    expect(r).toMatchObject({ ok: true, vetoed: false, failures: 1 });
    expect(await markers()).toEqual([]);
    expect(await failures()).toEqual([expect.objectContaining({ hook: 'ClientAdd', code: 'Error' })]);
  });

  it('over HTTP: answered 200 with afterHookFailures, the idempotency record is kept and a replay does nothing new', async () => {
    const body = { brand: 'acme', vars: { client_id: 2, email: 'a2@example.org' } };
    const headers = { 'idempotency-key': 'single-after-1' };
    const first = await postHook(t.baseUrl, 'ClientAdd', secret, body, { headers });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ ok: true, afterHookFailures: 1 });
    expect(await failures()).toHaveLength(2);
    const stored = await t.suite.kernel.db('idempotency_keys').where({ idem_key: 'single-after-1' });
    expect(stored).toHaveLength(1);
    const again = await postHook(t.baseUrl, 'ClientAdd', secret, body, { headers });
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await failures()).toHaveLength(2);
    expect(await markers()).toEqual([]);
  });
});
