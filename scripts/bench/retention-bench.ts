/**
 * Retention sweep bench (SP-8, MS-9): N closed clients — six encrypted contact fields, a platform client row, one
 * paid invoice and two activity-log rows each — anonymised by a real `retention run` (batches of --batch, each one
 * transaction through the rights module's batch erasure), timed with RSS sampled every 50 ms; then the same
 * anonymisation as bare set-based SQL (fields deleted, tombstones, platform rows sealed, activity deleted) on an
 * identical second brand, for the ratio. A third brand measures a field-level rule (usage deleted). Each sweep runs in
 * a child process of its own (`--phase sweep`), so its peak RSS is the sweep's alone, not the seeding's.
 *
 * MariaDB/MySQL: each phase starts once InnoDB's purge has caught up, and the bench times how long purge stays busy
 * after each one. A DELETE only marks its rows (their data stays in the pages until purge removes them): the sweep's
 * many small transactions are purged during the sweep, the bare SQL's one transaction after its COMMIT. `ratio` is
 * against the bare SQL's COMMIT; `ratioWithPurge` times both until their deleted rows are purged.
 *
 *   node bin/run-ts.js scripts/bench/retention-bench.ts [--subjects N] [--batch N] [--heap-mb N] [--dialect sqlite|mysql|all] [--json]
 *
 * --heap-mb N runs each sweep's process with `--max-old-space-size=N`, the ceiling the README recommends for the
 * process that runs the sweep (without one, V8 grows its heap lazily well past the sweep's live data).
 *
 * BENCH_SWEEP_NODE_FLAGS passes node flags to the sweep's process only (a CPU profile: "--cpu-prof --cpu-prof-dir=D").
 *
 * MariaDB: BENCH_MYSQL_URL, else a mysql:// DATABASE_URL, else mysql://root@127.0.0.1:3306/test.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import type { Knex } from 'knex';
import { dialectOfKnex } from '../../core/db/connection';
import { createLogger } from '../../core/logger';
import { Suite } from '../../core/suite';
import { INSTALLED_MODULES } from '../../modules/installed';
import type { RetentionService } from '../../modules/retention/retention-service';
import { forEachDialect, type BenchDb, parseDialects } from './db';

interface Options { subjects: number; batch: number; heapMb: number | null; dialects: ('sqlite' | 'mysql')[]; json: boolean; phase?: { url: string; dataDir: string; brand: string } }

function parseArgs(argv: string[]): Options {
  const opts: Options = { subjects: 5000, batch: 1000, heapMb: null, dialects: ['sqlite', 'mysql'], json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number => Math.max(1, Number.parseInt(argv[++i] ?? '', 10));
    if (a === '--json') opts.json = true;
    else if (a === '--subjects') opts.subjects = num();
    else if (a === '--batch') opts.batch = num();
    else if (a === '--heap-mb') opts.heapMb = num();
    else if (a === '--dialect') {
      opts.dialects = parseDialects(argv[++i]);
    } else if (a === '--phase') {
      if (argv[++i] !== 'sweep') throw new Error('--phase takes sweep');
      opts.phase = { url: '', dataDir: '', brand: '' };
    } else if (a === '--url' || a === '--data-dir' || a === '--brand') {
      const key = a === '--url' ? 'url' : a === '--data-dir' ? 'dataDir' : 'brand';
      opts.phase = { ...(opts.phase ?? { url: '', dataDir: '', brand: '' }), [key]: argv[++i] ?? '' };
    } else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

const DAY = 86_400_000;
const FIELDS = ['firstname', 'lastname', 'email', 'address1', 'city', 'country'];

async function nextId(db: Knex, table: string): Promise<number> {
  const r = (await db(table).max({ m: 'id' }).first()) as { m: number | null } | undefined;
  return Number(r?.m ?? 0) + 1;
}

/** Seeds `n` closed clients (or active ones with old usage fields) into a brand, 500 per transaction. */
async function seed(suite: Suite, brandId: number, n: number, kind: 'closed' | 'usage'): Promise<void> {
  const k = suite.kernel;
  const now = Date.now();
  await k.keyring.activeKeyId();
  for (let start = 0; start < n; start += 500) {
    const count = Math.min(500, n - start);
    let cid = await nextId(k.db, 'platform_clients');
    let sid = await nextId(k.db, 'subjects');
    await k.db.transaction(async (trx) => {
      const rows = { clients: [] as object[], subjects: [] as object[], fields: [] as object[], invoices: [] as object[], activity: [] as object[] };
      for (let i = 0; i < count; i++) {
        const email = `bench.${brandId}.${cid}@example.org`;
        const closedAt = kind === 'closed' ? now - 400 * DAY : null;
        const status = kind === 'closed' ? 'closed' : 'active';
        rows.clients.push({ id: cid, brand_id: brandId, status, personal_enc: k.keyring.encryptSync(JSON.stringify({ email })), email_hash: k.keyring.blindIndex(email), created_at: now - 900 * DAY, updated_at: now, closed_at: closedAt });
        rows.subjects.push({ id: sid, brand_id: brandId, kind: 'client', external_id: String(cid), parent_id: null, status, email_hash: k.keyring.blindIndex(email), created_at: now - 900 * DAY, updated_at: now, closed_at: closedAt });
        for (const f of FIELDS) rows.fields.push({ subject_id: sid, field: f, category: 'contact', value_enc: k.keyring.encryptSync(f === 'email' ? email : `${f}-${cid}`), policy_version: null, updated_at: now - 900 * DAY });
        if (kind === 'usage') for (const f of ['ip', 'user_agent']) rows.fields.push({ subject_id: sid, field: f, category: 'usage', value_enc: k.keyring.encryptSync('192.0.2.1'), policy_version: null, updated_at: now - 400 * DAY });
        rows.invoices.push({ brand_id: brandId, client_id: cid, total: 10, status: 'paid', paid_at: now - 500 * DAY, created_at: now - 500 * DAY });
        for (let a = 0; a < 2; a++) rows.activity.push({ brand_id: brandId, client_id: cid, action: 'login', ip_enc: k.keyring.encryptSync('192.0.2.1'), created_at: now - 400 * DAY });
        cid++;
        sid++;
      }
      // SQLite compounds at most 500 selects in one insert.
      for (const [table, list] of [['platform_clients', rows.clients], ['subjects', rows.subjects], ['subject_fields', rows.fields], ['platform_invoices', rows.invoices], ['platform_activity_log', rows.activity]] as const) {
        for (let i = 0; i < list.length; i += 250) await trx(table).insert(list.slice(i, i + 250));
      }
    });
  }
}

