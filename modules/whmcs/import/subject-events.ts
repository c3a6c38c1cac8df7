/** Retention's subject events from a page (latest invoice paid, domain expiry): only those later than what is recorded are written. */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import type { SubjectEvent } from '../../../core/subjects/subject-service';

/** A WHMCS date or date-time (server time, read as UTC) in epoch ms; null for WHMCS's empty `0000-00-00`. */
export function whmcsTime(v: unknown): number | null {
  const s = String(v ?? '').trim();
  if (!s || s.startsWith('0000-00-00')) return null;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : `${s.replace(' ', 'T')}Z`);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

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
