/**
 * SP-4: each collected record remembers the policy version in force when it was collected. After a panel event
 * stored a subject's fields, those without a version get the terms version the person is under — the one they
 * accepted (a customer who rejected a material change stays under the old one), else the version in force.
 */
import { documentInForce } from '../documents/current-document';
import { stateOf, subjectKey } from '../ledger/consent-ledger';
import type { ConsentContext } from '../marketing/consent-context';

/** Sets the terms version on the subject's fields that have none; returns the version used (null when no terms exist). */
export async function stampPolicyVersion(c: ConsentContext, subjectId: number, locale: string): Promise<string | null> {
  const accepted = (await stateOf(c.trx, c.brand.id, subjectKey(c.kernel, c.brand.id, { subjectId }))).terms;
  const version = accepted?.action === 'given' && accepted.documentVersion ? accepted.documentVersion : (await documentInForce(c.trx, c.brand.id, 'terms', locale, c.profile.locale))?.version ?? null;
  if (version) await c.trx('subject_fields').where({ subject_id: subjectId }).whereNull('policy_version').update({ policy_version: version });
  return version;
}
