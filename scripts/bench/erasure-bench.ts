/**
 * Batch erasure bench (MS-8f, MS-9 / WSM-27): N minimal subjects (a closed client with five encrypted fields, half of
 * them with a platform client row, a third with a marketing consent state) erased in batches of B, each batch ONE
 * transaction through eraseBatchInTransaction (the path the retention sweep takes), timed, with the SQL statements
 * of one batch counted and RSS sampled; then a sample erased one subject per transaction with eraseSubject, for the
 * comparison. Target on MariaDB: 100,000 subjects well under 2 minutes (≥ 1,500 subjects/s).
 *
 *   node --expose-gc bin/run-ts.js scripts/bench/erasure-bench.ts [--subjects N] [--batch B] [--one-by-one M] [--dialect sqlite|mysql|all] [--json]
 *
 * MariaDB: as for `npm run bench` (BENCH_MYSQL_URL, else a mysql:// DATABASE_URL, else mysql://root@127.0.0.1:3306/test); skipped with a note when unreachable.
 */
import crypto from 'node:crypto';
import { Suite } from '../../core/suite';
import { INSTALLED_MODULES } from '../../modules/installed';
import { eraseBatchInTransaction, prepareBatch } from '../../modules/rights/erase/erase-batch';
import { eraseSubject } from '../../modules/rights/erase/erase-subject';
import { planErasure } from '../../modules/rights/erase/erasure-plan';
import { forEachDialect, type BenchDb, parseDialects } from './db';
import { fillMinimalSubjects } from './erasure-fill';

interface Options { subjects: number; batch: number; oneByOne: number; dialects: ('sqlite' | 'mysql')[]; json: boolean }

function parseArgs(argv: string[]): Options {
  const opts: Options = { subjects: 100_000, batch: 500, oneByOne: 2000, dialects: ['sqlite', 'mysql'], json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => Math.max(1, Number.parseInt(argv[++i] ?? '', 10));
    if (a === '--json') opts.json = true;
    else if (a === '--subjects') opts.subjects = num();
    else if (a === '--batch') opts.batch = Math.min(2000, num());
    else if (a === '--one-by-one') opts.oneByOne = num();
    else if (a === '--dialect') {
      opts.dialects = parseDialects(argv[++i]);
    } else throw new Error(`unknown option ${a}`);
  }
  if (![opts.subjects, opts.batch, opts.oneByOne].every(Number.isFinite)) throw new Error('--subjects, --batch and --one-by-one take numbers');
  return opts;
}

const BRAND = 'erasure-bench';
const ACTOR = { type: 'cli' as const, id: 'bench' };
const PROFILE = {
  controller: { name: 'Bench Hosting Ltd', email: 'privacy@bench.example', country: 'GB' },
  purposes: [{ code: 'service', description: 'Providing the service', legalBasis: 'contract' }, { code: 'legal', description: 'Legal obligations', legalBasis: 'legal-obligation' }],
  recipients: [{ code: 'email', name: 'Mail relay', kind: 'email', purposes: ['service', 'legal'], categories: ['contact'] }],
};
const MB = 1024 * 1024;

/** Everything measured on one dialect. */
interface DialectReport {
  dialect: 'sqlite' | 'mysql'; skipped?: string; setupSeconds?: number; subjects?: number; batch?: number; batchSeconds?: number; batchPerSecond?: number;
  slowestBatchMs?: number; statementsPerBatch?: number; peakRssMB?: number; rssGrowthMB?: number; oneByOne?: number; oneByOneSeconds?: number; oneByOnePerSecond?: number;
  speedup?: number; projected100kSeconds?: number; allErased?: boolean; targetPerSecond: 1500; withinTarget?: boolean;
}

