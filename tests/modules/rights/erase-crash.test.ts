/**
 * MS-8f crash safety: 1,000 subjects (fields in the inventory, a platform client row and a paid invoice each) are
 * erased by the real CLI in a child process (`privacy-suite rights erase --file`), which is killed with SIGKILL part
 * way. Every subject is then either completely untouched or completely erased — never half — and the run's counter
 * matches; `privacy-suite rights resume` (another child process) finishes the run and every subject is erased.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cliEnv, runCli } from '../../helpers/run-cli';
import { createTestDb, type TestDb } from '../../helpers/test-db';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { rightsBrand } from './fixtures';

jest.setTimeout(300_000);

const N = 1000;
const FIELDS = ['firstname', 'lastname', 'email', 'address1', 'city', 'country'];
const BIN = path.resolve(__dirname, '../../../bin/privacy-suite.js');
let db: TestDb;
let t: TestSuite;
let brandId: number;

/** Inserts N clients, their subjects with six encrypted fields each, and one paid invoice each (ids 1…N). */
async function seed(): Promise<void> {
  const k = t.suite.kernel;
  const now = Date.now();
  for (let start = 1; start <= N; start += 50) {
    const ids = Array.from({ length: Math.min(50, N - start + 1) }, (_, i) => start + i);
    const person = (i: number): Record<string, string> => ({ firstname: 'Sofia', lastname: `Kovalevskaya${i}`, email: `sofia.${i}@example.org`, address1: `${i} Nevsky Prospekt`, city: 'Stockholm', country: 'SE' });
    await k.db.transaction(async (trx) => {
      await trx('platform_clients').insert(ids.map((i) => ({ id: i, brand_id: brandId, status: 'active', personal_enc: k.keyring.encryptSync(JSON.stringify(person(i))), email_hash: k.keyring.blindIndex(person(i).email), created_at: now, updated_at: now })));
      await trx('subjects').insert(ids.map((i) => ({ id: i, brand_id: brandId, kind: 'client', external_id: String(i), status: 'active', email_hash: k.keyring.blindIndex(person(i).email), created_at: now, updated_at: now })));
      await trx('subject_fields').insert(ids.flatMap((i) => FIELDS.map((f) => ({ subject_id: i, field: f, category: 'contact', value_enc: k.keyring.encryptSync(person(i)[f]), updated_at: now }))));
      await trx('platform_invoices').insert(ids.map((i) => ({ id: i, brand_id: brandId, client_id: i, total: 10 + i, status: 'paid', paid_at: now, created_at: now })));
    });
  }
}

/** Per-subject facts, in bulk: fields left, status, done row, statutory rows, platform personal data. */
async function states(): Promise<{ untouched: number; erased: number; half: number[] }> {
  const k = t.suite.kernel.db;
  const byId = <T>(rows: T[], key: (r: T) => number, value: (r: T) => number): Map<number, number> => new Map(rows.map((r) => [key(r), value(r)]));
  const fields = byId((await k('subject_fields').groupBy('subject_id').select('subject_id').count({ n: '*' })) as { subject_id: number; n: number }[], (r) => Number(r.subject_id), (r) => Number(r.n));
  const done = byId((await k('rights_erasures').where({ state: 'done' }).groupBy('subject_id').select('subject_id').count({ n: '*' })) as { subject_id: number; n: number }[], (r) => Number(r.subject_id), (r) => Number(r.n));
  const statutory = byId((await k('rights_statutory_records').groupBy('subject_id').select('subject_id').count({ n: '*' })) as { subject_id: number; n: number }[], (r) => Number(r.subject_id), (r) => Number(r.n));
  const suppressed = Number(((await k('rights_suppression').where({ brand_id: brandId }).count({ n: '*' }).first()) as { n: number }).n);
  const status = byId((await k('subjects').select('id', 'status')) as { id: number; status: string }[], (r) => Number(r.id), (r) => (r.status === 'erased' ? 1 : 0));
  const sealed = byId((await k('platform_clients').select('id', 'personal_enc')) as { id: number; personal_enc: string | null }[], (r) => Number(r.id), (r) => (r.personal_enc === null ? 0 : 1));
  let untouched = 0;
  let erased = 0;
  const half: number[] = [];
  for (let i = 1; i <= N; i++) {
    const u = fields.get(i) === FIELDS.length && status.get(i) === 0 && !done.has(i) && !statutory.has(i) && sealed.get(i) === 1;
    const e = !fields.has(i) && status.get(i) === 1 && done.get(i) === 1 && statutory.get(i) === 1 && sealed.get(i) === 0;
    if (u) untouched++;
    else if (e) erased++;
    else half.push(i);
  }
  expect(suppressed).toBe(erased);
  return { untouched, erased, half };
}

