/** Retention's subject events from a page (latest invoice paid, domain expiry): only those later than what is recorded are written. */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import type { SubjectEvent } from '../../../core/subjects/subject-service';

/** Records each subject's latest `event` time among `times`; answers how many subjects' times moved forward. */
export async function recordLatest(kernel: Kernel, trx: Knex.Transaction, event: SubjectEvent, times: Map<number, number>): Promise<number> {
  if (!times.size) return 0;
  const have = new Map(((await trx('subject_events').where({ event }).whereIn('subject_id', [...times.keys()]).select('subject_id', 'at')) as { subject_id: number; at: number | string }[])
    .map((r) => [Number(r.subject_id), Number(r.at)]));
  const rows = [...times].filter(([id, at]) => (have.get(id) ?? -1) < at).map(([subjectId, at]) => ({ subjectId, event, at }));
  if (rows.length) await kernel.subjects.recordEvents(trx, rows);
  return rows.length;
}

/** Adds a time to a subject's latest. */
export function keepLatest(times: Map<number, number>, subjectId: number, at: number): void {
  if ((times.get(subjectId) ?? -1) < at) times.set(subjectId, at);
}
