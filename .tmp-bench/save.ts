import crypto from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Suite } from '../core/suite';
import { sqliteDb } from '../scripts/bench/db';
import type { PlatformService } from '../modules/platform';
import { openRequest } from '../modules/rights/requests/open-request';
import { fulfilRequest } from '../modules/rights/requests/fulfil-request';
import { decryptStream } from '../modules/rights/export/export-crypto';
import { exportPath } from '../modules/rights/export/export-store';
async function main() {
  const db = sqliteDb();
  const suite = await Suite.create({ env: {}, config: { databaseUrl: db.url, dataDir: db.dataDir, masterKey: crypto.randomBytes(32).toString('hex'), logLevel: 'silent', scheduler: false } });
  const { kernel } = suite;
  await kernel.brands.create({ slug: 'bb', name: 'B & <Co>', profile: { controller: { name: 'X', email: 'x@x.example', country: 'GB' } } }, { type: 'cli', id: 'x' });
  const r = await kernel.service<PlatformService>('platform').signUp('bb', { firstname: 'Ädä', lastname: 'B', email: 'a@example.org', password: 'abcdefghij', accepttos: true, marketing_emails_opt_in: true });
  await kernel.service<PlatformService>('platform').order(r.clientId, [{ type: 'hosting', product: 'X', amount: 3 }], { accepttos: true });
  const brand = await kernel.brands.get('bb');
  const req = await openRequest(kernel, brand, { type: 'access', subjectId: r.subjectId!, locale: 'de' }, { source: 'admin', actor: { type: 'cli', id: 'x' }, verification: { method: 'manual' } });
  const done = await fulfilRequest(kernel, brand, req.id, { type: 'cli', id: 'x' });
  const res = done.result as { exportId: number };
  const row = await kernel.db('rights_exports').where({ id: res.exportId }).first();
  const key = Buffer.from(await kernel.keyring.decrypt(row.key_enc), 'base64');
  await pipeline(fs.createReadStream(exportPath(kernel, row.file)), decryptStream(key), fs.createWriteStream('/tmp/export-sample.zip'));
  await suite.stop(); await db.drop();
}
main();
