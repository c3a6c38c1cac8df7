/**
 * Holdings (subject_holdings): "data of category C about subject S is held by H since T", for data the suite does not
 * store itself (WHMCS's tickets, email log and opt-in history). Retention selects a subject by them like by its own
 * fields, and the holder clears one once the data is expired there. An open holding keeps its earliest `since`.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { validationError, zodIssues } from '../errors';
import { DataCategory } from '../profile/schema';
import { upsertSubjectRows } from './subject-rows';

/** One holding: the subject, who holds the data (a module's name), its category and since when (epoch ms). */
export const SubjectHoldingRow = z.object({
  subjectId: z.number().int().positive(),
  holder: z.string().min(1).max(40),
  category: DataCategory,
  since: z.number().int().nonnegative(),
});
export type SubjectHoldingRow = z.infer<typeof SubjectHoldingRow>;

/** Keeps the earlier `since` on a conflict (and writes nothing when the row is already as early), one statement per chunk. */
const KEEP_EARLIEST = {
  mysql: ' on duplicate key update `since` = least(`since`, values(`since`))',
  sqlite: ' on conflict (subject_id, holder, category) do update set since = excluded.since where excluded.since < subject_holdings.since',
};

/** Records `rows` (validated; a bad row refuses the batch, naming it as `rows.<i>.<field>`); rows of erased subjects are dropped. */
export async function recordSubjectHoldings(trx: Knex | Knex.Transaction, rows: readonly SubjectHoldingRow[]): Promise<void> {
  const parsed = z.array(SubjectHoldingRow).safeParse(rows);
  if (!parsed.success) throw validationError(zodIssues(parsed.error.issues, 'rows'));
  await upsertSubjectRows(trx, 'subject_holdings', ['subject_id', 'holder', 'category', 'since'], parsed.data, (r) => [r.subjectId, r.holder, r.category, r.since], KEEP_EARLIEST);
}

/** Deletes the holdings of `holder` and `category` for `subjectIds`; with `until`, only those held since at or before it. */
export async function clearSubjectHoldings(trx: Knex | Knex.Transaction, subjectIds: readonly number[], holder: string, category: DataCategory, until?: number): Promise<number> {
  if (!subjectIds.length) return 0;
  let q = trx('subject_holdings').whereIn('subject_id', [...subjectIds]).where({ holder, category });
  if (until !== undefined) q = q.where('since', '<=', until);
  return q.delete();
}
