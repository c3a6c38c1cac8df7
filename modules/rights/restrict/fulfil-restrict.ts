/**
 * Restriction of processing (SP-5.1, GDPR Art. 18 — "blocking"): the subject is marked restricted in the register,
 * so the data stays stored but every module that would use it asks the kernel first (`processingAllowed`) and the
 * outbox refuses to send it anywhere except for storage or legal claims. The admin lifts it with
 * POST …/modules/rights/subjects/:id/restriction/lift.
 */
import { SuiteError } from '../../../core/errors';
import { PURPOSES_ALLOWED_WHEN_RESTRICTED } from '../../../core/subjects/subject-service';
import type { Fulfiller } from '../requests/fulfil-context';
import { addEvent } from '../requests/request-store';
import { recordedAnswer } from '../rectify/answer-event';

/** The timeline event that carries the answer. */
export const RESTRICTED_EVENT = 'restricted';

export const fulfilRestrict: Fulfiller = async ({ kernel, row, actor, ip }) => {
  const done = await recordedAnswer(kernel, row.id, RESTRICTED_EVENT);
  if (done) return done;
  const subject = await kernel.subjects.get(Number(row.subject_id));
  if (subject.status === 'erased') throw new SuiteError('SUITE_RIGHTS_SUBJECT_ERASED', { subject: subject.id, id: row.id });
  return kernel.db.transaction(async (trx) => {
    const already = subject.restrictedAt !== null;
    if (!already) await kernel.subjects.setRestricted(trx, subject.id, true);
    const at = already ? subject.restrictedAt! : Date.now();
    const answer = { subjectId: subject.id, restricted: true, restrictedAt: at, alreadyRestricted: already, allowedPurposes: [...PURPOSES_ALLOWED_WHEN_RESTRICTED] };
    await addEvent(kernel, trx, row, RESTRICTED_EVENT, actor, answer, ip);
    await kernel.audit.record({ brandId: Number(row.brand_id), actor, action: 'rights.subject.restricted', targetType: 'subject', targetId: subject.id, details: { requestId: row.id, alreadyRestricted: already }, ip }, trx);
    return answer;
  });
};
