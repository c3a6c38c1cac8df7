import crypto from 'node:crypto';
import { Suite } from '../core/suite';
import { sqliteDb, mysqlDb } from '../scripts/bench/db';
import { collectSources } from '../modules/rights/export/export-sources';
import type { PlatformService } from '../modules/platform';
async function main() {
  const db = process.argv[2] === 'mysql' ? await mysqlDb() as any : sqliteDb();
  const suite = await Suite.create({ env: {}, config: { databaseUrl: db.url, dataDir: db.dataDir, masterKey: crypto.randomBytes(32).toString('hex'), logLevel: 'silent', scheduler: false } });
  const { kernel } = suite;
  await kernel.brands.create({ slug: 'bb', name: 'B', profile: { controller: { name: 'X', email: 'x@x.example', country: 'GB' } } }, { type: 'cli', id: 'x' });
  const r = await kernel.service<PlatformService>('platform').signUp('bb', { firstname: 'A', lastname: 'B', email: 'a@example.org', password: 'abcdefghij', accepttos: true });
  const brand = await kernel.brands.get('bb');
  await kernel.keyring.activeKeyId();
  for (let d = 0; d < 50000; d += 500) await kernel.db('platform_activity_log').insert(Array.from({ length: 500 }, (_, i) => ({ brand_id: brand.id, client_id: r.clientId, action: 'login', ip_enc: kernel.keyring.encryptSync('198.51.100.' + (i % 250)), created_at: Date.now() })));
  for (let round = 0; round < 3; round++) {
    let t = process.hrtime.bigint();
    const lap = (name: string) => { const n = process.hrtime.bigint(); console.log(name, Number(n - t) / 1e6, 'ms'); t = n; };
    let last = 0; let n = 0;
    for (;;) { const rows = await kernel.db('platform_activity_log').where({ client_id: r.clientId }).andWhere('id', '>', last).orderBy('id').limit(1000).select('id', 'action', 'ip_enc', 'created_at'); n += rows.length; if (rows.length < 1000) break; last = rows[rows.length - 1].id; }
    lap('raw select ' + n);
    const src = await collectSources(kernel, brand, r.subjectId!);
    t = process.hrtime.bigint();
    n = 0; for await (const _ of src.rows(src.sets[1])) n++; lap('rows incl decrypt ' + n);
  }
  await suite.stop(); await db.drop();
}
main();
