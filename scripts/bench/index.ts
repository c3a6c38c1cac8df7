/**
 * `npm run bench`: signed ClientAdd events recorded (i) over HTTP by a real Suite on 127.0.0.1, (ii) in-process via
 * suite.hooks.run, (iii) as the raw knex transaction doing the same writes — on SQLite and on MariaDB/MySQL.
 *
 *   npm run bench -- [--events N] [--concurrency C] [--dialect sqlite|mysql|all] [--json]
 *
 * MariaDB: BENCH_MYSQL_URL (else a mysql:// DATABASE_URL, else mysql://root@127.0.0.1:3306/test) names the server;
 * the bench creates a fresh database there and drops it afterwards. An unreachable server is skipped with a note.
 */
import crypto from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import os from 'node:os';
import { Suite } from '../../core/suite';
import { INSTALLED_MODULES } from '../../modules/installed';
import { mysqlDb, sqliteDb, type BenchDb, parseDialects } from './db';
import { forkServer } from './fork-server';
import { percentile, runConcurrent, type RunResult } from './stats';
import { BENCH_BRAND, httpSender, inProcessSender, rawSender } from './workload';

interface Options { events: number; concurrency: number; dialects: ('sqlite' | 'mysql')[]; json: boolean }

function parseArgs(argv: string[]): Options {
  const opts: Options = { events: 3000, concurrency: 48, dialects: ['sqlite', 'mysql'], json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--json') opts.json = true;
    else if (a === '--events') opts.events = Math.max(1, Number.parseInt(value(), 10));
    else if (a === '--concurrency') opts.concurrency = Math.max(1, Number.parseInt(value(), 10));
    else if (a === '--dialect') {
      opts.dialects = parseDialects(value());
    } else if (a === '--help' || a === '-h') {
      console.log('usage: npm run bench -- [--events N] [--concurrency C] [--dialect sqlite|mysql|all] [--json]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isFinite(opts.events) || !Number.isFinite(opts.concurrency)) throw new Error('--events and --concurrency take numbers');
  return opts;
}

/** Figures for one mode. */
interface ModeFigures { events: number; seconds: number; eventsPerSecond: number; p50Ms: number; p99Ms: number; errors: number; firstError?: string; /** Node CPU per event (µs): this process; for HTTP, the server process. */ cpuUsPerEvent: number }

/** Everything measured on one dialect. */
interface DialectReport {
  dialect: 'sqlite' | 'mysql';
  skipped?: string;
  http?: ModeFigures;
  inProcess?: ModeFigures;
  raw?: ModeFigures;
  inProcessSequential?: ModeFigures;
  rawSequential?: ModeFigures;
  /** In-process cost per event / raw cost per event, at the bench's concurrency and one at a time. */
  costRatio?: number;
  costRatioSequential?: number;
  /** The same ratio in Node CPU time per event (less sensitive to other load on the machine). */
  cpuCostRatio?: number;
  serverPeakRssBytes?: number;
  checks?: { subjects: number; expectedSubjects: number; idempotencyKeys: number; passwordFieldsStored: number };
}

function figures(r: RunResult): ModeFigures {
  return {
    events: r.events, seconds: r.ms / 1000, eventsPerSecond: r.perSecond,
    p50Ms: percentile(r.latencies, 50), p99Ms: percentile(r.latencies, 99), errors: r.errors, firstError: r.firstError, cpuUsPerEvent: r.cpuUsPerEvent,
  };
}

/** Starts the HTTP server in its own process, as a real deployment has it (the panel is another process). */

function serverCpu(child: ChildProcess): Promise<NodeJS.CpuUsage> {
  const p = new Promise<NodeJS.CpuUsage>((resolve) => {
    const on = (m: { cpu?: NodeJS.CpuUsage }) => {
      if (!m.cpu) return;
      child.off('message', on);
      resolve(m.cpu);
    };
    child.on('message', on);
  });
  child.send({ cmd: 'cpu' });
  return p;
}

async function stopServer(child: ChildProcess): Promise<number> {
  const rss = new Promise<number>((resolve) => child.once('message', (m: { peakRss?: number }) => resolve(m.peakRss ?? NaN)));
  child.send({ cmd: 'stop' });
  const peak = await rss;
  await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  return peak;
}

async function benchDialect(db: BenchDb, opts: Options, log: (s: string) => void): Promise<DialectReport> {
  const masterKey = crypto.randomBytes(32).toString('hex');
  const suite = await Suite.create({ env: {}, modules: INSTALLED_MODULES, config: { databaseUrl: db.url, dataDir: db.dataDir, masterKey, logLevel: 'silent', scheduler: false } });
  const report: DialectReport = { dialect: db.dialect };
  try {
    const { hookSecret } = await suite.kernel.brands.create(
      { slug: BENCH_BRAND, name: 'Bench Hosting', profile: { controller: { name: 'Bench Hosting Ltd', email: 'privacy@bench.example', country: 'GB' } } },
      { type: 'cli', id: 'bench' },
    );
    // This bench measures the kernel (signature, idempotency, dispatch, the inventory's writes) against the same
    // writes done raw; consent's own cost is measured by scripts/bench/consent-bench.ts.
    await suite.kernel.brands.setEnabled(BENCH_BRAND, 'module', 'consent', false, { type: 'cli', id: 'bench' });
    const brandId = (await suite.kernel.brands.get(BENCH_BRAND)).id;
    const n = opts.events;
    const c = opts.concurrency;
    const warm = Math.min(300, Math.max(20, Math.floor(n / 10)));
    const seq = Math.max(50, Math.floor(n / 4));
    const raw = rawSender(suite.kernel.db, suite.kernel.keyring, brandId);
    const inproc = inProcessSender(suite);
    let expected = 0;
    const run = async (label: string, base: number, count: number, conc: number, task: (id: number) => Promise<void>) => {
      const r = await runConcurrent(count, conc, (i) => task(base + i));
      expected += count - r.errors;
      if (label) log(`  ${db.dialect} ${label.padEnd(22)} ${r.perSecond.toFixed(0).padStart(6)} events/s${r.errors ? `  (${r.errors} errors: ${r.firstError})` : ''}`);
      return r;
    };

    // Warm-up (JIT, caches, pool), then raw and in-process alternately so table growth does not favour either.
    await run('', 9_000_000, warm, c, raw);
    await run('', 9_100_000, warm, c, inproc);
    const rawA = await run(`raw (c=${c}) 1/2`, 1_000_000, Math.ceil(n / 2), c, raw);
    const inA = await run(`in-process (c=${c}) 1/2`, 2_000_000, Math.ceil(n / 2), c, inproc);
    const rawB = await run(`raw (c=${c}) 2/2`, 1_500_000, Math.floor(n / 2), c, raw);
    const inB = await run(`in-process (c=${c}) 2/2`, 2_500_000, Math.floor(n / 2), c, inproc);
    const merge = (x: RunResult, y: RunResult): RunResult => {
      const ms = x.ms + y.ms;
      const events = x.events + y.events;
      return {
        events, ms, perSecond: (events / ms) * 1000, latencies: [...x.latencies, ...y.latencies], errors: x.errors + y.errors, firstError: x.firstError ?? y.firstError,
        cpuUsPerEvent: (x.cpuUsPerEvent * x.events + y.cpuUsPerEvent * y.events) / events,
      };
    };
    report.raw = figures(merge(rawA, rawB));
    report.inProcess = figures(merge(inA, inB));
    report.rawSequential = figures(await run('raw (one at a time)', 3_000_000, seq, 1, raw));
    report.inProcessSequential = figures(await run('in-process (one at a time)', 4_000_000, seq, 1, inproc));
    report.costRatio = report.raw.eventsPerSecond / report.inProcess.eventsPerSecond;
    report.costRatioSequential = report.rawSequential.eventsPerSecond / report.inProcessSequential.eventsPerSecond;
    report.cpuCostRatio = report.inProcess.cpuUsPerEvent / report.raw.cpuUsPerEvent;

    // HTTP: a real Suite in its own process, keep-alive connections, `c` requests in flight.
    const { child, port } = await forkServer(path.resolve(__dirname, 'server.ts'), [], db, masterKey);
    const agent = new http.Agent({ keepAlive: true, maxSockets: c });
    try {
      const send = httpSender(`http://127.0.0.1:${port}`, hookSecret, agent);
      await run('', 9_200_000, warm, c, send);
      const cpu0 = await serverCpu(child);
      report.http = figures(await run(`HTTP (c=${c})`, 5_000_000, n, c, send));
      const cpu1 = await serverCpu(child);
      report.http.cpuUsPerEvent = (cpu1.user - cpu0.user + cpu1.system - cpu0.system) / n;
    } finally {
      agent.destroy();
      report.serverPeakRssBytes = await stopServer(child);
    }

    const countOf = async (table: string, where: Record<string, unknown> = {}) => Number(((await suite.kernel.db(table).where(where).count({ n: '*' }).first()) as { n: number | string }).n);
    report.checks = {
      subjects: await countOf('subjects'), expectedSubjects: expected,
      idempotencyKeys: await countOf('idempotency_keys'), passwordFieldsStored: await countOf('subject_fields', { field: 'password' }),
    };
  } finally {
    await suite.stop();
  }
  return report;
}

const fmt = (v: number | undefined, digits = 0) => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits));
const mb = (b: number | undefined) => (b === undefined ? '—' : `${(b / 1048576).toFixed(0)} MB`);

function printTable(reports: DialectReport[], opts: Options): void {
  console.log('');
  console.log(`ClientAdd events, ${opts.events} per mode, ${opts.concurrency} in flight; ${os.cpus().length} CPUs, Node ${process.version}`);
  console.log('');
  console.log('dialect  mode                       events/s   p50 ms   p99 ms  CPU µs/event');
  for (const r of reports) {
    if (r.skipped) {
      console.log(`${r.dialect.padEnd(8)} skipped: ${r.skipped}`);
      continue;
    }
    const row = (mode: string, f?: ModeFigures) => console.log(`${r.dialect.padEnd(8)} ${mode.padEnd(26)} ${fmt(f?.eventsPerSecond).padStart(8)} ${fmt(f?.p50Ms, 2).padStart(8)} ${fmt(f?.p99Ms, 2).padStart(8)} ${fmt(f?.cpuUsPerEvent).padStart(13)}`);
    row('HTTP (signed, keep-alive)', r.http);
    row('in-process hooks.run', r.inProcess);
    row('raw knex transaction', r.raw);
    row('in-process, one at a time', r.inProcessSequential);
    row('raw, one at a time', r.rawSequential);
    console.log(`${r.dialect.padEnd(8)} in-process / raw cost: ${fmt(r.costRatio, 2)}× wall (concurrent), ${fmt(r.costRatioSequential, 2)}× wall (one at a time), ${fmt(r.cpuCostRatio, 2)}× Node CPU; server peak RSS ${mb(r.serverPeakRssBytes)}`);
    const ck = r.checks;
    if (ck) console.log(`${r.dialect.padEnd(8)} checks: ${ck.subjects}/${ck.expectedSubjects} subjects, ${ck.idempotencyKeys} idempotency records, ${ck.passwordFieldsStored} passwords stored`);
  }
  console.log(`bench peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}; HTTP CPU µs/event is the server process's (the load generator runs beside it on the same CPUs)`);
  const my = reports.find((r) => r.dialect === 'mysql' && !r.skipped);
  const targets: string[] = [];
  if (my?.http) targets.push(`HTTP on MariaDB ${fmt(my.http.eventsPerSecond)} events/s (target ≥ 2000): ${my.http.eventsPerSecond >= 2000 ? 'met' : 'MISSED'}`);
  for (const r of reports) if (r.costRatio !== undefined) targets.push(`${r.dialect} in-process/raw ${fmt(r.costRatio, 2)}× (target ≤ 1.3): ${r.costRatio <= 1.3 ? 'met' : 'MISSED'}`);
  console.log('');
  for (const t of targets) console.log(`target: ${t}`);
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const log = opts.json ? () => undefined : (s: string) => console.log(s);
  const reports: DialectReport[] = [];
  for (const dialect of opts.dialects) {
    const db = dialect === 'sqlite' ? sqliteDb() : await mysqlDb();
    if (!('url' in db)) {
      log(`  mysql skipped: ${db.unavailable} (set BENCH_MYSQL_URL to a reachable server)`);
      reports.push({ dialect, skipped: `MariaDB/MySQL unreachable (${db.unavailable})` });
      continue;
    }
    log(`${dialect}: ${dialect === 'sqlite' ? db.url : db.url.replace(/\/\/[^@]*@/, '//***@')}`);
    try {
      reports.push(await benchDialect(db, opts, log));
    } finally {
      await db.drop();
    }
  }
  const peakRss = process.resourceUsage().maxRSS * 1024;
  if (opts.json) console.log(JSON.stringify({ events: opts.events, concurrency: opts.concurrency, cpus: os.cpus().length, node: process.version, benchPeakRssBytes: peakRss, reports }, null, 2));
  else printTable(reports, opts);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