const suiteConfig = (url: string, dataDir: string) => ({ databaseUrl: url, dataDir, masterKey: 'b'.repeat(64), scheduler: false, logLevel: 'silent' as const });

/** What a sweep in its own process did: subjects processed, its time, and the process's peak RSS. */
interface SweepFigures { processed: number; ms: number; peakRssMb: number; heapUsedMb: number; heapTotalMb: number; cpuMs: number; dbCpuMs: number | null; endedAt: number }

/** CPU time (ms) the local database server has used so far, when it runs on this machine (Linux /proc); else null. */
function dbServerCpuMs(): number | null {
  try {
    for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (comm !== 'mariadbd' && comm !== 'mysqld') continue;
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
    }
  } catch {
    // not Linux, or no permission: the figure is left out
  }
  return null;
}

/** The child: opens the suite on the seeded database, runs the brand's retention sweep, prints its figures as JSON. */
async function sweepPhase(phase: NonNullable<Options['phase']>): Promise<void> {
  const suite = await Suite.create({ env: {}, modules: INSTALLED_MODULES, logger: createLogger('silent'), config: suiteConfig(phase.url, phase.dataDir) });
  try {
    const svc = suite.kernel.service<RetentionService>('retention');
    let processed = 0;
    const db0 = dbServerCpuMs();
    const cpu0 = process.cpuUsage();
    const m = await measured(async () => { processed = Number((await svc.run({ brand: phase.brand, actor: { type: 'cli', id: 'bench' } })).run?.totals.processed ?? 0); });
    const endedAt = Date.now();
    const cpu = process.cpuUsage(cpu0);
    const figures: SweepFigures = { processed, ms: m.ms, peakRssMb: Math.max(m.peakRssMb, Math.round(process.resourceUsage().maxRSS / 1024)), heapUsedMb: m.peakHeapUsedMb, heapTotalMb: m.peakHeapTotalMb, cpuMs: Math.round((cpu.user + cpu.system) / 1000), dbCpuMs: db0 === null ? null : Math.round(dbServerCpuMs()! - db0), endedAt };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await suite.stop();
  }
}

