/**
 * Legal disclosures to authorities (MS-5.2, WSM-15): an admin records the authority's request (requester, legal basis,
 * fields); another admin approves all or some fields or refuses (four eyes). On approval exactly the approved fields are
 * read, logged in the disclosure log (recipient of kind authority, purpose legal) in the transaction that closes the
 * request, and handed back once — the values are never stored.
 */
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError, validationError, fieldIssue, type FieldIssue } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { DataCategory, PrivacyProfile, Recipient } from '../../../core/profile/schema';
import { recordDisclosure } from '../../../core/registers/disclosure-log';
import { requireTransfer } from '../../../core/registers/processing-register';
import { FIELD_CATEGORIES } from '../../../core/subjects/field-catalogue';
import { actorString } from '../requests/request-store';
import { disclosureRow, toDisclosure } from './disclosure-store';
import type { DecisionInput, DisclosureInput, DisclosurePackage, DisclosureView } from './disclosure-types';

/** The purpose every legal disclosure is logged under (allowed even for restricted subjects, GDPR Art. 18(2)). */
export const LEGAL_PURPOSE = 'legal';

/** The brand's registered authority recipient (`code`, or the first of kind authority registered for legal), or 422. */
export function authorityRecipient(profile: PrivacyProfile, code?: string): Recipient {
  const r = code
    ? profile.recipients.find((x) => x.code === code)
    : profile.recipients.find((x) => x.kind === 'authority' && x.purposes.includes(LEGAL_PURPOSE)) ?? profile.recipients.find((x) => x.kind === 'authority');
  if (!r) throw new SuiteError('SUITE_RECIPIENT_UNKNOWN', { recipient: code ?? 'authority' });
  if (r.kind !== 'authority') throw new SuiteError('SUITE_RIGHTS_RECIPIENT_KIND', { recipient: r.code, kind: r.kind, what: 'legal disclosures', needed: 'authority' });
  return requireTransfer(profile, r.code, LEGAL_PURPOSE);
}

/** The category of each named field (stored for the subject, else the catalogue's), refusing unknown and unregistered ones. */
function categoriesOf(fields: string[], stored: Map<string, DataCategory>, recipient: Recipient): Map<string, DataCategory> {
  const out = new Map<string, DataCategory>();
  const unknown: FieldIssue[] = [];
  fields.forEach((name, i) => {
    const category = stored.get(name) ?? FIELD_CATEGORIES[name];
    if (!category) unknown.push(fieldIssue(`fields.${i}`, 'validation.rights.notInventoryField', { name }));
    else out.set(name, category);
  });
  if (unknown.length) throw validationError(unknown);
  for (const [name, category] of out) {
    if (recipient.categories.length && !recipient.categories.includes(category)) {
      throw new SuiteError('SUITE_RIGHTS_CATEGORY_NOT_REGISTERED', { recipient: recipient.code, category, field: name });
    }
  }
  return out;
}

async function storedCategories(kernel: Kernel, subjectId: number): Promise<Map<string, DataCategory>> {
  const rows = (await kernel.db('subject_fields').where({ subject_id: subjectId }).select('field', 'category')) as { field: string; category: DataCategory }[];
  return new Map(rows.map((r) => [r.field, r.category]));
}

async function brandSubject(kernel: Kernel, brand: Brand, subjectId: number): Promise<void> {
  const s = await kernel.subjects.get(subjectId);
  if (s.brandId !== brand.id) throw new SuiteError('SUITE_SUBJECT_UNKNOWN', { subject: subjectId });
}

/** Records an authority's request as pending; nothing is read or released yet. */
export async function requestDisclosure(kernel: Kernel, brand: Brand, input: DisclosureInput, actor: Actor, ip?: string): Promise<DisclosureView> {
  const profile = await kernel.brands.profile(brand);
  const recipient = authorityRecipient(profile, input.recipient);
  await brandSubject(kernel, brand, input.subjectId);
  categoriesOf(input.fields, await storedCategories(kernel, input.subjectId), recipient);
  const requesterEnc = await kernel.keyring.encrypt(JSON.stringify(input.requester));
  const id = await kernel.db.transaction(async (trx) => {
    const [newId] = await trx('rights_disclosure_requests').insert({
      brand_id: brand.id, subject_id: input.subjectId, recipient: recipient.code, requester_enc: requesterEnc, legal_basis: input.legalBasis,
      reference: input.reference ?? null, fields: JSON.stringify(input.fields), status: 'pending', requested_by: actorString(actor), created_at: Date.now(),
    });
    await kernel.audit.record({
      brandId: brand.id, actor, action: 'rights.disclosure.requested', targetType: 'rights_disclosure', targetId: Number(newId),
      details: { subject: input.subjectId, recipient: recipient.code, fields: input.fields }, ip,
    }, trx);
    return Number(newId);
  });
  return toDisclosure(kernel, await disclosureRow(kernel.db, brand.id, id));
}

