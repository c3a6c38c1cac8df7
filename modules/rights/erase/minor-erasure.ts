/**
 * WSM-22: data of a child under the brand's minimum age (the consent module's age gate refuses them at sign-up) that
 * is found anyway is erased through the erasure workflow: a verified erase request (verification 'manual', reason
 * 'minor' in its timeline) opened and fulfilled at once. A minor is flagged by a stored date of birth under the
 * minimum age, by the date of birth the admin found, or by an admin's report (e.g. a parent's notice).
 */
import { z } from 'zod';
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError, validationError, fieldIssue } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { ageOn } from '../../../core/subjects/age';
import { fulfilRequest } from '../requests/fulfil-request';
import { openRequest } from '../requests/open-request';
import { addEvent } from '../requests/request-store';
import type { RightsRequest } from '../requests/request-types';

/** The admin's order to erase a minor's data. */
export const MinorErasure = z.object({
  subjectId: z.number().int().positive(),
  /** 'date-of-birth': the stored one, or `dateOfBirth` as found (checked against the brand's minimum age); 'report': an admin's finding. */
  evidence: z.enum(['date-of-birth', 'report']).default('date-of-birth'),
  dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.format.date').optional(),
}).strict();
export type MinorErasure = z.infer<typeof MinorErasure>;

/** The stored date of birth of a subject, if the inventory holds one. */
async function storedDateOfBirth(kernel: Kernel, subjectId: number): Promise<string | undefined> {
  const row = (await kernel.db('subject_fields').where({ subject_id: subjectId, field: 'date_of_birth' }).first('value_enc')) as { value_enc: string } | undefined;
  return row ? kernel.keyring.decrypt(row.value_enc) : undefined;
}

/** Subjects of the brand (not erased) whose stored date of birth is under the brand's minimum age: ids and kinds only. */
export async function flaggedMinors(kernel: Kernel, brand: Brand): Promise<{ subjectId: number; kind: string }[]> {
  const min = (await kernel.brands.profile(brand)).consent.minimumAge;
  const rows = (await kernel.db('subject_fields as f').join('subjects as s', 's.id', 'f.subject_id')
    .where({ 'f.field': 'date_of_birth', 's.brand_id': brand.id }).whereNot('s.status', 'erased').orderBy('s.id')
    .select('s.id', 's.kind', 'f.value_enc')) as { id: number; kind: string; value_enc: string }[];
  const out: { subjectId: number; kind: string }[] = [];
  for (const r of rows) {
    const age = ageOn(await kernel.keyring.decrypt(r.value_enc));
    if (age !== undefined && age < min) out.push({ subjectId: Number(r.id), kind: r.kind });
  }
  return out;
}

/** Opens a verified erase request for a flagged minor and fulfils it; returns the fulfilled request. */
export async function eraseMinor(kernel: Kernel, brand: Brand, input: MinorErasure, actor: Actor, ip?: string): Promise<RightsRequest> {
  const subject = await kernel.subjects.get(input.subjectId).catch(() => undefined);
  if (!subject || subject.brandId !== brand.id) throw validationError([fieldIssue('subjectId', 'validation.subject.notOfBrand', { subject: input.subjectId, brand: brand.slug })]);
  const minimumAge = (await kernel.brands.profile(brand)).consent.minimumAge;
  if (input.evidence === 'date-of-birth') {
    if (input.dateOfBirth !== undefined && ageOn(input.dateOfBirth) === undefined) throw validationError([fieldIssue('dateOfBirth', 'validation.rights.dateOfBirthPast')]);
    const dob = input.dateOfBirth ?? (await storedDateOfBirth(kernel, subject.id));
    const age = dob === undefined ? undefined : ageOn(dob);
    if (age === undefined || age >= minimumAge) throw new SuiteError('SUITE_RIGHTS_NOT_A_MINOR', { subject: subject.id, minimumAge });
  }
  const request = await openRequest(kernel, brand, { type: 'erase', subjectId: subject.id }, { source: 'admin', actor, ip, verification: { method: 'manual', note: 'minor' } });
  await kernel.db.transaction((trx) => addEvent(kernel, trx, { id: request.id, brand_id: brand.id }, 'minor', actor, { reason: 'minor', evidence: input.evidence, minimumAge }, ip));
  return fulfilRequest(kernel, await kernel.brands.getById(request.queueBrandId), request.id, actor, ip);
}
