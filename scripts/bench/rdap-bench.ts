/**
 * RDAP bench: domain look-ups over HTTP against a real Suite in its own process (SQLite and MariaDB), 32 connections,
 * autocannon in this process on the same machine; a hot set of names, a spread over every name, and a static route
 * (/healthz) of the same server in the same run. Target: ≥ 3,000 look-ups/s, p99 < 20 ms, ≥ 0.5× the static route.
 *
 *   node bin/run-ts.js scripts/bench/rdap-bench.ts [--domains N] [--seconds S] [--connections C] [--dialect sqlite|mysql|all] [--json]
 *
 * MariaDB: as for `npm run bench` (BENCH_MYSQL_URL, else a mysql:// DATABASE_URL, else mysql://root@127.0.0.1:3306/test).
 * Each load reports the server process's CPU time per request beside req/s (steadier when the machine is shared).
 * The server runs with SUITE_RDAP_RATE_PER_MINUTE high enough for one address (the bench's) to make every request.
 */
import crypto from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { Suite } from '../../core/suite';
import { INSTALLED_MODULES } from '../../modules/installed';
import { forEachDialect, parseDialects, type BenchDb } from './db';
import { forkServer } from './fork-server';

interface Options { domains: number; seconds: number; connections: number; dialects: ('sqlite' | 'mysql')[]; json: boolean }

function parseArgs(argv: string[]): Options {
  const opts: Options = { domains: 5000, seconds: 10, connections: 32, dialects: ['sqlite', 'mysql'], json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => Math.max(1, Number.parseInt(argv[++i] ?? '', 10));
    if (a === '--json') opts.json = true;
    else if (a === '--domains') opts.domains = num();
    else if (a === '--seconds') opts.seconds = num();
    else if (a === '--connections') opts.connections = num();
    else if (a === '--dialect') opts.dialects = parseDialects(argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  if (![opts.domains, opts.seconds, opts.connections].every(Number.isFinite)) throw new Error('--domains, --seconds and --connections take numbers');
  return opts;
}

const BRAND = 'rdap-bench';
const HOT = 50;
const PROFILE = {
  controller: { name: 'Bench Hosting Ltd', email: 'privacy@bench.example', country: 'GB' },
  modules: {
    registrant: {
      tlds: { '.com': { contacts: ['registrant', 'admin', 'tech', 'billing'] } },
      privacyService: { name: 'Domain Privacy Service', org: 'Bench Privacy Ltd', street: ['1 Proxy Lane'], city: 'London', pc: 'EC1A 1AA', cc: 'GB', voice: '+44.2070000000', emailDomain: 'privacy.bench.example' },
    },
    rdap: { registrar: { ianaId: '9999', name: 'Bench Registrar Ltd', abuse: { email: 'abuse@bench.example', phone: '+44.2070000001' } } },
  },
};

const domainName = (i: number) => `bench-${i}.com`;

/** Fills the register with `n` domains (every fifth ID-protected), each with its registrant and tech contact, encrypted as the module stores them. */
async function fill(suite: Suite, n: number): Promise<void> {
  const { kernel } = suite;
  const brand = (await kernel.brands.create({ slug: BRAND, name: 'RDAP Bench', profile: PROFILE }, { type: 'cli', id: 'bench' })).brand;
  const now = Date.now();
  for (let start = 0; start < n; start += 200) {
    const ids = Array.from({ length: Math.min(200, n - start) }, (_, k) => start + k);
    await kernel.db.transaction(async (trx) => {
      await trx('registrant_domains').insert(ids.map((i) => ({
        brand_id: brand.id, domain: domainName(i), subject_id: null, client_ref: String(i), status: 'registered', id_protection: i % 5 === 0,
        roles: JSON.stringify(['registrant', 'tech']), registered_at: now - i * 1000, updated_at: now,
      })));
      const rows = (await trx('registrant_domains').where({ brand_id: brand.id }).whereIn('domain', ids.map(domainName)).select('id', 'domain')) as { id: number; domain: string }[];
      const contacts = rows.flatMap((r) => (['registrant', 'tech'] as const).map((role) => {
        const c = { id: `BN${r.id}${role[0]}`.toUpperCase(), name: `Customer ${r.id}`, street: [`${r.id} Bench Street`], city: 'Leeds', sp: 'West Yorkshire', pc: 'LS1 1AA', cc: 'GB', voice: '+44.1130000000', email: `c${r.id}@bench.example` };
        return { domain_id: r.id, role, handle: c.id, data_enc: kernel.keyring.encryptSync(JSON.stringify(c)), updated_at: now };
      }));
      await trx('registrant_contacts').insert(contacts);
    });
  }
}

/** The server process: this file with `--serve`, a Suite on the bench database, its port sent to the parent. */
async function serve(): Promise<void> {
  const suite = await Suite.create({
    env: {}, migrate: false, modules: INSTALLED_MODULES,
    config: { databaseUrl: process.env.BENCH_DB_URL!, dataDir: process.env.BENCH_DATA_DIR!, masterKey: process.env.BENCH_MASTER_KEY!, logLevel: 'silent', scheduler: false, rdapRatePerMinute: 1_000_000_000 },
  });
  const server = await suite.listen(0, '127.0.0.1', { background: false });
  process.send!({ port: (server.address() as AddressInfo).port });
  process.on('message', (m: { cmd?: string }) => {
    if (m.cmd === 'cpu') process.send!({ cpu: process.cpuUsage() });
    if (m.cmd === 'stop') void suite.stop().then(() => process.exit(0));
  });
}


/** Figures for one load; `serverCpuUs` is the server process's CPU time per request (steadier than req/s on a busy machine). */
interface Load { requestsPerSecond: number; p50Ms: number; p99Ms: number; requests: number; non2xx: number; errors: number; serverCpuUs: number }

function serverCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const on = (m: { cpu?: NodeJS.CpuUsage }) => {
      if (!m.cpu) return;
      child.off('message', on);
      resolve(m.cpu.user + m.cpu.system);
    };
    child.on('message', on);
    child.send({ cmd: 'cpu' });
  });
}

