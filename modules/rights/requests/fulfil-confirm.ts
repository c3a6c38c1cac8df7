/**
 * Confirmation (MS-8a): does the brand hold data about the person? Answered from the subject registry: the subject's
 * kind, status and the data categories held (field names per category, no values), plus which modules hold records.
 */
import type { DataCategory } from '../../../core/profile/schema';
import type { Fulfiller } from './fulfil-context';

export const fulfilConfirm: Fulfiller = async ({ kernel, row }) => {
  if (row.subject_id === null) return { holdsData: false, categories: {} };
  const subject = await kernel.subjects.get(Number(row.subject_id));
  if (subject.status === 'erased') return { holdsData: false, categories: {}, note: 'the record was erased; only an anonymous tombstone remains' };
  const fields = (await kernel.db('subject_fields').where({ subject_id: subject.id }).select('field', 'category')) as { field: string; category: DataCategory }[];
  const categories: Record<string, string[]> = {};
  for (const f of fields) (categories[f.category] ??= []).push(f.field);
  for (const list of Object.values(categories)) list.sort();
  const modules = kernel.modules.list().filter((m) => m.storesPersonalData).map((m) => m.name);
  return { holdsData: true, subject: { kind: subject.kind, status: subject.status, since: subject.createdAt, restricted: subject.restrictedAt !== null }, categories, modules };
};