async function benchDialect(db: BenchDb, opts: Options, log: (s: string) => void): Promise<DialectReport> {
  const suite = await Suite.create({ env: {}, modules: INSTALLED_MODULES, config: { databaseUrl: db.url, dataDir: db.dataDir, masterKey: crypto.randomBytes(32).toString('hex'), logLevel: 'silent', scheduler: false } });
  try {
    const { kernel } = suite;
    await kernel.brands.create({ slug: BRAND, name: 'Erasure Bench', profile: PROFILE }, ACTOR);
    const brand = await kernel.brands.get(BRAND);
    const s0 = Date.now();
    const ids = await fillMinimalSubjects(kernel, { brandId: brand.id, count: opts.subjects + opts.oneByOne });
    const setupSeconds = +((Date.now() - s0) / 1000).toFixed(1);
    log(`  ${db.dialect}: ${ids.length} minimal subjects set up in ${setupSeconds} s; erasing ${opts.subjects} in batches of ${opts.batch}…`);
    const profile = await kernel.brands.profile(brand);
    const plan = await planErasure(kernel, brand, profile);
    const batched = ids.slice(0, opts.subjects);

    let statements = 0;
    let counting = false;
    kernel.db.on('query', () => { if (counting) statements++; });
    (globalThis as { gc?: () => void }).gc?.();
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    const timer = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);
    let slowest = 0;
    let statementsPerBatch = 0;
    const t0 = process.hrtime.bigint();
    try {
      for (let i = 0; i < batched.length; i += opts.batch) {
        const part = batched.slice(i, i + opts.batch);
        const b0 = process.hrtime.bigint();
        await prepareBatch(kernel);
        counting = i === 0;
        const out = await kernel.db.transaction((trx) => eraseBatchInTransaction(kernel, trx, plan, part, { actor: ACTOR, source: 'bench', reference: `erasure-bench:${i / opts.batch}` }));
        if (counting) statementsPerBatch = statements;
        counting = false;
        if (out.erased.length !== part.length) throw new Error(`batch ${i / opts.batch} erased ${out.erased.length} of ${part.length}`);
        slowest = Math.max(slowest, Number(process.hrtime.bigint() - b0) / 1e6);
        if ((i / opts.batch) % 40 === 39) log(`  ${db.dialect}: erased ${i + part.length}/${batched.length}`);
      }
    } finally {
      clearInterval(timer);
    }
    const batchSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

    const single = ids.slice(opts.subjects);
    const o0 = process.hrtime.bigint();
    for (const subjectId of single) await eraseSubject(kernel, { brand, profile, subjectId, actor: ACTOR }, plan);
    const oneByOneSeconds = Number(process.hrtime.bigint() - o0) / 1e9;

    const left = (await kernel.db('subjects').where({ brand_id: brand.id }).whereNot({ status: 'erased' }).count({ n: '*' }).first()) as { n: number | string };
    const fields = (await kernel.db('subject_fields').count({ n: '*' }).first()) as { n: number | string };
    const batchPerSecond = Math.round(batched.length / batchSeconds);
    const oneByOnePerSecond = single.length ? Math.round(single.length / oneByOneSeconds) : 0;
    return {
      dialect: db.dialect, setupSeconds, subjects: batched.length, batch: opts.batch, batchSeconds: +batchSeconds.toFixed(2), batchPerSecond, slowestBatchMs: Math.round(slowest),
      statementsPerBatch, peakRssMB: Math.round(peakRss / MB), rssGrowthMB: Math.round((peakRss - baseRss) / MB), oneByOne: single.length, oneByOneSeconds: +oneByOneSeconds.toFixed(2), oneByOnePerSecond,
      speedup: oneByOnePerSecond ? +(batchPerSecond / oneByOnePerSecond).toFixed(1) : undefined, projected100kSeconds: +(100_000 / batchPerSecond).toFixed(1),
      allErased: Number(left.n) === 0 && Number(fields.n) === 0, targetPerSecond: 1500, withinTarget: batchPerSecond >= 1500,
    };
  } finally {
    await suite.stop();
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const log = (s: string) => { if (!opts.json) console.log(s); else process.stderr.write(`${s}\n`); };
  const reports = await forEachDialect<DialectReport>(opts.dialects, (dialect, reason) => {
    log(`batch erasure bench on ${dialect}: skipped, MariaDB/MySQL not reachable (${reason})`);
    return { dialect, skipped: `MariaDB/MySQL not reachable (${reason})`, targetPerSecond: 1500 };
  }, (db) => {
    log(`batch erasure bench on ${db.dialect}:`);
    return benchDialect(db, opts, log);
  });
  if (opts.json) {
    console.log(JSON.stringify({ bench: 'batch-erasure', subjects: opts.subjects, batch: opts.batch, reports }, null, 2));
    return;
  }
  for (const r of reports) {
    if (r.skipped || r.batchPerSecond === undefined) continue;
    console.log(`${r.dialect}: ${r.subjects} minimal subjects erased in batches of ${r.batch} in ${r.batchSeconds} s = ${r.batchPerSecond} subjects/s `
      + `(target ≥ ${r.targetPerSecond}/s: ${r.withinTarget ? 'met' : 'MISSED'}; 100,000 in ~${r.projected100kSeconds} s), ${r.statementsPerBatch} SQL statements per batch, slowest batch ${r.slowestBatchMs} ms, `
      + `peak RSS ${r.peakRssMB} MB (+${r.rssGrowthMB} MB while erasing); one subject per transaction: ${r.oneByOnePerSecond} subjects/s (${r.oneByOne} subjects), batch ${r.speedup}× faster; all erased: ${r.allErased ? 'yes' : 'NO'}`);
  }
}

main().catch((err: unknown) => {
  console.error(String((err as Error).stack ?? err).slice(0, 2000));
  process.exit(1);
});
