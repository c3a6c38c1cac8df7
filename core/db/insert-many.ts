/**
 * Multi-row inserts in as few statements as the dialect takes: SQLite compounds at most 500 selects in one insert (knex
 * writes a multi-row insert as a compound select), so 250 rows per statement there; MySQL takes 1,000 (well inside
 * max_allowed_packet for the suite's rows).
 */
import type { Knex } from 'knex';
import { dialectOfKnex } from './connection';

/** Rows per insert statement on this connection's dialect. */
export function insertChunk(db: Knex | Knex.Transaction): number {
  return dialectOfKnex(db) === 'mysql' ? 1000 : 250;
}

/** Inserts `rows` into `table` in chunks; `onConflictIgnore` names a unique key whose duplicates are skipped. */
export async function insertMany(db: Knex | Knex.Transaction, table: string, rows: Record<string, unknown>[], onConflictIgnore?: string[]): Promise<void> {
  const size = insertChunk(db);
  for (let i = 0; i < rows.length; i += size) {
    const q = db(table).insert(rows.slice(i, i + size));
    await (onConflictIgnore ? q.onConflict(onConflictIgnore).ignore() : q);
  }
}
