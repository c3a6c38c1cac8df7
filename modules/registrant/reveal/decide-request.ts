/**
 * The admin's decision on a reveal request: disclose the registrant's real contact to the complainant (written to the
 * disclosure log under the brand's registered recipient for it), suspend the domain (clientHold at the registry and a
 * panel event, see suspension.ts), reject, or later lift a suspension. Audited.
 */
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError, validationError, fieldIssue } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { recordDisclosure } from '../../../core/registers/disclosure-log';
import { requireTransfer } from '../../../core/registers/processing-register';
import type { RegistryContact } from '../../registrars/contract';
import { ensureEventHead } from '../events/domain-events';
import type { RegistrantSettings } from '../settings';
import { findDomain } from '../store/domain-store';
import { holdBySuite } from './registry-hold';
import type { RevealDecision } from './reveal-input';
import { liftSuspension, suspendDomain, type HoldOutcome } from './suspension';

/** What the decision answers: the new status; for a disclosure the contact to pass on; for a suspension or lift what happened to the hold. */
export interface DecisionResult { id: number; status: string; disclosed?: RegistryContact; disclosureId?: number; registryHold?: HoldOutcome }

const STATUS = { disclose: 'disclosed', suspend: 'suspended', reject: 'rejected', lift: 'lifted' } as const;

interface RequestRow { id: number; domain: string; subject_id: number | null; status: string; deadline_at: number; domain_status_before: string | null }

/** Applies the decision in one transaction. */
export async function decideRevealRequest(kernel: Kernel, brand: Brand, actor: Actor, id: number, d: RevealDecision, ip?: string): Promise<DecisionResult> {
  const profile = await kernel.brands.profile(brand);
  const settings = await kernel.settings<RegistrantSettings>('registrant', brand);
  if (d.decision === 'disclose') requireTransfer(profile, settings.reveal.recipient, 'legal');
  const holds = d.decision === 'suspend' || d.decision === 'lift';
  const bySuite = holds && (await holdBySuite(kernel, brand, profile));
  if (holds) await ensureEventHead(kernel.db, brand.id);
  await kernel.keyring.activeKeyId();
  return kernel.db.transaction(async (trx) => {
    // Locked (MariaDB): two decisions on one request, or on two requests of one domain, run one after the other.
    const req = (await trx('registrant_reveal_requests').where({ id, brand_id: brand.id }).forUpdate().first()) as RequestRow | undefined;
    if (!req) throw new SuiteError('SUITE_NOT_FOUND', { what: 'reveal request', id });
    if (d.decision === 'lift' && req.status !== 'suspended') throw new SuiteError('SUITE_REVEAL_NOT_SUSPENDED', { id, status: req.status });
    if (d.decision !== 'lift' && req.status !== 'notice-sent') throw validationError([fieldIssue('decision', 'validation.registrant.alreadyDecided', { status: req.status })]);
    if (d.decision === 'disclose' && Date.now() < Number(req.deadline_at) && !d.beforeDeadline) {
      throw validationError([fieldIssue('decision', 'validation.registrant.deadlineNotPassed')]);
    }
    if (holds) await trx('registrant_domains').where({ brand_id: brand.id, domain: req.domain }).forUpdate().first('id');
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
    if (holds) {
      if (!row) throw new SuiteError('SUITE_NOT_FOUND', { what: 'domain', id: req.domain });
      const step = { kernel, trx, profile, brandId: brand.id, requestId: id, row, bySuite };
      result.registryHold = d.decision === 'suspend' ? await suspendDomain(step) : await liftSuspension(step, req.domain_status_before);
    }
    await trx('registrant_reveal_requests').where({ id }).update({ status: result.status, decided_by: `${actor.type}:${actor.id}`, decided_at: Date.now() });
    const hold = result.registryHold;
    await kernel.audit.record({
      brandId: brand.id, actor, action: `registrant.reveal.${result.status}`, targetType: 'reveal_request', targetId: id,
      details: {
        domainId: row?.id ?? null, disclosureId: result.disclosureId ?? null, beforeDeadline: d.beforeDeadline, reason: d.reason ? 'given' : 'none',
        ...(hold ? { registryHold: hold.state, by: hold.by ?? null, outboxId: hold.outboxId ?? null, eventId: hold.event?.id ?? null, heldBy: hold.heldBy ?? null } : {}),
      }, ip,
    }, trx);
    return result;
  });
}
