/**
 * SP-8: the sweep works in batches, each one transaction with the run's checkpoint, so a run stopped between batches
 * — an error, SIGTERM to the CLI, SIGKILL — resumes exactly after its last committed batch on the next
 * `retention run`, and the total processed is exact (every subject erased once, none half-processed).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { cliEnv, runCli } from '../../helpers/run-cli';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { claimRun } from '../../../modules/retention/sweep/run-store';
import type { Json } from '../rights/fixtures';
import { approveAll, DAY, NOW, retention, retentionBrand, seedClients } from './fixtures';

jest.setTimeout(180_000);

const BIN = path.resolve(__dirname, '../../../bin/privacy-suite.js');
let t: TestSuite;
/** Batches that may still commit after the one that stopped the run: on MySQL the sweep keeps two in flight. */
const inFlight = (): number => (t.db.dialect === 'mysql' ? 1 : 0);

beforeAll(async () => {
  t = await startTestSuite({ http: false });
});
afterAll(async () => t?.close());

/** Per subject of the brand: erased with exactly one done erasure and no fields, or untouched (closed, six fields, no erasure). */
async function tally(brandId: number): Promise<{ erased: number; untouched: number; half: number[] }> {
  const db = t.suite.kernel.db;
  const subjects = (await db('subjects').where({ brand_id: brandId }).select('id', 'status')) as { id: number; status: string }[];
  const fields = new Map(((await db('subject_fields').whereIn('subject_id', db('subjects').where({ brand_id: brandId }).select('id')).groupBy('subject_id').select('subject_id').count({ n: '*' })) as { subject_id: number; n: number }[]).map((r) => [Number(r.subject_id), Number(r.n)]));
  const done = new Map(((await db('rights_erasures').where({ brand_id: brandId, state: 'done' }).groupBy('subject_id').select('subject_id').count({ n: '*' })) as { subject_id: number; n: number }[]).map((r) => [Number(r.subject_id), Number(r.n)]));
  const out = { erased: 0, untouched: 0, half: [] as number[] };
  for (const s of subjects) {
    const id = Number(s.id);
    if (s.status === 'erased' && !fields.has(id) && done.get(id) === 1) out.erased++;
    else if (s.status === 'closed' && fields.get(id) === 6 && !done.has(id)) out.untouched++;
    else out.half.push(id);
  }
  return out;
}

async function closedBrand(slug: string, n: number): Promise<number> {
  const id = await retentionBrand(t.suite, slug, [{ category: 'contact', from: 'account-closed', days: 30, action: 'anonymise' }]);
  await approveAll(t.suite, slug);
  await seedClients(t.suite, id, Array.from({ length: n }, () => ({ closedAt: NOW - 90 * DAY })));
  return id;
}

function spawnRun(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [BIN, 'retention', 'run', ...args], { cwd: t.db.dataDir, env: cliEnv(t.db, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, exited, stderr: () => stderr, stdout: () => stdout, onErr: (fn: (all: string) => void) => child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); fn(stderr); }) };
}

