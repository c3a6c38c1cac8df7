/** The scheduler: one instance runs a job (lease row), a dead holder's lease is taken over, jobs see only brands their module is on for. */
import { defineModule } from '../../core/modules/define-module';
import { Scheduler } from '../../core/scheduler/scheduler';
import { createTestDb, type TestDb } from '../helpers/test-db';
import { createBrand, startTestSuite, type TestSuite } from '../helpers/test-suite';

const runs: { holder: string; brands: string[] }[] = [];
let jobMs = 150;
let jobFails = false;

/** A test-only module with one job that records which brands it was handed. */
const sweeper = defineModule({
  name: 'test-sweeper',
  version: '1.0.0',
  type: 'addon',
  description: 'Test-only: a scheduled job that records its runs.',
  storesPersonalData: false,
  jobs: [{
    name: 'sweep',
    schedule: '0 3 * * *',
    description: 'Records the brands it runs for.',
    async run({ brands, kernel }) {
      const entry = { holder: '', brands: brands.map((b) => b.slug).sort() };
      runs.push(entry);
      entry.holder = String((await kernel.db('job_leases').where({ name: JOB }).first())?.holder);
      await new Promise((r) => setTimeout(r, jobMs));
      if (jobFails) throw new Error('sweep failed');
      return { brands: brands.length };
    },
  }],
});
const JOB = 'test-sweeper:sweep';

let db: TestDb;
let a: TestSuite;
let b: TestSuite;

beforeAll(async () => {
  db = await createTestDb();
  a = await startTestSuite({ modules: [sweeper], bindings: [], http: false, db });
  b = await startTestSuite({ modules: [sweeper], bindings: [], http: false, db, migrate: false });
  await createBrand(a.suite, 'north');
  await createBrand(a.suite, 'south');
  await createBrand(a.suite, 'south-resell', { parent: 'south', profile: { controller: { name: 'Resell Ltd', email: 'privacy@resell.example', country: 'DE' } } });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await db?.drop();
});
beforeEach(() => {
  runs.length = 0;
  jobMs = 150;
  jobFails = false;
});

async function lease(): Promise<{ holder: string; expires_at: number } | undefined> {
  const r = (await a.suite.kernel.db('job_leases').where({ name: JOB }).first()) as { holder: string; expires_at: number } | undefined;
  return r && { holder: r.holder, expires_at: Number(r.expires_at) };
}

