import crypto from 'node:crypto';
import { Suite } from '../core/suite';
import { sqliteDb } from '../scripts/bench/db';
import { collectSources } from '../modules/rights/export/export-sources';
import { dataJson } from '../modules/rights/export/export-json';
import { indexHtml } from '../modules/rights/export/export-html';
import { categoryCsv } from '../modules/rights/export/export-csv';
import type { PlatformService } from '../modules/platform';
async function main() {
  const db = sqliteDb();
  const suite = await Suite.create({ env: {}, config: { databaseUrl: db.url, dataDir: db.dataDir, masterKey: crypto.randomBytes(32).toString('hex'), logLevel: 'silent', scheduler: false } });
  const { kernel } = suite;
  await kernel.brands.create({ slug: 'bb', name: 'B', profile: { controller: { name: 'X', email: 'x@x.example', country: 'GB' } } }, { type: 'cli', id: 'x' });
  const r = await kernel.service<PlatformService>('platform').signUp('bb', { firstname: 'A', lastname: 'B', email: 'a@example.org', password: 'abcdefghij', accepttos: true });
  const brand = await kernel.brands.get('bb');
  await kernel.keyring.activeKeyId();
  for (let d = 0; d < 5000; d += 500) await kernel.db('platform_invoices').insert(Array.from({ length: 500 }, (_, i) => ({ brand_id: brand.id, client_id: r.clientId, total: 1.5, status: 'paid', paid_at: Date.now(), created_at: Date.now() })));
  for (let d = 0; d < 50000; d += 500) await kernel.db('platform_activity_log').insert(Array.from({ length: 500 }, (_, i) => ({ brand_id: brand.id, client_id: r.clientId, action: 'login', ip_enc: kernel.keyring.encryptSync('198.51.100.' + (i % 250)), created_at: Date.now() })));
  const meta = { generatedAt: Date.now(), locale: 'en', brand: { slug: 'b', name: 'B' }, controller: null, request: { id: 1, type: 'access', receivedAt: Date.now() } };
  for (let round = 0; round < 2; round++) {
    let t = process.hrtime.bigint();
    const lap = (name: string) => { const n = process.hrtime.bigint(); console.log(name, Number(n - t) / 1e6, 'ms'); t = n; };
    const src = await collectSources(kernel, brand, r.subjectId!); lap('collect');
    let n = 0; for await (const _ of src.rows(src.sets[1])) n++; lap('raw activity rows ' + n);
    n = 0; for await (const _ of src.rows(src.sets[0])) n++; lap('raw invoice rows ' + n);
    let bytes = 0; for await (const s of dataJson(meta, src, new Map())) bytes += s.length; lap('json ' + bytes);
    bytes = 0; for await (const s of indexHtml(meta, src)) bytes += s.length; lap('html ' + bytes);
    bytes = 0; for await (const s of categoryCsv(src, 'usage')) bytes += s.length; lap('usage csv ' + bytes);
    bytes = 0; for await (const s of categoryCsv(src, 'billing')) bytes += s.length; lap('billing csv ' + bytes);
  }
  await suite.stop(); await db.drop();
}
main();
