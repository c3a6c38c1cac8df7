/**
 * Reads of a subject's decrypted fields by role (MS-1.2, ESM-3): the profile's access table decides which categories a
 * key's role sees, for every role including the owner; what it does not grant is withheld and named. Every read is
 * audited with the categories shown and withheld, so a read of mail content is on record with its category.
 */
import type { Actor, AuditLog } from '../audit/audit-log';
import type { Role } from '../apikeys/roles';
import type { DataCategory, PrivacyProfile } from '../profile/schema';
import type { Subject, SubjectField, SubjectService } from './subject-service';

/** The categories the profile's access table grants a role (a category it does not name: nobody). */
export function categoriesFor(profile: Pick<PrivacyProfile, 'access'>, role: Role): DataCategory[] {
  return (Object.entries(profile.access) as [DataCategory, Role[] | undefined][]).filter(([, roles]) => roles?.includes(role)).map(([c]) => c);
}

/** What a role may see of one subject: the granted fields, and the categories the subject has that were withheld. */
export interface RoleRead { fields: SubjectField[]; categories: DataCategory[]; withheld: DataCategory[] }

/** Decrypts only the categories the role is granted, then audits the read (`subject.read`, categories and withheld). */
export async function readSubjectAs(
  deps: { subjects: SubjectService; audit: AuditLog },
  subject: Subject, profile: Pick<PrivacyProfile, 'access'>, who: { role: Role; actor: Actor; ip?: string },
): Promise<RoleRead> {
  const granted = new Set(categoriesFor(profile, who.role));
  const held = await deps.subjects.categoriesOf(subject.id);
  const shown = held.filter((c) => granted.has(c));
  const withheld = held.filter((c) => !granted.has(c));
  const fields = shown.length ? await deps.subjects.fields(subject.id, shown) : [];
  await deps.audit.record({
    brandId: subject.brandId, actor: who.actor, action: 'subject.read', targetType: 'subject', targetId: subject.id,
    details: { role: who.role, categories: shown, withheld }, ip: who.ip,
  });
  return { fields, categories: shown, withheld };
}
