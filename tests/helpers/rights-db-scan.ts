/** Looks for personal values anywhere in the database: every table, every column, encrypted values decrypted first. */
import type { Suite } from '../../core/suite';

/** Where a value was found. */
export interface ScanHit { table: string; column: string; needle: string; id: unknown }

/** Every table of the test database. */
export async function allTables(suite: Suite): Promise<string[]> {
  const db = suite.kernel.db;
  const rows = db.client.config.client === 'better-sqlite3'
    ? ((await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) as { name: string }[])
    : ((await db.raw('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()')) as unknown as [{ name: string }[]])[0];
  return rows.map((r) => r.name).sort();
}

/** Rows of every table (except `skip`) holding any of `needles` (case-insensitive), in plain text or once decrypted. */
export async function scanDatabase(suite: Suite, needles: string[], skip: string[] = []): Promise<ScanHit[]> {
  const hits: ScanHit[] = [];
  const lower = needles.map((n) => n.toLowerCase());
  for (const table of await allTables(suite)) {
    if (skip.includes(table)) continue;
    const rows = (await suite.kernel.db(table).select('*')) as Record<string, unknown>[];
    for (const row of rows) {
      for (const [column, raw] of Object.entries(row)) {
        if (typeof raw !== 'string' && !Buffer.isBuffer(raw)) continue;
        let text = String(raw);
        if (/^v1\.[^.]+\./.test(text)) {
          try {
            text = await suite.kernel.keyring.decrypt(text);
          } catch {
            // not one of ours
          }
        }
        const low = text.toLowerCase();
        lower.forEach((n, i) => {
          if (low.includes(n)) hits.push({ table, column, needle: needles[i], id: row.id ?? row.seq ?? null });
        });
      }
    }
  }
  return hits;
}
