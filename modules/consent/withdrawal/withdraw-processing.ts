/**
 * Withdrawal of processing consent (SP-6.1): recorded in the ledger, opens a service-suspension step for the admin
 * (consent_withdrawals, status 'open') and queues a notice to the customer (topic 'consent.withdrawal-notice').
 */
import type { CollectionPoint, ConsentMethod, ConsentReceipt } from '../ledger/consent-event';
import { recordConsent } from '../ledger/consent-ledger';
import type { ConsentContext } from '../marketing/consent-context';

/** The signed-link purpose of a "withdraw processing consent" link. */
export const WITHDRAW_LINK_PURPOSE = 'withdraw-processing';

/** What a withdrawal produced: the receipt, the admin step and the queued notice. */
export interface WithdrawalResult { receipt: ConsentReceipt; withdrawalId: number; noticeId: number }

/** Records the withdrawal, opens the suspension step and queues the customer notice, all in `c.trx`. */
export async function withdrawProcessing(c: ConsentContext, subjectId: number, source: { method: ConsentMethod; collectionPoint: CollectionPoint }, actor = 'subject'): Promise<WithdrawalResult> {
  const { kernel, trx, brand, profile } = c;
  const receipt = await recordConsent(kernel, trx, profile, {
    brandId: brand.id, subjectId, purpose: 'processing', action: 'withdrawn', method: source.method, channel: c.via ?? 'web',
    collectionPoint: source.collectionPoint, ip: c.ip, userAgent: c.userAgent,
  });
  const now = Date.now();
  const [id] = await trx('consent_withdrawals').insert({ brand_id: brand.id, subject_id: subjectId, receipt_id: receipt.receiptId, status: 'open', created_at: now, resolved_at: null });
  const withdrawalId = Number(id);
  const notice = await kernel.outbox.enqueue(trx, profile, {
    brandId: brand.id, topic: 'consent.withdrawal-notice', recipient: 'email', purpose: 'service', subjectId, categories: ['contact'],
    payload: { subjectId, withdrawalId, receiptId: receipt.receiptId, template: 'Consent Withdrawal Notice' }, toSubject: true,
  });
  await kernel.audit.record({
    brandId: brand.id, actor: { type: actor === 'subject' ? 'anonymous' : 'apikey', id: actor }, action: 'consent.processing-withdrawn',
    targetType: 'subject', targetId: subjectId, details: { withdrawalId, receiptId: receipt.receiptId, step: 'service-suspension' },
  }, trx);
  return { receipt, withdrawalId, noticeId: notice.id };
}
