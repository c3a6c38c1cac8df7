/**
 * Escrow deposit bench (issue 17 point 1, WSM-16b): a full csv-2024 deposit of N domains (registrant + tech contacts,
 * every 10th ID-protected) on a fresh database, encrypted and signed with curve25519 keys, delivered to a directory.
 * The register is filled first (in this process, with multi-row inserts); the deposit then runs in a child process of
 * its own, so its peak RSS and heap (sampled every 50 ms) are the deposit's alone. Run it at two sizes to show memory
 * stays flat whatever the number of domains.
 *
 *   node bin/run-ts.js scripts/bench/escrow-bench.ts [--domains 100000,10000] [--dialect sqlite|mysql|all] [--json]
 *
 * MariaDB: BENCH_MYSQL_URL, else a mysql:// DATABASE_URL, else mysql://root@127.0.0.1:3306/test.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as openpgp from 'openpgp';
import { createLogger } from '../../core/logger';
import { insertMany } from '../../core/db/insert-many';
import { Suite } from '../../core/suite';
import { INSTALLED_MODULES } from '../../modules/installed';
import type { EscrowService } from '../../modules/escrow/escrow-service';
import { forEachDialect, parseDialects, type BenchDb } from './db';

interface Options { sizes: number[]; dialects: ('sqlite' | 'mysql')[]; json: boolean; phase: 'main' | 'deposit'; url: string; dataDir: string }

const SLUG = 'bench-escrow';
const MASTER_KEY = 'e'.repeat(64);
const PASS_VAR = 'BENCH_ESCROW_PASSPHRASE';
const mb = (bytes: number): number => Math.round(bytes / 1048576);
const modules = INSTALLED_MODULES.some((m) => m.name === 'escrow') ? INSTALLED_MODULES : [...INSTALLED_MODULES, { name: 'escrow', load: () => require('../../modules/escrow').default }];

function parseArgs(argv: string[]): Options {
  const opts: Options = { sizes: [100_000, 10_000], dialects: ['mysql'], json: false, phase: 'main', url: '', dataDir: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = true;
    else if (a === '--domains') opts.sizes = (argv[++i] ?? '').split(',').map((n) => Math.max(1, Number.parseInt(n, 10)));
    else if (a === '--dialect') opts.dialects = parseDialects(argv[++i]);
    else if (a === '--phase' && argv[++i] === 'deposit') opts.phase = 'deposit';
    else if (a === '--url') opts.url = argv[++i];
    else if (a === '--data-dir') opts.dataDir = argv[++i];
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

const openSuite = (url: string, dataDir: string): Promise<Suite> => Suite.create({ env: {}, modules, logger: createLogger('silent'), config: { databaseUrl: url, dataDir, masterKey: MASTER_KEY, scheduler: false, logLevel: 'silent' } });

/** Keys for the run, written to the data dir (the profile names the files). */
async function writeKeys(dataDir: string): Promise<{ agent: string; signing: string; passphrase: string }> {
  const passphrase = 'bench-passphrase';
  const agent = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'Agent' }], format: 'armored' });
  const rar = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'Registrar' }], passphrase, format: 'armored' });
  fs.writeFileSync(path.join(dataDir, 'agent.asc'), agent.publicKey);
  fs.writeFileSync(path.join(dataDir, 'signing.asc'), rar.privateKey);
  return { agent: path.join(dataDir, 'agent.asc'), signing: path.join(dataDir, 'signing.asc'), passphrase };
}

