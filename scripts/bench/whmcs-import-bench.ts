/**
 * WHMCS import bench (issue 15 point 10): `whmcs import` of N clients — a contact for every 4th, a domain for every
 * 2nd, one paid invoice each, an opt-in history row for every 10th — from the WHMCS API stand-in with the connector
 * addon's endpoint, into a fresh database. The stand-in runs in a child process of its own (`--phase standin`), so
 * the peak RSS and heap measured (sampled every 50 ms) are the import's, not the stand-in's. A second run over the
 * unchanged stand-in follows (it reads everything again and writes nothing), timed the same way.
 *
 *   node bin/run-ts.js scripts/bench/whmcs-import-bench.ts [--clients N] [--page-size N] [--dialect sqlite|mysql|all] [--json]
 *
 * MariaDB: BENCH_MYSQL_URL, else a mysql:// DATABASE_URL, else mysql://root@127.0.0.1:3306/test.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createLogger } from '../../core/logger';
import { Suite } from '../../core/suite';
import { INSTALLED_MODULES } from '../../modules/installed';
import { importWhmcs, type ImportResult } from '../../modules/whmcs/import/run-import';
import { WhmcsApiStandin } from '../../tests/helpers/whmcs-api-standin';
import { forEachDialect, parseDialects, type BenchDb } from './db';

interface Options { clients: number; pageSize: number; dialects: ('sqlite' | 'mysql')[]; json: boolean; standin: boolean }

function parseArgs(argv: string[]): Options {
  const opts: Options = { clients: 100_000, pageSize: 250, dialects: ['mysql'], json: false, standin: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number => Math.max(1, Number.parseInt(argv[++i] ?? '', 10));
    if (a === '--json') opts.json = true;
    else if (a === '--clients') opts.clients = num();
    else if (a === '--page-size') opts.pageSize = num();
    else if (a === '--dialect') opts.dialects = parseDialects(argv[++i]);
    else if (a === '--phase' && argv[++i] === 'standin') opts.standin = true;
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

const SEED = { contactEvery: 4, domainEvery: 2, paidInvoices: 1, optInEvery: 10 };
const SLUG = 'bench-whmcs';
const mb = (bytes: number): number => Math.round(bytes / 1048576);

/** The child: seeds the stand-in, tells the parent its URL and credentials, takes the addon's secret, serves until killed. */
async function standinPhase(clients: number): Promise<void> {
  const w = new WhmcsApiStandin();
  w.seedBulk(clients, SEED);
  const url = await w.start();
  process.on('message', (m: { addonSecret?: string }) => { if (m.addonSecret) w.addonSecret = m.addonSecret; process.send!({ ready: true }); });
  process.on('disconnect', () => process.exit(0)); // the bench ended (or died): the stand-in goes with it
  process.send!({ url, identifier: w.identifier, secret: w.secret });
}

/** Starts the stand-in's process; answers its URL and credentials, and a way to hand it the addon secret and stop it. */
function startStandin(clients: number): Promise<{ child: ChildProcess; url: string; identifier: string; secret: string }> {
  const child = fork(path.resolve(__dirname, '../../bin/run-ts.js'), [__filename, '--phase', 'standin', '--clients', String(clients)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { url: string; identifier: string; secret: string }) => resolve({ child, ...m }));
    child.once('exit', (code) => reject(new Error(`the stand-in's process exited ${code}`)));
  });
}

/** Runs `fn` with RSS and heap sampled every 50 ms; returns its time and the peaks. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; peakRssMb: number; peakHeapUsedMb: number }> {
  let rss = process.memoryUsage().rss;
  let heap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 50);
  const t0 = process.hrtime.bigint();
  try {
    const value = await fn();
    return { value, ms: Number(process.hrtime.bigint() - t0) / 1e6, peakRssMb: mb(rss), peakHeapUsedMb: mb(heap) };
  } finally {
    clearInterval(timer);
  }
}

const figures = (r: { value: ImportResult; ms: number; peakRssMb: number; peakHeapUsedMb: number }, clients: number) => ({
  seconds: Math.round(r.ms / 100) / 10, clientsPerSecond: Math.round(clients / (r.ms / 1000)), peakRssMb: r.peakRssMb, peakHeapUsedMb: r.peakHeapUsedMb,
  written: Object.fromEntries(Object.entries(r.value.phases).map(([p, c]) => [p, c.written])), notReached: r.value.notReached,
});

async function benchOn(db: BenchDb, opts: Options): Promise<Record<string, unknown>> {
  const standin = await startStandin(opts.clients);
  const suite = await Suite.create({ env: {}, modules: INSTALLED_MODULES, logger: createLogger('silent'), config: { databaseUrl: db.url, dataDir: db.dataDir, masterKey: 'b'.repeat(64), scheduler: false, logLevel: 'silent' } });
  try {
    const { hookSecret } = await suite.kernel.brands.create({
      slug: SLUG, name: SLUG, profile: { controller: { name: 'Bench Hosting Ltd', email: 'privacy@bench.example', country: 'GB' }, modules: { whmcs: { apiUrl: standin.url, identifier: standin.identifier, timeoutSeconds: 60 } } },
    }, { type: 'cli', id: 'bench' });
    await new Promise<void>((resolve) => { standin.child.once('message', () => resolve()); standin.child.send({ addonSecret: hookSecret }); });
    const env = { SUITE_WHMCS_API_SECRET: standin.secret };
    const baseRssMb = mb(process.memoryUsage().rss);
    const first = await measured(() => importWhmcs(suite.kernel, { brand: SLUG, pageSize: opts.pageSize, env }));
    const second = await measured(() => importWhmcs(suite.kernel, { brand: SLUG, pageSize: opts.pageSize, env }));
    return {
      dialect: db.dialect, clients: opts.clients, pageSize: opts.pageSize, seeded: SEED, rssBeforeImportMb: baseRssMb,
      import: figures(first, opts.clients), secondRun: figures(second, opts.clients),
    };
  } finally {
    await suite.stop();
    standin.child.kill();
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.standin) return standinPhase(opts.clients);
  const results = await forEachDialect(opts.dialects, (dialect, reason) => ({ dialect, skipped: reason }), (db) => benchOn(db, opts));
  if (opts.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exit(0);
}

void main().catch((err: unknown) => { process.stderr.write(`${String((err as Error).message ?? err).slice(0, 500)}\n`); process.exit(1); });
