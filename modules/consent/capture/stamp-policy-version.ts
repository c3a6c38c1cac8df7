/**
 * SP-4: each collected record remembers the policy version it was collected under. After a panel event stored a
 * subject's fields, those without a version get the terms version that governs the person then (`documentForSubject`):
 * the newest version in force that they did not reject. A customer who rejected a material change stays under the
 * version before it, also once the change is in force; one who did not moves to the new version when it takes effect.
 */
import { documentForSubject } from '../documents/document-for-subject';
import type { ConsentContext } from '../marketing/consent-context';

/** Sets the terms version on the subject's fields that have none; returns the version used (null when no terms exist). */
export async function stampPolicyVersion(c: ConsentContext, subjectId: number, locale: string): Promise<string | null> {
  const version = (await documentForSubject(c.trx, c.brand.id, subjectId, 'terms', locale, Date.now(), c.profile.locale))?.version ?? null;
  if (version) await c.trx('subject_fields').where({ subject_id: subjectId }).whereNull('policy_version').update({ policy_version: version });
  return version;
}
