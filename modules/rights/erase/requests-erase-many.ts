/**
 * The rights module's own erasure, of one subject or many at once (`erase(id)` is `eraseMany([id])`): each request stays
 * as proof it was answered, without the requester's details, codes or export files — in four statements for the batch.
 */
import type { EraseOutcome } from '../../../core/modules/define-module';
import type { EraseMany } from '../../../core/modules/erase-one';
import { revokeExportsOf } from '../export/export-store';

/** What the rights module keeps of an erased subject's requests, and why. */
export function requestsKept(count: number): string[] {
  return [`rights requests (${count}: type, status and dates) as proof they were answered; requester details removed`];
}

/** `eraseMany` (and so `erase`) for the rights module's requests. */
export const requestsEraseMany: EraseMany = async (subjectIds, { kernel, trx }) => {
  const rows = (await trx('rights_requests').whereIn('subject_id', subjectIds).select('id', 'subject_id')) as { id: number; subject_id: number }[];
  const per = new Map<number, number>();
  for (const r of rows) per.set(Number(r.subject_id), (per.get(Number(r.subject_id)) ?? 0) + 1);
  if (rows.length) {
    const ids = rows.map((r) => Number(r.id));
    await trx('rights_requests').whereIn('id', ids).update({ requester_enc: kernel.keyring.encryptSync('{}'), requester_hash: null });
    await trx('rights_verifications').whereIn('request_id', ids).delete();
    await revokeExportsOf(trx, ids); // export files: their keys go now (unreadable at once), the purge job deletes them
  }
  const out = new Map<number, EraseOutcome>();
  for (const id of subjectIds) {
    const n = per.get(id) ?? 0;
    out.set(id, n ? { erased: n, kept: requestsKept(n) } : { erased: 0, kept: [] });
  }
  return out;
};
