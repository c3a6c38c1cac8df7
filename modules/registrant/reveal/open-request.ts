/** Opens a reveal request: stored (complainant and evidence encrypted), the customer noticed through the outbox, audited. */
import type { Brand } from '../../../core/brands/brand';
import type { Actor } from '../../../core/audit/audit-log';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { RegistrantSettings } from '../settings';
import { findDomain } from '../store/domain-store';
import type { RevealComplaint } from './reveal-input';

export const REVEAL_NOTICE = 'registrant.reveal-notice';

/** Creates the request and the notice; returns its id and the customer's deadline (epoch ms). */
export async function openRevealRequest(kernel: Kernel, brand: Brand, actor: Actor, c: RevealComplaint, ip?: string): Promise<{ id: number; deadlineAt: number; noticeId: number | null }> {
  const profile = await kernel.brands.profile(brand);
  const settings = await kernel.settings<RegistrantSettings>('registrant', brand);
  await kernel.keyring.activeKeyId();
  return kernel.db.transaction(async (trx) => {
    const row = await findDomain(trx, brand.id, c.domain);
    if (!row) throw new SuiteError('SUITE_NOT_FOUND', { what: 'domain', id: c.domain });
    const now = Date.now();
    const deadlineAt = now + settings.reveal.responseDays * 86_400_000;
    const [rawId] = await trx('registrant_reveal_requests').insert({
      brand_id: brand.id, domain: row.domain, subject_id: row.subjectId, complainant_enc: kernel.keyring.encryptSync(JSON.stringify(c.complainant)),
      legal_basis: c.legalBasis, evidence_enc: kernel.keyring.encryptSync(c.evidence), status: 'notice-sent', deadline_at: deadlineAt, created_at: now,
    });
    const id = Number(rawId);
    let noticeId: number | null = null;
    if (row.subjectId !== null) {
      ({ id: noticeId } = await kernel.outbox.enqueue(trx, profile, {
        brandId: brand.id, topic: REVEAL_NOTICE, recipient: 'email', purpose: 'legal', subjectId: row.subjectId, categories: ['contact'],
        payload: { subjectId: row.subjectId, requestId: id, domain: row.domain, deadlineAt }, idempotencyKey: `${REVEAL_NOTICE}:${brand.id}:${id}`,
      }));
    }
    await kernel.audit.record({ brandId: brand.id, actor, action: 'registrant.reveal.requested', targetType: 'reveal_request', targetId: id, details: { domainId: row.id, deadlineAt, noticeId }, ip }, trx);
    return { id, deadlineAt, noticeId };
  });
}