/**
 * MariaDB/MySQL: how long after `since` (a wall-clock time) InnoDB's purge caught up, its history list empty; waits for
 * it (null when it has not within 15 minutes). A DELETE only marks its rows; purge removes them afterwards on the
 * server's background threads, so a statement's own time leaves out part of its work (a sweep's purge runs during the
 * sweep). Each phase also starts on a quiet server.
 */
async function purgedAfter(db: Knex, since: number): Promise<number | null> {
  if (dialectOfKnex(db) !== 'mysql') return null;
  const len = async (): Promise<number> => Number(((await db.raw("select `count` as n from information_schema.INNODB_METRICS where name = 'trx_rseg_history_len'")) as [{ n: number | string }[]])[0][0]?.n ?? 0);
  const t0 = Date.now();
  while ((await len()) > 0) {
    if (Date.now() - t0 > 900_000) {
      process.stderr.write('InnoDB purge did not catch up within 15 minutes: the figures with purge are left out\n');
      return null;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return Math.max(0, Date.now() - since);
}

/** Runs the brand's sweep in a child process (this file, `--phase sweep`) and answers its figures. */
function sweepInChild(db: BenchDb, brand: string, heapMb: number | null): Promise<SweepFigures> {
  // BENCH_SWEEP_NODE_FLAGS: node flags for the sweep's process alone, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const flags = (process.env.BENCH_SWEEP_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  if (heapMb) flags.unshift(`--max-old-space-size=${heapMb}`);
  const args = [...flags, path.join(__dirname, '../../bin/run-ts.js'), __filename, '--phase', 'sweep', '--url', db.url, '--data-dir', db.dataDir, '--brand', brand];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (String(stderr).startsWith('heap spaces')) process.stderr.write(String(stderr));
      if (err) reject(new Error(`sweep of ${brand} failed: ${String(stderr).slice(0, 500) || err.message}`));
      else resolve(JSON.parse(String(stdout).trim().split('\n').pop()!) as SweepFigures);
    });
  });
}

/** Runs `fn` with RSS sampled every 50 ms; returns its time and the peak RSS (and the V8 heap's peak, used and reserved). */
async function measured(fn: () => Promise<unknown>): Promise<{ ms: number; peakRssMb: number; peakHeapUsedMb: number; peakHeapTotalMb: number }> {
  let peak = process.memoryUsage().rss;
  let heapUsed = 0;
  let heapTotal = 0;
  const spaces = new Map<string, number>();
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    heapUsed = Math.max(heapUsed, m.heapUsed);
    heapTotal = Math.max(heapTotal, m.heapTotal);
    if (process.env.BENCH_HEAP_SPACES) for (const sp of v8.getHeapSpaceStatistics()) spaces.set(sp.space_name, Math.max(spaces.get(sp.space_name) ?? 0, sp.space_size));
  }, 50);
  const t0 = process.hrtime.bigint();
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  const mb = (n: number): number => Math.round(n / 1048576);
  if (spaces.size) process.stderr.write(`heap spaces (peak MB): ${JSON.stringify(Object.fromEntries([...spaces].map(([k, v]) => [k, mb(v)])))}\n`);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, peakRssMb: mb(Math.max(peak, process.memoryUsage().rss)), peakHeapUsedMb: mb(heapUsed), peakHeapTotalMb: mb(heapTotal) };
}

/** The same anonymisation as bare set-based SQL (no statutory copies, suppression, erasure rows or audit). */
async function bareSql(db: Knex, brandId: number): Promise<void> {
  await db.transaction(async (trx) => {
    const ids = trx('subjects').where({ brand_id: brandId, status: 'closed' }).select('id');
    const clients = trx('platform_clients').where({ brand_id: brandId, status: 'closed' }).select('id');
    await trx('subject_fields').whereIn('subject_id', ids).delete();
    await trx('platform_activity_log').whereIn('client_id', clients).delete();
    await trx('platform_clients').where({ brand_id: brandId, status: 'closed' }).update({ personal_enc: null, email_hash: null, password_hash: null });
    await trx('subjects').where({ brand_id: brandId, status: 'closed' }).update({ status: 'erased', email_hash: null });
  });
}

