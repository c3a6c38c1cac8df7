/**
 * Graceful shutdown: on stop the server refuses new work, finishes in-flight requests, releases its job leases and
 * closes; a second instance takes over scheduled work at once.
 */
import { defineModule } from '../../core/modules/define-module';
import { createTestDb, type TestDb } from '../helpers/test-db';
import { startTestSuite, createBrand, type TestSuite } from '../helpers/test-suite';

const SLOW_MS = 400;
let entered: () => void = () => undefined;

/** A test module with one slow client route, to have a request in flight while the server stops. */
const slowModule = defineModule({
  name: 'slow',
  version: '1.0.0',
  type: 'addon',
  description: 'Answers after a delay (test only).',
  storesPersonalData: false,
  routes: {
    client: (router) => {
      router.get('/wait', (_req, res) => {
        entered();
        setTimeout(() => res.json({ ok: true, waited: SLOW_MS }), SLOW_MS);
      });
    },
  },
});

let db: TestDb;
let a: TestSuite;
let b: TestSuite;

beforeAll(async () => {
  db = await createTestDb();
  a = await startTestSuite({ db, modules: [slowModule] });
  b = await startTestSuite({ db, modules: [slowModule], http: false });
  await createBrand(a.suite, 'acme');
});
afterAll(async () => {
  await b.suite.stop();
  await db.drop();
});

describe('graceful shutdown', () => {
  it('instance A holds a job lease; B cannot take it while A runs; after A.stop() B takes it at once', async () => {
    expect(await a.suite.scheduler.leases.acquire('x:job', 600_000)).toBe(true);
    expect(await b.suite.scheduler.leases.acquire('x:job', 600_000)).toBe(false);

    const inside = new Promise<void>((resolve) => { entered = resolve; });
    const slow = fetch(`${a.baseUrl}/b/acme/slow/wait`).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> }));
    await inside;
    const started = Date.now();
    await a.suite.stop();

    // The request that was in flight when stop began completed normally, and stop waited for it.
    expect(await slow).toEqual({ status: 200, body: { ok: true, waited: SLOW_MS } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_MS - 100);
    // A stopped accepting: a new connection is refused.
    await expect(fetch(`${a.baseUrl}/healthz`)).rejects.toThrow();
    // A released its lease: B takes over the scheduled work without waiting for the lease to expire.
    expect(await b.suite.scheduler.leases.acquire('x:job', 600_000)).toBe(true);
    const lease = await b.suite.kernel.db('job_leases').where({ name: 'x:job' }).first();
    expect(lease.holder).toBe(b.suite.scheduler.holder);
  });
});
