/** Key rotation: a new active key, then every encrypted value re-encrypted in batches while the service runs. */
import type { Knex } from 'knex';
import { Keyring } from './keyring';
import type { EncryptedColumns } from './encrypted-columns';

/** What a rotation did. */
export interface RotationReport { newKeyId: string; reencrypted: number; tables: Record<string, number> }

/**
 * Creates a new key and re-encrypts every registered column under it, batch by batch. Old keys stay
 * decrypt-only, so readers never see an unreadable value while the sweep runs.
 */
export async function rotateKeys(db: Knex, keyring: Keyring, registry: EncryptedColumns[], onProgress?: (table: string, done: number) => void, batchSize = 500): Promise<RotationReport> {
  const newKeyId = await keyring.createKey();
  const report: RotationReport = { newKeyId, reencrypted: 0, tables: {} };
  for (const reg of registry) {
    let lastId: number | string = 0;
    let count = 0;
    for (;;) {
      const rows = (await db(reg.table).where(reg.id, '>', lastId).orderBy(reg.id).limit(batchSize).select(reg.id, ...reg.columns)) as Record<string, string | number | null>[];
      if (rows.length === 0) break;
      for (const row of rows) {
        const update: Record<string, string> = {};
        for (const col of reg.columns) {
          const v = row[col];
          if (typeof v === 'string' && v.startsWith('v1.') && Keyring.keyIdOf(v) !== newKeyId) {
            update[col] = keyring.encryptSync(await keyring.decrypt(v));
          }
        }
        if (Object.keys(update).length) {
          // Only replace what we read: a concurrent write under the new key wins.
          let q = db(reg.table).where(reg.id, row[reg.id] as string | number);
          for (const col of Object.keys(update)) q = q.andWhere(col, row[col] as string);
          count += (await q.update(update)) > 0 ? 1 : 0;
        }
      }
      lastId = rows[rows.length - 1][reg.id] as string | number;
      onProgress?.(reg.table, count);
    }
    report.tables[reg.table] = count;
    report.reencrypted += count;
  }
  return report;
}