/** Creates the brand and fills the register with `n` domains and their (encrypted) contacts. */
async function fill(db: BenchDb, n: number): Promise<void> {
  const keys = await writeKeys(db.dataDir);
  const suite = await openSuite(db.url, db.dataDir);
  try {
    const brand = (await suite.kernel.brands.create({
      slug: SLUG, name: SLUG, profile: {
        controller: { name: 'Bench Hosting Ltd', email: 'privacy@bench.example', country: 'GB' },
        recipients: [{ code: 'escrow-agent', name: 'Escrow agent', kind: 'escrow', purposes: ['legal'], categories: ['contact', 'registration'] }],
        modules: {
          registrant: { privacyService: { name: 'Privacy Service', org: 'Bench Privacy Ltd', street: ['1 Proxy Lane'], city: 'London', cc: 'GB', voice: '+44.2070000000', emailDomain: 'privacy.bench.example' } },
          escrow: { enabled: true, ianaId: 9999, agentPublicKeyFile: keys.agent, signingKeyFile: keys.signing, signingKeyPassphraseVar: PASS_VAR, delivery: 'directory', directory: path.join(db.dataDir, 'agent'), partBytes: 256 * 1024 * 1024 },
        },
      },
    }, { type: 'cli', id: 'bench' })).brand;
    const k = suite.kernel;
    const now = Date.now();
    const batch = 5000;
    for (let from = 0; from < n; from += batch) {
      const rows = [];
      for (let i = from; i < Math.min(n, from + batch); i++) rows.push({ brand_id: brand.id, domain: `bench-${i}.net`, subject_id: null, client_ref: String(i), status: 'registered', id_protection: i % 10 === 0, roles: '["registrant","tech"]', params_enc: null, registered_at: now, updated_at: now });
      await insertMany(k.db, 'registrant_domains', rows);
      const ids = (await k.db('registrant_domains').where({ brand_id: brand.id }).whereIn('domain', rows.map((r) => r.domain)).select('id', 'domain')) as { id: number; domain: string }[];
      const contacts = ids.flatMap(({ id, domain }) => (['registrant', 'tech'] as const).map((role) => ({
        domain_id: id, role, handle: `RC${id.toString(16).padStart(8, '0')}${role[0].toUpperCase()}`, updated_at: now,
        data_enc: k.keyring.encryptSync(JSON.stringify({ id: `RC${id.toString(16).padStart(8, '0')}${role[0].toUpperCase()}`, name: `Customer ${id}`, street: [`${id} Long Street`, 'Unit 4'], city: 'Manchester', pc: 'M1 1AA', cc: 'GB', voice: '+44.1610000000', email: `customer${id}@${domain}`, postalType: 'int', disclose: { name: false, org: false, addr: false, voice: false, fax: false, email: false } })),
      })));
      await insertMany(k.db, 'registrant_contacts', contacts);
    }
  } finally {
    await suite.stop();
  }
}

/** The child: one full deposit and its delivery, measured. */
async function depositPhase(opts: Options): Promise<void> {
  process.env[PASS_VAR] = 'bench-passphrase';
  const suite = await openSuite(opts.url, opts.dataDir);
  let rss = process.memoryUsage().rss;
  let heap = process.memoryUsage().heapUsed;
  const baseRssMb = mb(rss);
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 50);
  let result: Record<string, unknown> = {};
  try {
    const t0 = process.hrtime.bigint();
    const run = await suite.kernel.service<EscrowService>('escrow').deposit({ brand: SLUG, full: true });
    const t1 = process.hrtime.bigint();
    await suite.worker.drain();
    const t2 = process.hrtime.bigint();
    const d = run.deposits[0];
    const state = (await suite.kernel.service<EscrowService>('escrow').get(d.depositId))!.state;
    const dir = path.join(opts.dataDir, 'agent');
    const bytes = fs.readdirSync(dir).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);
    result = {
      domains: d.domains, files: d.files.length, deliveredMb: Math.round(bytes / 104857.6) / 10, state,
      buildSeconds: Math.round(Number(t1 - t0) / 1e8) / 10, deliverSeconds: Math.round(Number(t2 - t1) / 1e8) / 10,
      domainsPerSecond: Math.round(d.domains / (Number(t1 - t0) / 1e9)), rssBeforeMb: baseRssMb, peakRssMb: mb(rss), peakHeapUsedMb: mb(heap),
    };
  } finally {
    clearInterval(timer);
    await suite.stop();
  }
  // Sent once the suite is closed: the parent drops the database as soon as it has the figures.
  await new Promise<void>((resolve) => process.send!(result, () => resolve()));
}

function runChild(db: BenchDb): Promise<Record<string, unknown>> {
  const child = fork(path.resolve(__dirname, '../../bin/run-ts.js'), [__filename, '--phase', 'deposit', '--url', db.url, '--data-dir', db.dataDir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let got: Record<string, unknown> | null = null;
    child.once('message', (m: Record<string, unknown>) => { got = m; });
    child.once('exit', (code) => (got ? resolve(got) : reject(new Error(`the deposit's process exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.phase === 'deposit') {
    await depositPhase(opts);
    process.exit(0);
  }
  const results: Record<string, unknown>[] = [];
  for (const n of opts.sizes) {
    results.push(...(await forEachDialect<Record<string, unknown>>(opts.dialects, (dialect, reason) => ({ dialect, domains: n, skipped: reason }), async (db) => {
      const f0 = Date.now();
      await fill(db, n);
      const fillSeconds = Math.round((Date.now() - f0) / 100) / 10;
      return { dialect: db.dialect, fillSeconds, ...(await runChild(db)) };
    })));
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exit(0);
}

void main().catch((err: unknown) => { process.stderr.write(`${String((err as Error).message ?? err).slice(0, 500)}\n`); process.exit(1); });
