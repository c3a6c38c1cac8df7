/**
 * SP-8 / MS-9: kill -9 during a sweep of 100,000 subjects (run on SQLite and on MariaDB). The CLI child is killed with
 * SIGKILL part way; every subject is then either untouched or completely anonymised (whole batches only), and the
 * next `retention run` resumes the crashed run from its checkpoint and finishes it with an exact total.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fillMinimalSubjects } from '../../../scripts/bench/erasure-fill';
import { cliEnv, runCli } from '../../helpers/run-cli';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import type { Json } from '../rights/fixtures';
import { approveAll, retentionBrand } from './fixtures';

jest.setTimeout(600_000);

const BIN = path.resolve(__dirname, '../../../bin/privacy-suite.js');
const SUBJECTS = 100_000;
const BATCH = 500;
const ENV = { SUITE_RETENTION_BATCH_SIZE: String(BATCH), SUITE_RETENTION_LEASE_MS: '3000' };
let t: TestSuite;

beforeAll(async () => {
  t = await startTestSuite({ http: false });
});
afterAll(async () => t?.close());

/** Each subject of the brand: anonymised (erased, no fields, one done erasure, a suppression hash) or untouched (closed, its 5 fields, no erasure). */
async function tally(brandId: number): Promise<{ erased: number; untouched: number; half: number }> {
  const rows = (await t.suite.kernel.db.raw(
    `select s.status as status,
       (select count(*) from subject_fields f where f.subject_id = s.id) as fields,
       (select count(*) from rights_erasures e where e.subject_id = s.id and e.state = 'done') as done
     from subjects s where s.brand_id = ?`, [brandId])) as unknown;
  const list = (Array.isArray(rows) && Array.isArray(rows[0]) ? rows[0] : rows) as { status: string; fields: number | string; done: number | string }[];
  const out = { erased: 0, untouched: 0, half: 0 };
  for (const r of list) {
    const fields = Number(r.fields);
    const done = Number(r.done);
    if (r.status === 'erased' && fields === 0 && done === 1) out.erased++;
    else if (r.status === 'closed' && fields === 5 && done === 0) out.untouched++;
    else out.half++;
  }
  return out;
}

it('SP-8 / MS-9: kill -9 during a sweep of 100,000 subjects leaves no subject half-processed; the next run resumes and finishes', async () => {
  const brandId = await retentionBrand(t.suite, 'crash-sweep', [{ category: 'contact', from: 'account-closed', days: 365, action: 'anonymise' }]);
  await approveAll(t.suite, 'crash-sweep');
  await fillMinimalSubjects(t.suite.kernel, { brandId, count: SUBJECTS });
  expect(await tally(brandId)).toEqual({ erased: 0, untouched: SUBJECTS, half: 0 });

  const child = spawn(process.execPath, [BIN, 'retention', 'run', '--brand', 'crash-sweep'], { cwd: t.db.dataDir, env: cliEnv(t.db, ENV), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let killed = false;
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    // Kill once at least 10,000 subjects are committed: "retention [###---] 12,000/100,000 subjects (…)".
    const seen = [...stderr.matchAll(/([\d,]+)\/100,000 subjects/g)].map((m) => Number(m[1].replace(/,/g, '')));
    if (!killed && seen.length && seen[seen.length - 1] >= 10_000) {
      killed = true;
      child.kill('SIGKILL');
    }
  });
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  expect(exit).toEqual({ code: null, signal: 'SIGKILL' });

  const mid = await tally(brandId);
  expect(mid.half).toBe(0);
  expect(mid.erased).toBeGreaterThanOrEqual(10_000);
  expect(mid.erased).toBeLessThan(SUBJECTS);
  expect(mid.erased % BATCH).toBe(0);
  expect(mid.erased + mid.untouched).toBe(SUBJECTS);
  const crashed = await t.suite.kernel.db('retention_runs').where({ dry_run: false, state: 'running' }).first();
  expect(JSON.parse(crashed.report).brands[0].rules[0].processed).toBe(mid.erased);

  await new Promise((r) => setTimeout(r, 3200)); // the dead process's lease expires
  const resumed = await runCli(t.db, ['retention', 'run', '--brand', 'crash-sweep', '--json'], ENV);
  expect(resumed.code).toBe(0);
  const body = JSON.parse(resumed.stdout) as Json;
  expect(body).toMatchObject({ ok: true, resumed: [Number(crashed.id)], run: { runId: Number(crashed.id), state: 'finished' } });
  expect(body.run.report.brands[0].rules[0]).toMatchObject({ processed: SUBJECTS, failed: 0, state: 'done' });
  expect(await tally(brandId)).toEqual({ erased: SUBJECTS, untouched: 0, half: 0 });
  const suppressed = (await t.suite.kernel.db('rights_suppression').where({ brand_id: brandId }).count({ n: '*' }).first()) as { n: number | string };
  expect(Number(suppressed.n)).toBe(SUBJECTS);
});