beforeAll(async () => {
  db = await createTestDb();
  t = await startTestSuite({ db, http: false });
  await rightsBrand(t.suite, 'crash');
  brandId = (await t.suite.kernel.brands.get('crash')).id;
  await seed();
});
afterAll(async () => {
  await t?.suite.stop();
  await db?.drop();
});

describe('erasure crash safety (MS-8f)', () => {
  it('MS-8f: a bulk erasure killed part way leaves each subject untouched or fully erased; resume finishes the run', async () => {
    const file = path.join(db.dataDir, 'subjects.txt');
    fs.writeFileSync(file, `${Array.from({ length: N }, (_, i) => i + 1).join('\n')}\n`);
    const child = spawn(process.execPath, [BIN, 'rights', 'erase', '--brand', 'crash', '--file', file, '--json'], { cwd: db.dataDir, env: cliEnv(db), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let killedAt = -1;
    const marks: [number, number][] = [];
    child.stdout!.resume();
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      for (const m of d.toString().matchAll(/erased (\d+)\/(\d+)/g)) {
        marks.push([Date.now(), Number(m[1])]);
        if (killedAt < 0 && Number(m[1]) >= 100) {
          killedAt = Number(m[1]);
          child.kill('SIGKILL');
        }
      }
    });
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    expect([exit, stderr.slice(-500)]).toEqual([{ code: null, signal: 'SIGKILL' }, expect.any(String)]);
    expect(killedAt).toBeGreaterThanOrEqual(100);

    const crashed = await states();
    expect(crashed.half).toEqual([]);
    expect(crashed.erased).toBeGreaterThanOrEqual(killedAt);
    expect(crashed.erased).toBeLessThan(N);
    expect(crashed.untouched + crashed.erased).toBe(N);
    const run = await t.suite.kernel.db('rights_erasure_runs').where({ brand_id: brandId }).first();
    expect(run).toMatchObject({ state: 'running' });
    expect(Number(run.done)).toBe(crashed.erased);
    if (process.env.RIGHTS_BENCH && marks.length > 1) {
      const [[t0, n0], [t1, n1]] = [marks[0], marks[marks.length - 1]];
      process.stdout.write(`erasure throughput (${db.dialect}): ${((n1 - n0) / ((t1 - t0) / 1000)).toFixed(0)} subjects/s\n`);
    }

    const started = Date.now();
    const resumed = await runCli(db, ['rights', 'resume', '--json']);
    expect(resumed.code).toBe(0);
    const body = JSON.parse(resumed.stdout) as { ok: boolean; runs: { runId: number; state: string; done: number; total: number; failed: number }[] };
    expect(body).toEqual({ ok: true, runs: [expect.objectContaining({ runId: Number(run.id), state: 'finished', done: N, total: N, failed: 0 })] });
    expect(resumed.stderr).toMatch(new RegExp(`erased ${N}/${N}`));
    if (process.env.RIGHTS_BENCH) process.stdout.write(`resume of ${N - crashed.erased} subjects (${db.dialect}): ${Date.now() - started} ms including start-up\n`);

    const final = await states();
    expect(final).toEqual({ untouched: 0, erased: N, half: [] });
    expect(await t.suite.kernel.db('rights_erasure_runs').where({ id: run.id }).first()).toMatchObject({ state: 'finished', done: N, failed: 0 });
    // Invoices keep their totals.
    expect(Number(((await t.suite.kernel.db('platform_invoices').sum({ s: 'total' }).first()) as { s: number }).s)).toBe(N * 10 + (N * (N + 1)) / 2);
    // Nothing left to resume.
    const again = await runCli(db, ['rights', 'resume', '--json']);
    expect(JSON.parse(again.stdout)).toEqual({ ok: true, runs: [] });
  });
});
