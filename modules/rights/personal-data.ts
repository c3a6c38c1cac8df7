/**
 * The rights module's own export and erasure: a person's requests (type, status, dates) are exported; on erasure the
 * requests stay as proof that the request was answered (GDPR Art. 5(2) accountability) but lose the requester's
 * details, codes and export files.
 */
import type { PersonalDataProvider } from '../../core/modules/define-module';
import { requestsEraseMany, requestsKept } from './erase/requests-erase-many';
import { revokeExportsOf } from './export/export-store';

export const rightsPersonalData: PersonalDataProvider = {
  async export(subjectId, { kernel, trx }) {
    const db = trx ?? kernel.db;
    const rows = (await db('rights_requests').where({ subject_id: subjectId }).orderBy('id').select('id', 'type', 'status', 'source', 'due_at', 'created_at', 'fulfilled_at')) as Record<string, unknown>[];
    return { requests: rows.map((r) => ({ id: Number(r.id), type: r.type, status: r.status, source: r.source, receivedAt: Number(r.created_at), dueAt: Number(r.due_at), fulfilledAt: r.fulfilled_at === null ? null : Number(r.fulfilled_at) })) };
  },
  async erase(subjectId, { kernel, trx }) {
    const ids = ((await trx('rights_requests').where({ subject_id: subjectId }).select('id')) as { id: number }[]).map((r) => Number(r.id));
    if (!ids.length) return { erased: 0, kept: [] };
    const blank = kernel.keyring.encryptSync('{}');
    const n = await trx('rights_requests').whereIn('id', ids).update({ requester_enc: blank, requester_hash: null });
    await trx('rights_verifications').whereIn('request_id', ids).delete();
    await revokeExportsOf(trx, ids); // export files: their keys go now (unreadable at once), the purge job deletes them
    return { erased: n, kept: requestsKept(ids.length) };
  },
  eraseMany: requestsEraseMany,
};
