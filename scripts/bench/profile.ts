/** Profiling aid: runs one bench mode in this process for a while (use with node --cpu-prof). */
import crypto from 'node:crypto';
import { Suite } from '../../core/suite';
import { INSTALLED_MODULES } from '../../modules/installed';
import { mysqlDb, sqliteDb } from './db';
import { runConcurrent } from './stats';
import { BENCH_BRAND, inProcessSender, rawSender } from './workload';

async function main(): Promise<void> {
  const [dialect = 'sqlite', mode = 'inproc', nArg = '5000', cArg = '48'] = process.argv.slice(2);
  const db = dialect === 'sqlite' ? sqliteDb() : await mysqlDb();
  if (!('url' in db)) throw new Error(db.unavailable);
  const suite = await Suite.create({ env: {}, modules: INSTALLED_MODULES, poolMax: process.env.BENCH_POOL ? Number(process.env.BENCH_POOL) : undefined, config: { databaseUrl: db.url, dataDir: db.dataDir, masterKey: crypto.randomBytes(32).toString('hex'), logLevel: 'silent', scheduler: false } });
  try {
    await suite.kernel.brands.create({ slug: BENCH_BRAND, name: 'Bench', profile: { controller: { name: 'Bench Ltd', email: 'p@bench.example', country: 'GB' } } }, { type: 'cli', id: 'bench' });
    const brandId = (await suite.kernel.brands.get(BENCH_BRAND)).id;
    const task = mode === 'raw' ? rawSender(suite.kernel.db, suite.kernel.keyring, brandId) : inProcessSender(suite);
    const r = await runConcurrent(Number(nArg), Number(cArg), (i) => task(i + 1));
    console.log(`${dialect} ${mode}: ${r.perSecond.toFixed(0)} events/s, ${r.errors} errors ${r.firstError ?? ''}`);
  } finally {
    await suite.stop();
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
