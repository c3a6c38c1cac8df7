/**
 * Non-personal events of a subject (subject_events): the latest time each happened, what retention counts its periods
 * from on a panel whose own tables the suite cannot read (WHMCS reports them through hooks and the import). A row
 * only ever moves forward: an older report (a replayed hook, an import after a live hook) never moves it back.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { validationError, zodIssues } from '../errors';
import { upsertSubjectRows } from './subject-rows';

/** The events the store keeps: what retention's invoice-paid, last-activity, cart-abandoned, service-ended and domain-expired rules read. */
export const SUBJECT_EVENTS = ['invoice-paid', 'last-login', 'order-placed', 'service-ended', 'domain-expiry'] as const;
export type SubjectEvent = (typeof SUBJECT_EVENTS)[number];

/** One event report: the subject, the event and when it happened (epoch ms). */
export const SubjectEventRow = z.object({
  subjectId: z.number().int().positive(),
  event: z.enum(SUBJECT_EVENTS),
  at: z.number().int().nonnegative(),
});
export type SubjectEventRow = z.infer<typeof SubjectEventRow>;

/** Keeps the later time on a conflict, in one statement per chunk. */
const KEEP_LATEST = {
  mysql: ' on duplicate key update `at` = greatest(`at`, values(`at`))',
  sqlite: ' on conflict (subject_id, event) do update set at = excluded.at where excluded.at > subject_events.at',
};

/**
 * Records `rows` (validated; a bad row refuses the whole batch, naming it as `rows.<i>.<field>`). An erased subject
 * keeps no events (eraseMany deletes them), so reports about one are dropped here rather than bringing them back.
 */
export async function recordSubjectEvents(trx: Knex | Knex.Transaction, rows: readonly SubjectEventRow[]): Promise<void> {
  const parsed = z.array(SubjectEventRow).safeParse(rows);
  if (!parsed.success) throw validationError(zodIssues(parsed.error.issues, 'rows'));
  await upsertSubjectRows(trx, 'subject_events', ['subject_id', 'event', 'at'], parsed.data, (r) => [r.subjectId, r.event, r.at], KEEP_LATEST);
}
