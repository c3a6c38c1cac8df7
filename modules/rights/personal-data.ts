/**
 * The rights module's own export and erasure: a person's requests (type, status, dates) are exported; on erasure the
 * requests stay as proof that the request was answered (GDPR Art. 5(2) accountability) but lose the requester's
 * details, codes and export files.
 */
import type { PersonalDataProvider } from '../../core/modules/define-module';
import { eraseOne } from '../../core/modules/erase-one';
import { requestsEraseMany } from './erase/requests-erase-many';

export const rightsPersonalData: PersonalDataProvider = {
  async export(subjectId, { kernel, trx }) {
    const db = trx ?? kernel.db;
    const rows = (await db('rights_requests').where({ subject_id: subjectId }).orderBy('id').select('id', 'type', 'status', 'source', 'due_at', 'created_at', 'fulfilled_at')) as Record<string, unknown>[];
    return { requests: rows.map((r) => ({ id: Number(r.id), type: r.type, status: r.status, source: r.source, receivedAt: Number(r.created_at), dueAt: Number(r.due_at), fulfilledAt: r.fulfilled_at === null ? null : Number(r.fulfilled_at) })) };
  },
  erase: eraseOne(requestsEraseMany),
  eraseMany: requestsEraseMany,
};
