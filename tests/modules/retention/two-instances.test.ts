/**
 * SP-8: two instances on one database start the sweep at the same moment — exactly one runs it, the other reports
 * the lease held: two suites calling the scheduled job (scheduler.runJob) concurrently, and two `retention run` CLI
 * processes started together. Every subject is processed once, by one run.
 */
import { runCli } from '../../helpers/run-cli';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import type { Json } from '../rights/fixtures';
import { approveAll, DAY, NOW, retentionBrand, seedClients } from './fixtures';

jest.setTimeout(180_000);

let a: TestSuite;
let b: TestSuite;

beforeAll(async () => {
  a = await startTestSuite({ http: false });
  b = await startTestSuite({ db: a.db, http: false });
});
afterAll(async () => {
  await b?.suite.stop();
  await a?.close();
});

async function erasedCount(brandId: number): Promise<{ erased: number; doneRows: number }> {
  const db = a.suite.kernel.db;
  const erased = Number(((await db('subjects').where({ brand_id: brandId, status: 'erased' }).count({ n: '*' }).first()) as { n: number }).n);
  const doneRows = Number(((await db('rights_erasures').where({ brand_id: brandId, state: 'done' }).count({ n: '*' }).first()) as { n: number }).n);
  return { erased, doneRows };
}

async function brandWith(slug: string, n: number): Promise<number> {
  const id = await retentionBrand(a.suite, slug, [{ category: 'contact', from: 'account-closed', days: 30, action: 'anonymise' }]);
  await approveAll(a.suite, slug);
  await seedClients(a.suite, id, Array.from({ length: n }, () => ({ closedAt: NOW - 60 * DAY })));
  return id;
}

describe('one sweep at a time (SP-8)', () => {
  it('SP-8: two suites run the retention:sweep job at the same time: exactly one runs it, the other finds the lease held', async () => {
    const id = await brandWith('twins-job', 1500);
    const [ra, rb] = await Promise.all([a.suite.scheduler.runJob('retention:sweep'), b.suite.scheduler.runJob('retention:sweep')]);
    const ran = [ra, rb].filter((r) => r.ran);
    const refused = [ra, rb].filter((r) => !r.ran);
    expect([ran.length, refused.length]).toEqual([1, 1]);
    expect(refused[0].reason).toBe('lease held by another instance');
    expect(ran[0].error).toBeUndefined();
    expect(ran[0].result).toMatchObject({ state: 'finished', processed: 1500, failed: 0 });
    expect(await erasedCount(id)).toEqual({ erased: 1500, doneRows: 1500 });
    expect(Number(((await a.suite.kernel.db('retention_runs').where({ dry_run: false }).count({ n: '*' }).first()) as { n: number }).n)).toBe(1);
    // The lease is given back: the next tick runs (nothing left to do).
    expect((await b.suite.scheduler.runJob('retention:sweep')).result).toMatchObject({ state: 'finished', processed: 0 });
  });

  it('SP-8: two `retention run` processes started together: one runs the sweep, the other exits 1 with SUITE_RETENTION_BUSY', async () => {
    const id = await brandWith('twins-cli', 3000);
    const runsBefore = Number(((await a.suite.kernel.db('retention_runs').count({ n: '*' }).first()) as { n: number }).n);
    // Small batches make the run last seconds, longer than the gap between the two processes' start-ups.
    const env = { SUITE_RETENTION_BATCH_SIZE: '10' };
    const [p, q] = await Promise.all([runCli(a.db, ['retention', 'run', '--brand', 'twins-cli', '--json'], env), runCli(a.db, ['retention', 'run', '--brand', 'twins-cli', '--json'], env)]);
    const winners = [p, q].filter((r) => r.code === 0);
    const losers = [p, q].filter((r) => r.code !== 0);
    expect([winners.length, losers.length]).toEqual([1, 1]);
    expect(losers[0].code).toBe(1);
    expect(JSON.parse(losers[0].stderr)).toMatchObject({ ok: false, code: 'SUITE_RETENTION_BUSY' });
    const won = JSON.parse(winners[0].stdout) as Json;
    expect(won.run.report.brands[0].rules[0]).toMatchObject({ processed: 3000, failed: 0 });
    expect(await erasedCount(id)).toEqual({ erased: 3000, doneRows: 3000 });
    expect(Number(((await a.suite.kernel.db('retention_runs').count({ n: '*' }).first()) as { n: number }).n)).toBe(runsBefore + 1);
  });
});
