/**
 * Consent bench: (a) verifying a 1,000,000-record consent ledger (target < 10 s), (b) recording consents through the
 * signed hook API (ClientAdd with marketing_emails_opt_in) beside recordConsent in process and the raw insert cost.
 *
 *   node bin/run-ts.js scripts/bench/consent-bench.ts [--records N] [--events N] [--concurrency C] [--dialect sqlite|mysql|all] [--json]
 *
 * MariaDB: as for `npm run bench` (BENCH_MYSQL_URL, else a mysql:// DATABASE_URL, else mysql://root@127.0.0.1:3306/test); skipped with a note when unreachable.
 */
import crypto from 'node:crypto';
import { Suite } from '../../core/suite';
import { INSTALLED_MODULES } from '../../modules/installed';
import { consentChain, recordConsent } from '../../modules/consent/ledger/consent-ledger';
import { GENESIS, linkHash } from '../../core/chain/hash-chain';
import { mysqlDb, sqliteDb, type BenchDb, parseDialects } from './db';
import { percentile, runConcurrent, type RunResult } from './stats';
import { clientAddVars } from './workload';
import { fillLedger } from './consent-ledger-fill';

interface Options { records: number; events: number; concurrency: number; dialects: ('sqlite' | 'mysql')[]; json: boolean }

function parseArgs(argv: string[]): Options {
  const opts: Options = { records: 1_000_000, events: 2000, concurrency: 16, dialects: ['sqlite', 'mysql'], json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => Math.max(1, Number.parseInt(argv[++i] ?? '', 10));
    if (a === '--json') opts.json = true;
    else if (a === '--records') opts.records = num();
    else if (a === '--events') opts.events = num();
    else if (a === '--concurrency') opts.concurrency = num();
    else if (a === '--dialect') {
      opts.dialects = parseDialects(argv[++i]);
    } else throw new Error(`unknown option ${a}`);
  }
  if (![opts.records, opts.events, opts.concurrency].every(Number.isFinite)) throw new Error('--records, --events and --concurrency take numbers');
  return opts;
}

const BRAND = 'consent-bench';
const CONTEXT = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (bench) WHMCS/8.13', locale: 'en' };

/** Figures for one recording mode. */
interface Rate { events: number; eventsPerSecond: number; p50Ms: number; p99Ms: number; errors: number; firstError?: string; ledgerRowsPerEvent?: number }
/** Everything measured on one dialect. */
interface DialectReport {
  dialect: 'sqlite' | 'mysql';
  skipped?: string;
  verify?: { records: number; fillSeconds: number; verifySeconds: number; recordsPerSecond: number; ok: boolean; targetSeconds: 10; withinTarget: boolean };
  record?: { hookMode: string; hookWithConsent?: Rate; hookWithoutConsent?: Rate; recordConsentInProcess: Rate; rawInsert: Rate; hookToRawCostRatio?: number; recordToRawCostRatio: number };
}

const rate = (r: RunResult, extra: Partial<Rate> = {}): Rate => ({
  events: r.events, eventsPerSecond: Math.round(r.perSecond), p50Ms: +percentile(r.latencies, 50).toFixed(2), p99Ms: +percentile(r.latencies, 99).toFixed(2),
  errors: r.errors, firstError: r.firstError, ...extra,
});

async function openSuite(db: BenchDb, masterKey: string): Promise<Suite> {
  return Suite.create({ env: {}, modules: INSTALLED_MODULES, config: { databaseUrl: db.url, dataDir: db.dataDir, masterKey, logLevel: 'silent', scheduler: false } });
}

