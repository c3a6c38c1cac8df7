/** A digest of every row of every table, to prove that a refused call wrote nothing (or exactly what it should). */
import crypto from 'node:crypto';
import type { Knex } from 'knex';

async function tableNames(db: Knex): Promise<string[]> {
  if (db.client.config.client === 'mysql2') {
    const [rows] = (await db.raw('SHOW TABLES')) as unknown as [Record<string, string>[]];
    return rows.map((r) => Object.values(r)[0]).sort();
  }
  const rows = (await db.raw("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")) as { name: string }[];
  return rows.map((r) => r.name).sort();
}

/** Table → sha256 of its rows (order-independent); `except` leaves tables out, `scope` narrows a table's rows. */
export async function digestTables(db: Knex, except: string[] = [], scope: Record<string, (q: Knex.QueryBuilder) => Knex.QueryBuilder> = {}): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of await tableNames(db)) {
    if (except.includes(table)) continue;
    const rows = (await (scope[table]?.(db(table)) ?? db(table))) as Record<string, unknown>[];
    const lines = rows.map((r) => JSON.stringify(Object.keys(r).sort().map((c) => [c, r[c] === null || r[c] === undefined ? null : String(r[c])]))).sort();
    out[table] = crypto.createHash('sha256').update(lines.join('\n')).digest('hex');
  }
  return out;
}

/** The tables whose digest differs between two snapshots. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((t) => before[t] !== after[t]).sort();
}
