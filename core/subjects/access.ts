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

/**
 * The categories whose reader list `proposed` (a profile layer's `access`) would change against the effective table.
 * A brand-scoped key may not change any (it would grant its own role more): the admin route refuses those.
 */
export function accessChanges(proposed: unknown, current: Pick<PrivacyProfile, 'access'>['access']): string[] {
  if (!proposed || typeof proposed !== 'object' || Array.isArray(proposed)) return [];
  const same = (a: unknown, b: readonly string[] | undefined) => Array.isArray(a) && [...new Set(a.map(String))].sort().join() === [...new Set(b ?? [])].sort().join();
  return Object.entries(proposed).filter(([c, roles]) => !same(roles, current[c as DataCategory])).map(([c]) => c);
}