async function benchOne(db: BenchDb, opts: Options): Promise<Record<string, unknown>> {
  const suite = await Suite.create({ env: {}, modules: INSTALLED_MODULES, logger: createLogger('silent'), config: suiteConfig(db.url, db.dataDir) });
  try {
    const k = suite.kernel;
    const profile = (rules: object[]) => ({ controller: { name: 'Bench Hosting', email: 'privacy@bench.example', country: 'DE' }, retention: rules, modules: { retention: { batchSize: opts.batch } } });
    const actor = { type: 'cli' as const, id: 'bench' };
    const svc = k.service<RetentionService>('retention');
    const approve = async (slug: string): Promise<void> => {
      const brand = await k.brands.get(slug);
      for (const r of await svc.rules(brand)) await svc.approve(brand, r.id, {}, actor);
    };
    await k.brands.create({ slug: 'sweep', name: 'sweep', profile: profile([{ category: 'contact', from: 'account-closed', days: 30, action: 'anonymise' }]) }, actor);
    await k.brands.create({ slug: 'bare', name: 'bare', profile: profile([]) }, actor);
    await k.brands.create({ slug: 'usage', name: 'usage', profile: profile([{ category: 'usage', from: 'collected', days: 180, action: 'delete' }]) }, actor);
    await approve('sweep');
    await approve('usage');
    await seed(suite, (await k.brands.get('sweep')).id, opts.subjects, 'closed');
    await seed(suite, (await k.brands.get('bare')).id, opts.subjects, 'closed');
    await seed(suite, (await k.brands.get('usage')).id, opts.subjects, 'usage');

    await purgedAfter(k.db, Date.now());
    const sweep = await sweepInChild(db, 'sweep', opts.heapMb);
    const sweepPurge = await purgedAfter(k.db, sweep.endedAt);
    const bareId = (await k.brands.get('bare')).id;
    const bareDb0 = dbServerCpuMs();
    const bare = await measured(() => bareSql(k.db, bareId));
    const barePurge = await purgedAfter(k.db, Date.now());
    const bareDbCpu = bareDb0 === null ? null : Math.round(dbServerCpuMs()! - bareDb0); // its statements and its purge
    const usage = await sweepInChild(db, 'usage', opts.heapMb);
    // The figures depend on whether the working set fits the server's cache: say how big it was.
    const pool = db.dialect === 'mysql' ? Number(((await k.db.raw('select @@innodb_buffer_pool_size as b')) as [{ b: number | string }[]])[0][0].b) : null;
    return {
      dialect: db.dialect, subjects: opts.subjects, batch: opts.batch, sweepHeapLimitMb: opts.heapMb ?? 'V8 default', innodbBufferPoolMb: pool === null ? undefined : Math.round(pool / 1048576),
      sweep: { processed: sweep.processed, ms: Math.round(sweep.ms), subjectsPerSecond: Math.round(sweep.processed / (sweep.ms / 1000)), peakRssMb: sweep.peakRssMb, peakHeapUsedMb: sweep.heapUsedMb, peakHeapTotalMb: sweep.heapTotalMb, nodeCpuMs: sweep.cpuMs, dbServerCpuMs: sweep.dbCpuMs ?? undefined, purgeAfterMs: sweepPurge ?? undefined },
      bareSql: {
        ms: Math.round(bare.ms), ratio: Number((sweep.ms / bare.ms).toFixed(2)), purgeAfterMs: barePurge ?? undefined, dbServerCpuMs: bareDbCpu ?? undefined,
        ratioWithPurge: sweepPurge === null || barePurge === null ? undefined : Number(((sweep.ms + sweepPurge) / (bare.ms + barePurge)).toFixed(2)),
      },
      usageDelete: { processed: usage.processed, ms: Math.round(usage.ms), subjectsPerSecond: Math.round(usage.processed / (usage.ms / 1000)), peakRssMb: usage.peakRssMb },
    };
  } finally {
    await suite.stop();
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.phase) return sweepPhase(opts.phase);
  const results = await forEachDialect<Record<string, unknown>>(opts.dialects, (dialect, reason) => ({ dialect, skipped: reason }), (db) => benchOne(db, opts));
  if (opts.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
}

void main().then(() => process.exit(0), (err: unknown) => { process.stderr.write(`${String((err as Error).message ?? err).slice(0, 500)}\n`); process.exit(1); });
