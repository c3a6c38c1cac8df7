/**
 * Fulfils erasure (MS-8f, TOS-1.4, ESM-2): the request's subject goes through eraseSubject, and the answer is what
 * was erased, what was kept and why (statutory billing records with their keep-until date), and which processors
 * were told. Fulfilling again after a crash returns the stored result of the erasure.
 */
import { SuiteError } from '../../../core/errors';
import { resolveLocale } from '../../../core/i18n';
import type { Fulfiller } from '../requests/fulfil-context';
import { eraseSubject } from './erase-subject';

/** The erase request's answer: eraseSubject for the request's subject, its result stored with the request, in the requester's language. */
export const fulfilErase: Fulfiller = async (c) => {
  if (c.row.subject_id === null) throw new SuiteError('SUITE_RIGHTS_SUBJECT_REQUIRED', { id: c.row.id });
  const result = await eraseSubject(c.kernel, { brand: c.brand, profile: c.profile, subjectId: Number(c.row.subject_id), requestId: Number(c.row.id), actor: c.actor, locale: resolveLocale(c.row.locale) });
  return { ...result };
};