/** The result of a decision: the request as it now stands, and on approval the package to hand over (given out once). */
export interface DecisionResult { disclosure: DisclosureView; package: DisclosurePackage | null }

/** Approves (all or some of the requested fields) or refuses a pending request; the requester's own key may not decide. */
export async function decideDisclosure(kernel: Kernel, brand: Brand, id: number, input: DecisionInput, actor: Actor, ip?: string): Promise<DecisionResult> {
  const row = await disclosureRow(kernel.db, brand.id, id);
  if (row.status !== 'pending') throw new SuiteError('SUITE_RIGHTS_WRONG_STATE', { id, status: row.status, action: 'a decision', needed: 'pending' });
  if (row.requested_by === actorString(actor)) throw new SuiteError('SUITE_RIGHTS_FOUR_EYES', { id });
  const requested = JSON.parse(row.fields) as string[];
  const approved = input.approve ? (input.fields ?? requested) : [];
  const notRequested = approved.map((f, i) => ({ f, i })).filter(({ f }) => !requested.includes(f));
  if (notRequested.length) throw validationError(notRequested.map(({ f, i }) => fieldIssue(`fields.${i}`, 'validation.rights.notRequested', { field: f })));
  const subjectId = Number(row.subject_id);
  const profile = await kernel.brands.profile(brand);
  let released: { name: string; category: DataCategory; value: string }[] = [];
  let recipient: Recipient | undefined;
  if (input.approve) {
    recipient = authorityRecipient(profile, row.recipient ?? undefined);
    await kernel.subjects.assertProcessingAllowed(subjectId, LEGAL_PURPOSE);
    const categories = categoriesOf(approved, await storedCategories(kernel, subjectId), recipient);
    const values = await kernel.subjects.fields(subjectId, [...new Set(categories.values())]);
    released = values.filter((v) => approved.includes(v.name)).map((v) => ({ name: v.name, category: v.category, value: v.value }));
  }
  const names = released.map((f) => f.name);
  const missing = approved.filter((f) => !names.includes(f));
  const noteEnc = input.note ? await kernel.keyring.encrypt(input.note) : null;
  const decidedAt = Date.now();
  const disclosureId = await kernel.db.transaction(async (trx) => {
    const n = await trx('rights_disclosure_requests').where({ id, status: 'pending' }).update({
      status: input.approve ? 'approved' : 'refused', approver: actorString(actor), released: input.approve ? JSON.stringify(names) : null,
      decision_note_enc: noteEnc, decided_at: decidedAt,
    });
    if (!n) throw new SuiteError('SUITE_RIGHTS_WRONG_STATE', { id, status: 'decided', action: 'a decision', needed: 'pending' });
    let did: number | null = null;
    if (recipient && released.length) {
      did = await recordDisclosure(trx, profile, {
        brandId: brand.id, subjectId, recipient: recipient.code, purpose: LEGAL_PURPOSE, categories: [...new Set(released.map((f) => f.category))],
        fields: names, reference: row.reference ?? `disclosure-request:${id}`, actor: actorString(actor),
      });
      await trx('rights_disclosure_requests').where({ id }).update({ disclosure_id: did });
    }
    await kernel.audit.record({
      brandId: brand.id, actor, action: input.approve ? 'rights.disclosure.approved' : 'rights.disclosure.refused', targetType: 'rights_disclosure', targetId: id,
      details: { subject: subjectId, requestedBy: row.requested_by, fields: names, missing, disclosureId: did }, ip,
    }, trx);
    return did;
  });
  const disclosure = await toDisclosure(kernel, await disclosureRow(kernel.db, brand.id, id));
  if (!input.approve || !recipient) return { disclosure, package: null };
  return {
    disclosure,
    package: { requestId: id, disclosureId, recipient: recipient.code, legalBasis: row.legal_basis, reference: row.reference, subjectId, fields: released, missing, releasedAt: decidedAt },
  };
}