/** Runs autocannon for `seconds` over the paths `next()` yields, one per request. */
async function load(child: ChildProcess, port: number, seconds: number, connections: number, next: () => string): Promise<Load> {
  const cpu0 = await serverCpu(child);
  const r = await autocannon({
    url: `http://127.0.0.1:${port}`, connections, duration: seconds,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: next() }) }],
  });
  const cpu = (await serverCpu(child)) - cpu0;
  return {
    requestsPerSecond: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, requests: r.requests.total, non2xx: r.non2xx, errors: r.errors,
    serverCpuUs: Math.round(cpu / Math.max(1, r.requests.total)),
  };
}

interface DialectReport { dialect: 'sqlite' | 'mysql'; skipped?: string; domains?: number; staticRoute?: Load; help?: Load; hot?: Load; spread?: Load; spreadToStatic?: number; hotToStatic?: number }

async function benchDialect(db: BenchDb, opts: Options, log: (s: string) => void): Promise<DialectReport> {
  const masterKey = crypto.randomBytes(32).toString('hex');
  const suite = await Suite.create({ env: {}, modules: INSTALLED_MODULES, config: { databaseUrl: db.url, dataDir: db.dataDir, masterKey, logLevel: 'silent', scheduler: false } });
  try {
    await fill(suite, opts.domains);
  } finally {
    await suite.stop();
  }
  log(`  ${db.dialect}: ${opts.domains} registrations; measuring…`);
  const { child, port } = await forkServer(__filename, ['--serve'], db, masterKey);
  try {
    // Every answer must be a found domain: a bench of 404s would measure nothing.
    const probe = await fetch(`http://127.0.0.1:${port}/rdap/domain/${domainName(1)}`);
    if (probe.status !== 200) throw new Error(`probe answered ${probe.status}`);
    let i = 0;
    const hot = () => `/rdap/domain/${domainName(i++ % HOT)}`;
    const spread = () => `/rdap/domain/${domainName(crypto.randomInt(opts.domains))}`;
    let w = 0;
    // Warm-up: every name once (JIT, pools, the answer cache), then the static route.
    await load(child, port, Math.max(2, Math.ceil(opts.domains / 1000)), opts.connections, () => `/rdap/domain/${domainName(w++ % opts.domains)}`);
    await load(child, port, 2, opts.connections, () => '/healthz');
    const staticRoute = await load(child, port, opts.seconds, opts.connections, () => '/healthz');
    const help = await load(child, port, opts.seconds, opts.connections, () => '/rdap/help');
    const hotLoad = await load(child, port, opts.seconds, opts.connections, hot);
    const spreadLoad = await load(child, port, opts.seconds, opts.connections, spread);
    return {
      dialect: db.dialect, domains: opts.domains, staticRoute, help, hot: hotLoad, spread: spreadLoad,
      hotToStatic: +(hotLoad.requestsPerSecond / staticRoute.requestsPerSecond).toFixed(2),
      spreadToStatic: +(spreadLoad.requestsPerSecond / staticRoute.requestsPerSecond).toFixed(2),
    };
  } finally {
    child.send({ cmd: 'stop' });
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--serve')) return serve();
  const opts = parseArgs(process.argv.slice(2));
  const log = opts.json ? () => undefined : (s: string) => console.log(s);
  const reports = await forEachDialect<DialectReport>(opts.dialects, (dialect, reason) => ({ dialect, skipped: reason }), (db) => benchDialect(db, opts, log));
  if (opts.json) {
    console.log(JSON.stringify({ connections: opts.connections, seconds: opts.seconds, cpus: os.cpus().length, node: process.version, reports }, null, 2));
    return;
  }
  console.log('');
  console.log(`RDAP domain look-ups, ${opts.connections} connections, ${opts.seconds} s per load; ${os.cpus().length} CPUs, Node ${process.version}`);
  console.log('dialect  load                   req/s   p50 ms   p99 ms   non-2xx  errors  server CPU µs/req');
  for (const r of reports) {
    if (r.skipped) {
      console.log(`${r.dialect.padEnd(8)} skipped: ${r.skipped}`);
      continue;
    }
    const row = (name: string, l?: Load) => l && console.log(`${r.dialect.padEnd(8)} ${name.padEnd(20)} ${String(l.requestsPerSecond).padStart(7)} ${l.p50Ms.toFixed(1).padStart(8)} ${l.p99Ms.toFixed(1).padStart(8)} ${String(l.non2xx).padStart(9)} ${String(l.errors).padStart(7)} ${String(l.serverCpuUs).padStart(18)}`);
    row('static (/healthz)', r.staticRoute);
    row('RDAP help (no DB)', r.help);
    row(`domain, hot ${HOT}`, r.hot);
    row(`domain, spread ${r.domains}`, r.spread);
    console.log(`${r.dialect.padEnd(8)} domain / static: hot ${r.hotToStatic}×, spread ${r.spreadToStatic}×`);
  }
  console.log('');
  console.log('target: ≥ 3,000 look-ups/s with p99 < 20 ms, and ≥ 0.5× the static route');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