describe('scheduled jobs', () => {
  it('lists each module job as <module>:<job>', () => {
    expect(a.suite.scheduler.jobs().map((j) => j.name)).toEqual([JOB]);
  });

  it('two instances run a job at once: exactly one runs, the other finds the lease held', async () => {
    const [ra, rb] = await Promise.all([a.suite.scheduler.runJob(JOB), b.suite.scheduler.runJob(JOB)]);
    expect([ra.ran, rb.ran].filter(Boolean)).toHaveLength(1);
    const skipped = ra.ran ? rb : ra;
    expect(skipped.reason).toMatch(/lease held/);
    expect(runs).toHaveLength(1);
    const winner = ra.ran ? a.suite.scheduler : b.suite.scheduler;
    expect(runs[0].holder).toBe(winner.holder);
    // Released when done, so the next tick (on either instance) may run it.
    expect((await lease())!.expires_at).toBe(0);
    expect((await (ra.ran ? b : a).suite.scheduler.runJob(JOB)).ran).toBe(true);
  });

  it('a second tick in the same instance while the job still runs is skipped', async () => {
    const [r1, r2] = await Promise.all([a.suite.scheduler.runJob(JOB), a.suite.scheduler.runJob(JOB)]);
    expect([r1.ran, r2.ran].filter(Boolean)).toHaveLength(1);
    expect((r1.ran ? r2 : r1).reason).toMatch(/already running/);
    expect(runs).toHaveLength(1);
  });

  it('a lease held by a live instance is respected; one whose holder died (expired) is taken over', async () => {
    await a.suite.kernel.db('job_leases').where({ name: JOB }).update({ holder: 'i_alive', expires_at: Date.now() + 60_000 });
    const refused = await b.suite.scheduler.runJob(JOB);
    expect(refused).toMatchObject({ ran: false, reason: expect.stringMatching(/lease held/) });
    expect(runs).toHaveLength(0);

    await a.suite.kernel.db('job_leases').where({ name: JOB }).update({ holder: 'i_dead', expires_at: Date.now() - 1 });
    const taken = await b.suite.scheduler.runJob(JOB);
    expect(taken.ran).toBe(true);
    expect(runs).toHaveLength(1);
    expect(runs[0].holder).toBe(b.suite.scheduler.holder);
  });

  it('a job only receives the brands its module is switched on for (a reseller follows its provider unless switched itself)', async () => {
    const actor = { type: 'cli' as const, id: 'test' };
    expect((await a.suite.scheduler.runJob(JOB)).ran).toBe(true);
    expect(runs.pop()!.brands).toEqual(['north', 'south', 'south-resell']);

    await a.suite.kernel.brands.setEnabled('north', 'module', 'test-sweeper', false, actor);
    expect((await a.suite.scheduler.runJob(JOB)).ran).toBe(true);
    expect(runs.pop()!.brands).toEqual(['south', 'south-resell']);

    await a.suite.kernel.brands.setEnabled('south', 'module', 'test-sweeper', false, actor);
    expect((await a.suite.scheduler.runJob(JOB)).ran).toBe(true);
    expect(runs.pop()!.brands).toEqual([]);

    await a.suite.kernel.brands.setEnabled('south-resell', 'module', 'test-sweeper', true, actor);
    const r = await a.suite.scheduler.runJob(JOB);
    expect(r).toMatchObject({ ran: true, result: { brands: 1 } });
    expect(runs.pop()!.brands).toEqual(['south-resell']);

    for (const slug of ['north', 'south']) await a.suite.kernel.brands.setEnabled(slug, 'module', 'test-sweeper', true, actor);
  });

  it('a failing job is reported and gives its lease back', async () => {
    jobFails = true;
    const r = await a.suite.scheduler.runJob(JOB);
    expect(r).toMatchObject({ ran: true, error: 'sweep failed' });
    expect((await lease())!.expires_at).toBe(0);
    jobFails = false;
    expect((await b.suite.scheduler.runJob(JOB)).ran).toBe(true);
  });

  it('an unknown job is reported, not run', async () => {
    expect(await a.suite.scheduler.runJob('nope:nothing')).toMatchObject({ ran: false, reason: 'unknown job' });
  });

  it('a job that runs longer than its lease keeps renewing it, so no other instance starts it meanwhile', async () => {
    jobMs = 1600;
    const short = new Scheduler(a.suite.kernel, 1200); // renews every second
    const running = short.runJob(JOB);
    await new Promise((r) => setTimeout(r, 1400)); // past the first lease's end
    const l = await lease();
    expect(l!.holder).toBe(short.holder);
    expect(l!.expires_at).toBeGreaterThan(Date.now());
    expect((await b.suite.scheduler.runJob(JOB)).reason).toMatch(/lease held/);
    expect((await running).ran).toBe(true);
    expect(runs).toHaveLength(1);
  });

  it('stop() waits for running jobs and releases every lease the instance holds', async () => {
    jobMs = 100;
    const extra = new Scheduler(a.suite.kernel);
    await a.suite.kernel.db('job_leases').insert({ name: 'other:job', holder: extra.holder, expires_at: Date.now() + 60_000, acquired_at: Date.now() });
    const running = extra.runJob(JOB);
    await new Promise((r) => setTimeout(r, 20));
    await extra.stop();
    expect((await running).ran).toBe(true);
    const held = (await a.suite.kernel.db('job_leases').where({ holder: extra.holder }).select('expires_at')) as { expires_at: number }[];
    expect(held.map((h) => Number(h.expires_at))).toEqual([0, 0]);
  });
});