describe('resumable sweep (SP-8)', () => {
  it('SP-8: a run stopped after its 2nd batch (an error) resumes from the checkpoint; the total is exact', async () => {
    const id = await closedBrand('resume-error', 1200);
    let batches = 0;
    await expect(retention(t.suite).run({ brand: 'resume-error', now: NOW, batchSize: 100, onProgress: () => { if (++batches === 2) throw new Error('stop here'); } })).rejects.toThrow('stop here');
    const stopped = await t.suite.kernel.db('retention_runs').where({ dry_run: false }).orderBy('id', 'desc').first();
    expect(stopped).toMatchObject({ state: 'failed', error: 'Error' });
    // Two batches committed (on MySQL the one in flight may commit too); the checkpoint is right after the last of them.
    const { erased } = await tally(id);
    expect([200, 200 + 100 * inFlight()]).toContain(erased);
    expect(await tally(id)).toEqual({ erased, untouched: 1200 - erased, half: [] });
    expect(JSON.parse(stopped.report).brands[0].rules[0].processed).toBe(erased);
    const cursor = (JSON.parse(stopped.checkpoint) as { cursor: number }).cursor;
    const ids = ((await t.suite.kernel.db('subjects').where({ brand_id: id }).orderBy('id').pluck('id')) as number[]).map(Number);
    expect(cursor).toBe(ids[erased - 1]);

    const again = (await retention(t.suite).run({ brand: 'resume-error', now: NOW, batchSize: 100 })) as Json;
    expect(again).toMatchObject({ ok: true, resumed: [Number(stopped.id)], run: { runId: Number(stopped.id), state: 'finished' } });
    expect(again.run.report.brands[0].rules[0]).toMatchObject({ eligible: 1200, processed: 1200, failed: 0, state: 'done' });
    expect(await tally(id)).toEqual({ erased: 1200, untouched: 0, half: [] });
  });

  it('SP-8: a session that lost the run to another (it stalled past its lease) writes no further batch; the run\'s total stays exact', async () => {
    const id = await closedBrand('resume-superseded', 500);
    let runId = 0;
    const out = await retention(t.suite).run({
      brand: 'resume-superseded', now: NOW, batchSize: 100,
      onProgress: async (p) => { if (!runId) { runId = p.runId; await claimRun(t.suite.kernel.db, p.runId, 's_someone_else'); } },
    });
    // The stalled session stops at its next batch and leaves the run to the new holder, as it is.
    expect(out.run).toMatchObject({ runId, state: 'running' });
    // A batch that had written its record before the take-over commits first (the take-over waits for its lock).
    const { erased } = await tally(id);
    expect([100, 100 + 100 * inFlight()]).toContain(erased);
    expect(await tally(id)).toEqual({ erased, untouched: 500 - erased, half: [] });
    expect(JSON.parse((await t.suite.kernel.db('retention_runs').where({ id: runId }).first()).report).brands[0].rules[0].processed).toBe(erased);
    const resumed = await retention(t.suite).run({ brand: 'resume-superseded', now: NOW, batchSize: 100 });
    expect(resumed).toMatchObject({ ok: true, resumed: [runId] });
    expect(resumed.run!.report.brands[0].rules[0]).toMatchObject({ processed: 500, failed: 0 });
    expect(await tally(id)).toEqual({ erased: 500, untouched: 0, half: [] });
  });

  it('SP-8: SIGTERM stops the CLI between batches (progress bar on stderr); the next `retention run` resumes and finishes', async () => {
    const id = await closedBrand('resume-sigterm', 2000);
    const run = spawnRun(['--brand', 'resume-sigterm'], { SUITE_RETENTION_BATCH_SIZE: '40' });
    let signalled = false;
    run.onErr((all) => {
      if (!signalled && /retention \[#*-*\] \d+\/2,000 subjects \(resume-sigterm \/ contact:account-closed:anonymise\)/.test(all)) {
        signalled = true;
        run.child.kill('SIGTERM');
      }
    });
    expect(await run.exited).toEqual({ code: 1, signal: null });
    expect(signalled).toBe(true);
    const out = JSON.parse(run.stdout()) as Json;
    expect(out).toMatchObject({ ok: false, run: { state: 'interrupted', error: 'stopped' } });
    const mid = await tally(id);
    expect(mid.half).toEqual([]);
    expect(mid.erased).toBeGreaterThan(0);
    expect(mid.erased % 40).toBe(0);
    expect(mid.erased).toBeLessThan(2000);
    expect(out.run.report.brands[0].rules[0].processed).toBe(mid.erased);

    const resumed = await runCli(t.db, ['retention', 'run', '--brand', 'resume-sigterm', '--json']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toBe(''); // --json: no progress bar
    const body = JSON.parse(resumed.stdout) as Json;
    expect(body).toMatchObject({ ok: true, resumed: [out.run.runId], run: { runId: out.run.runId, state: 'finished' } });
    expect(body.run.report.brands[0].rules[0]).toMatchObject({ processed: 2000, failed: 0 });
    expect(await tally(id)).toEqual({ erased: 2000, untouched: 0, half: [] });
  });

  it('SP-8: SIGKILL leaves whole batches; the lease blocks a new run until it expires, then the run resumes and the total is exact', async () => {
    const id = await closedBrand('resume-kill', 2000);
    // The lease must outlast the next CLI's start-up (a few seconds on a loaded machine) for the busy check below.
    const env = { SUITE_RETENTION_BATCH_SIZE: '40', SUITE_RETENTION_LEASE_MS: '10000' };
    const run = spawnRun(['--brand', 'resume-kill'], env);
    let killed = false;
    run.onErr((all) => {
      if (!killed && /\d+\/2,000 subjects/.test(all)) {
        killed = true;
        run.child.kill('SIGKILL');
      }
    });
    expect(await run.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const mid = await tally(id);
    expect(mid.half).toEqual([]);
    expect(mid.erased % 40).toBe(0);
    const crashed = await t.suite.kernel.db('retention_runs').where({ dry_run: false, state: 'running' }).first();
    expect(crashed).toBeTruthy();
    expect(JSON.parse(crashed.report).brands[0].rules[0].processed).toBe(mid.erased);

    const busy = await runCli(t.db, ['retention', 'run', '--json'], env);
    expect([busy.code, JSON.parse(busy.stderr).code]).toEqual([1, 'SUITE_RETENTION_BUSY']);
    await new Promise((r) => setTimeout(r, 10_200)); // the lease expires (10 s after its last renewal, before the kill)
    const resumed = await runCli(t.db, ['retention', 'run', '--brand', 'resume-kill', '--json'], env);
    expect(resumed.code).toBe(0);
    const body = JSON.parse(resumed.stdout) as Json;
    expect(body.resumed).toEqual([Number(crashed.id)]);
    expect(body.run.report.brands[0].rules[0]).toMatchObject({ processed: 2000, failed: 0, state: 'done' });
    expect(await tally(id)).toEqual({ erased: 2000, untouched: 0, half: [] });
  });
});
