/**
 * SP-4: each collected record remembers the policy version it was collected under. After a panel event stored a
 * subject's fields, those without a version get the terms version the person is under: the one they accepted — a
 * customer who rejected a material change stays under the version they accepted before it, also once the change is in
 * force —, else the version in force for them.
 */
import { acceptedVersion } from '../documents/document-for-subject';
import { stateOf, subjectKey } from '../ledger/consent-ledger';
import type { ConsentContext } from '../marketing/consent-context';

/** Sets the terms version on the subject's fields that have none; returns the version used (null when no terms exist). */
export async function stampPolicyVersion(c: ConsentContext, subjectId: number, locale: string): Promise<string | null> {
  const last = (await stateOf(c.trx, c.brand.id, subjectKey(c.kernel, c.brand.id, { subjectId }))).terms;
  // The common case costs one read of the derived state: the last terms event is an acceptance of a version.
  const version = last?.action === 'given' && last.documentVersion
    ? last.documentVersion
    : await acceptedVersion(c.trx, c.brand.id, subjectId, 'terms', locale, Date.now(), c.profile.locale);
  if (version) await c.trx('subject_fields').where({ subject_id: subjectId }).whereNull('policy_version').update({ policy_version: version });
  return version;
}
