/**
 * Lifting a restriction (SP-5.1, GDPR Art. 18(3)): the admin records why it ends (accuracy verified, processing found
 * lawful, the objection decided, or the person asked), the subject's data may be processed again, the person is told
 * (a notice queued in the same transaction, Art. 18(3)), and the lift is audited and added to the timeline of the
 * request that restricted it.
 */
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { Subject } from '../../../core/subjects/subject-service';
import { addEvent } from '../requests/request-store';
import { queueLiftNotice } from './lift-notice';
import type { LiftReason } from './lift-reason';

export { LiftReason } from './lift-reason';

/** A subject's restriction state as the admin API shows it. */
export interface RestrictionView { subjectId: number; restricted: boolean; restrictedAt: number | null; requestId: number | null }

/** The subject, if it belongs to `brand` (else SUITE_SUBJECT_UNKNOWN: another brand's subjects are not visible). */
export async function brandSubject(kernel: Kernel, brand: Brand, id: number): Promise<Subject> {
  const s = await kernel.subjects.get(id).catch(() => undefined);
  if (!s || s.brandId !== brand.id) throw new SuiteError('SUITE_SUBJECT_UNKNOWN', { subject: id });
  return s;
}

/** The latest restriction request of the subject, if any. */
async function restrictRequest(kernel: Kernel, subjectId: number): Promise<{ id: number; brand_id: number } | undefined> {
  return (await kernel.db('rights_requests').where({ subject_id: subjectId, type: 'restrict' }).orderBy('id', 'desc').first('id', 'brand_id')) as { id: number; brand_id: number } | undefined;
}

/** The restriction state of a brand's subject. */
export async function restrictionOf(kernel: Kernel, brand: Brand, id: number): Promise<RestrictionView> {
  const s = await brandSubject(kernel, brand, id);
  const req = await restrictRequest(kernel, s.id);
  return { subjectId: s.id, restricted: s.restrictedAt !== null, restrictedAt: s.restrictedAt, requestId: req ? Number(req.id) : null };
}

/** Lifts the restriction of a brand's subject; SUITE_RIGHTS_NOT_RESTRICTED when there is none. */
export async function liftRestriction(kernel: Kernel, brand: Brand, id: number, reason: LiftReason, actor: Actor, ip?: string): Promise<RestrictionView & { reason: LiftReason; liftedAt: number; notice: { outboxId: number | null; reason?: string } }> {
  const s = await brandSubject(kernel, brand, id);
  if (s.restrictedAt === null) throw new SuiteError('SUITE_RIGHTS_NOT_RESTRICTED', { subject: s.id });
  const req = await restrictRequest(kernel, s.id);
  const liftedAt = Date.now();
  const profile = await kernel.brands.profile(brand);
  const notice = await kernel.db.transaction(async (trx) => {
    const queued = await queueLiftNotice(kernel, trx, profile, brand.id, s.id, reason, liftedAt);
    await kernel.subjects.setRestricted(trx, s.id, false);
    const details = { subjectId: s.id, reason, restrictedFor: liftedAt - s.restrictedAt!, noticeOutboxId: queued.outboxId };
    if (req) await addEvent(kernel, trx, { id: Number(req.id), brand_id: Number(req.brand_id) }, 'restriction-lifted', actor, details, ip);
    await kernel.audit.record({ brandId: brand.id, actor, action: 'rights.subject.restriction-lifted', targetType: 'subject', targetId: s.id, details: { reason, requestId: req ? Number(req.id) : null, noticeOutboxId: queued.outboxId }, ip }, trx);
    return queued;
  });
  return { subjectId: s.id, restricted: false, restrictedAt: null, requestId: req ? Number(req.id) : null, reason, liftedAt, notice };
}