/** (a) Fills a fresh database with `records` rows and times consentChain.verify over it. */
async function benchVerify(db: BenchDb, records: number, log: (s: string) => void): Promise<DialectReport['verify']> {
  const masterKey = crypto.randomBytes(32).toString('hex');
  const suite = await openSuite(db, masterKey); // runs the migrations
  const t0 = Date.now();
  await fillLedger(suite.kernel.db, records, 1);
  const fillSeconds = (Date.now() - t0) / 1000;
  log(`  ${db.dialect}: filled ${records} ledger rows in ${fillSeconds.toFixed(1)} s; verifying…`);
  try {
    const v0 = process.hrtime.bigint();
    const verdict = await consentChain.verify(suite.kernel.db);
    const verifySeconds = Number(process.hrtime.bigint() - v0) / 1e9;
    if (!verdict.ok || verdict.checked !== records) throw new Error(`verify did not pass: ${JSON.stringify(verdict)}`);
    return { records, fillSeconds, verifySeconds: +verifySeconds.toFixed(2), recordsPerSecond: Math.round(records / verifySeconds), ok: true, targetSeconds: 10, withinTarget: verifySeconds < 10 };
  } finally {
    await suite.stop();
  }
}

/** (b) Consent recording: the hook API (when a ClientAdd binding records marketing consent), recordConsent, the raw insert. */
async function benchRecord(db: BenchDb, opts: Options, log: (s: string) => void): Promise<DialectReport['record']> {
  const suite = await openSuite(db, crypto.randomBytes(32).toString('hex'));
  try {
    await suite.kernel.brands.create({ slug: BRAND, name: 'Consent Bench', profile: { controller: { name: 'Bench Hosting Ltd', email: 'privacy@bench.example', country: 'GB' } } }, { type: 'cli', id: 'bench' });
    const brand = await suite.kernel.brands.get(BRAND);
    const profile = await suite.kernel.brands.profile(brand);
    const { kernel } = suite;
    const ledgerRows = async () => Number(((await kernel.db('consent_ledger').count({ n: '*' }).first()) as { n: number | string }).n);
    const n = opts.events;

    // Does ClientAdd with marketing_emails_opt_in record consent here (the consent capture binding is installed and on)?
    const before = await ledgerRows();
    await suite.hooks.run('ClientAdd', { ...clientAddVars(1), marketing_emails_opt_in: true, accepttos: true }, { brand: BRAND, ...CONTEXT });
    const probeRows = (await ledgerRows()) - before;
    let hookWithConsent: Rate | undefined;
    let hookWithoutConsent: Rate | undefined;
    if (probeRows > 0) {
      const r0 = await ledgerRows();
      const withC = await runConcurrent(n, opts.concurrency, async (i) => {
        const r = await suite.hooks.run('ClientAdd', { ...clientAddVars(10_000 + i), marketing_emails_opt_in: true, accepttos: true }, { brand: BRAND, ...CONTEXT });
        if (r.failures) throw new Error('after-hook failure');
      });
      hookWithConsent = rate(withC, { ledgerRowsPerEvent: +(((await ledgerRows()) - r0) / n).toFixed(2) });
      log(`  ${db.dialect}: hook ClientAdd + consent ${hookWithConsent.eventsPerSecond} ev/s`);
      const withoutC = await runConcurrent(n, opts.concurrency, async (i) => {
        const r = await suite.hooks.run('ClientAdd', { ...clientAddVars(100_000 + i), marketing_emails_opt_in: false }, { brand: BRAND, ...CONTEXT });
        if (r.failures) throw new Error('after-hook failure');
      });
      hookWithoutConsent = rate(withoutC);
    }

    const rec = await runConcurrent(n, opts.concurrency, (i) => kernel.db.transaction(async (trx) => {
      await recordConsent(kernel, trx, profile, {
        brandId: brand.id, subjectId: 200_000 + i, purpose: 'marketing:email', action: 'given', method: 'checkbox', channel: 'web', collectionPoint: 'registration',
        ip: CONTEXT.ip, userAgent: CONTEXT.userAgent,
      });
    }).then(() => undefined));
    const recordConsentInProcess = rate(rec);
    log(`  ${db.dialect}: recordConsent ${recordConsentInProcess.eventsPerSecond} ev/s`);

    // The raw cost: the same two writes (chained ledger row, state upsert) in one transaction, no validation, no crypto.
    const raw = await runConcurrent(n, opts.concurrency, (i) => kernel.db.transaction(async (trx) => {
      const q = trx('chain_heads').where({ chain: 'consent_ledger' });
      const head = (await (db.dialect === 'mysql' ? q.forUpdate() : q).first()) as { seq: number; hash: string } | undefined;
      const seq = Number(head?.seq ?? 0) + 1;
      const at = Date.now();
      const row = {
        receipt_id: `rcpt_raw${i.toString(16).padStart(29, '0')}`, brand_id: brand.id, controller: 'Bench Hosting Ltd', subject_id: 300_000 + i,
        subject_key: crypto.createHash('sha256').update(String(i)).digest('hex'), purpose: 'marketing:email', action: 'given', method: 'checkbox',
        channel: 'web', collection_point: 'registration', created_at: at,
      };
      const hash = linkHash(head?.hash ?? GENESIS, { ...row, seq });
      await trx('consent_ledger').insert({ ...row, seq, prev_hash: head?.hash ?? GENESIS, hash });
      await trx('chain_heads').where({ chain: 'consent_ledger' }).update({ seq, hash });
      await trx('consent_state').insert({ brand_id: brand.id, subject_key: row.subject_key, purpose: row.purpose, subject_id: row.subject_id, action: 'given', method: 'checkbox', receipt_id: row.receipt_id, seq, updated_at: at });
    }));
    const rawInsert = rate(raw);
    log(`  ${db.dialect}: raw insert ${rawInsert.eventsPerSecond} ev/s`);
    const ratio = (a?: Rate) => (a ? +(rawInsert.eventsPerSecond / a.eventsPerSecond).toFixed(2) : undefined);
    return {
      hookMode: probeRows > 0 ? `in-process hook API (suite.hooks.run ClientAdd, ${probeRows} ledger row(s) per event)` : 'no ClientAdd consent binding installed: hook API not measured',
      hookWithConsent, hookWithoutConsent, recordConsentInProcess, rawInsert, hookToRawCostRatio: ratio(hookWithConsent), recordToRawCostRatio: ratio(recordConsentInProcess)!,
    };
  } finally {
    await suite.stop();
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const log = (s: string) => { if (!opts.json) console.log(s); else process.stderr.write(`${s}\n`); };
  const reports: DialectReport[] = [];
  for (const dialect of opts.dialects) {
    log(`consent bench on ${dialect}:`);
    const report: DialectReport = { dialect };
    for (const part of ['verify', 'record'] as const) {
      const db = dialect === 'sqlite' ? sqliteDb() : await mysqlDb();
      if ('unavailable' in db) {
        report.skipped = `MariaDB/MySQL not reachable (${db.unavailable})`;
        log(`  skipped: ${report.skipped}`);
        break;
      }
      try {
        if (part === 'verify') report.verify = await benchVerify(db, opts.records, log);
        else report.record = await benchRecord(db, opts, log);
      } finally {
        await db.drop();
      }
    }
    reports.push(report);
  }
  if (opts.json) {
    console.log(JSON.stringify({ bench: 'consent', records: opts.records, events: opts.events, concurrency: opts.concurrency, reports }, null, 2));
    return;
  }
  for (const r of reports) {
    if (r.skipped) continue;
    const v = r.verify!;
    console.log(`${r.dialect}: verify ${v.records} records in ${v.verifySeconds} s (${v.recordsPerSecond}/s, target < 10 s: ${v.withinTarget ? 'met' : 'MISSED'})`);
    const rec = r.record!;
    if (rec.hookWithConsent) console.log(`${r.dialect}: hook ClientAdd+consent ${rec.hookWithConsent.eventsPerSecond} ev/s (without consent ${rec.hookWithoutConsent!.eventsPerSecond} ev/s)`);
    else console.log(`${r.dialect}: ${rec.hookMode}`);
    console.log(`${r.dialect}: recordConsent ${rec.recordConsentInProcess.eventsPerSecond} ev/s, raw insert ${rec.rawInsert.eventsPerSecond} ev/s (raw/record ${rec.recordToRawCostRatio}x${rec.hookToRawCostRatio ? `, raw/hook ${rec.hookToRawCostRatio}x` : ''})`);
  }
}

main().catch((err: unknown) => {
  console.error(String((err as Error).stack ?? err).slice(0, 2000));
  process.exit(1);
});
