/**
 * Set-based upserts of small per-subject rows (subject_events, subject_holdings): one statement per chunk, a
 * dialect's conflict clause deciding which value wins, and rows of erased subjects dropped (an erased person keeps
 * nothing, so a late report must not bring anything back).
 */
import type { Knex } from 'knex';
import { dialectOfKnex } from '../db/connection';
import { insertChunk } from '../db/insert-many';

/** The conflict clause appended to the insert, per dialect. */
export interface OnConflict { mysql: string; sqlite: string }

/** Inserts `rows` into `table` (`columns` in order, `values` of a row in the same order) with `onConflict`. */
export async function upsertSubjectRows<T extends { subjectId: number }>(
  trx: Knex | Knex.Transaction, table: string, columns: readonly string[], rows: readonly T[], values: (row: T) => Knex.Value[], onConflict: OnConflict,
): Promise<void> {
  const clause = onConflict[dialectOfKnex(trx) === 'mysql' ? 'mysql' : 'sqlite'];
  const size = insertChunk(trx);
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += size) {
    const slice = rows.slice(i, i + size);
    const erased = new Set((await trx('subjects').whereIn('id', [...new Set(slice.map((r) => r.subjectId))]).where({ status: 'erased' }).pluck('id')).map(Number));
    const chunk = erased.size ? slice.filter((r) => !erased.has(r.subjectId)) : slice;
    if (!chunk.length) continue;
    await trx.raw(`insert into ${table} (${columns.join(', ')}) values ${chunk.map(() => placeholders).join(', ')}${clause}`, chunk.flatMap(values));
  }
}
