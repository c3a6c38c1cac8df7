/**
 * The admin's decision on a reveal request: disclose the registrant's real contact to the complainant (written to the
 * disclosure log under the brand's registered recipient for it), suspend the domain, or reject. Audited.
 */
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError, validationError, fieldIssue } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { recordDisclosure } from '../../../core/registers/disclosure-log';
import { requireTransfer } from '../../../core/registers/processing-register';
import type { RegistryContact } from '../../registrars/contract';
import type { RegistrantSettings } from '../settings';
import { findDomain, setDomainStatus } from '../store/domain-store';
import type { RevealDecision } from './reveal-input';

/** What the decision answers: the new status, and for a disclosure the contact to pass to the complainant. */
export interface DecisionResult { id: number; status: string; disclosed?: RegistryContact; disclosureId?: number }

const STATUS = { disclose: 'disclosed', suspend: 'suspended', reject: 'rejected' } as const;

/** Applies the decision in one transaction. */
export async function decideRevealRequest(kernel: Kernel, brand: Brand, actor: Actor, id: number, d: RevealDecision, ip?: string): Promise<DecisionResult> {
  const profile = await kernel.brands.profile(brand);
  const settings = await kernel.settings<RegistrantSettings>('registrant', brand);
  if (d.decision === 'disclose') requireTransfer(profile, settings.reveal.recipient, 'legal');
  await kernel.keyring.activeKeyId();
  return kernel.db.transaction(async (trx) => {
    const req = (await trx('registrant_reveal_requests').where({ id, brand_id: brand.id }).first()) as { id: number; domain: string; subject_id: number | null; status: string; deadline_at: number } | undefined;
    if (!req) throw new SuiteError('SUITE_NOT_FOUND', { what: 'reveal request', id });
    if (req.status !== 'notice-sent') throw validationError([fieldIssue('decision', 'validation.registrant.alreadyDecided', { status: req.status })]);
    if (d.decision === 'disclose' && Date.now() < Number(req.deadline_at) && !d.beforeDeadline) {
      throw validationError([fieldIssue('decision', 'validation.registrant.deadlineNotPassed')]);
    }
    const row = await findDomain(trx, brand.id, req.domain);
    const result: DecisionResult = { id, status: STATUS[d.decision] };
    if (d.decision === 'disclose') {
      const c = row && (await trx('registrant_contacts').where({ domain_id: row.id, role: 'registrant' }).first('data_enc')) as { data_enc: string } | undefined;
      if (!c) throw new SuiteError('SUITE_NOT_FOUND', { what: 'registrant contact', id: req.domain });
      result.disclosed = JSON.parse(await kernel.keyring.decrypt(c.data_enc)) as RegistryContact;
      result.disclosureId = await recordDisclosure(trx, profile, {
        brandId: brand.id, subjectId: req.subject_id === null ? null : Number(req.subject_id), recipient: settings.reveal.recipient, purpose: 'legal',
        categories: ['contact', 'registration'], fields: Object.keys(result.disclosed).filter((k) => k !== 'disclose').map((k) => `registrant.${k}`),
        reference: `reveal:${id}`, actor: `${actor.type}:${actor.id}`,
      });
    }
    if (d.decision === 'suspend' && row) await setDomainStatus(trx, row.id, 'suspended');
    await trx('registrant_reveal_requests').where({ id }).update({ status: result.status, decided_by: `${actor.type}:${actor.id}`, decided_at: Date.now() });
    await kernel.audit.record({
      brandId: brand.id, actor, action: `registrant.reveal.${result.status}`, targetType: 'reveal_request', targetId: id,
      details: { domainId: row?.id ?? null, disclosureId: result.disclosureId ?? null, beforeDeadline: d.beforeDeadline, reason: d.reason ? 'given' : 'none' }, ip,
    }, trx);
    return result;
  });
}
