/**
 * The two steps of a suspension, each the other's undo, run in the decision's transaction: suspend marks the domain
 * suspended, queues clientHold for the registrar (brands the suite holds at the registry) and records the panel's
 * `domain.suspended` event; lift restores the domain's status, queues the hold's removal and records
 * `domain.unsuspended`. While another request still suspends the domain, either step changes nothing but the request.
 */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { recordDomainEvent, type DomainEventType, type RegistryHoldBy } from '../events/domain-events';
import { setDomainStatus, type DomainRow } from '../store/domain-store';
import { enqueueRegistryHold, suspendingRequests } from './registry-hold';

/**
 * What a step did. `queued`: clientHold (or its removal) goes to the registry through the outbox; `not-sent`: the
 * suite sends nothing to the registry, the panel event is how the WHMCS registrar wrapper / connector acts; `kept`:
 * another request (`heldBy`) still suspends the domain, so nothing changed at the registry or in the panel.
 */
export interface HoldOutcome { state: 'queued' | 'not-sent' | 'kept'; by?: RegistryHoldBy; outboxId?: number; heldBy?: number[]; event?: { id: number; type: DomainEventType } }

/** The step's inputs: the request being decided and its domain; `bySuite` from holdBySuite(), read before the transaction. */
export interface HoldStep { kernel: Kernel; trx: Knex.Transaction; profile: PrivacyProfile; brandId: number; requestId: number; row: DomainRow; bySuite: boolean }

async function apply(s: HoldStep, hold: boolean, column: 'queued' | 'lift-queued'): Promise<HoldOutcome> {
  const by: RegistryHoldBy = s.bySuite ? 'suite' : 'panel';
  await s.trx('registrant_reveal_requests').where({ id: s.requestId }).update({ registry_hold: s.bySuite ? column : 'not-sent' });
  const outboxId = s.bySuite ? await enqueueRegistryHold(s.kernel, s.trx, s.profile, { brandId: s.brandId, domain: s.row.domain, requestId: s.requestId, hold }) : undefined;
  const type: DomainEventType = hold ? 'domain.suspended' : 'domain.unsuspended';
  const id = await recordDomainEvent(s.trx, { brandId: s.brandId, type, domain: s.row.domain, requestId: s.requestId, registryHold: by });
  return { state: s.bySuite ? 'queued' : 'not-sent', by, outboxId, event: { id, type } };
}

/** Suspends the domain for this request (or notes that another request already does). */
export async function suspendDomain(s: HoldStep): Promise<HoldOutcome> {
  const others = await suspendingRequests(s.trx, s.brandId, s.row.domain, s.requestId);
  if (others.length) {
    await s.trx('registrant_reveal_requests').where({ id: s.requestId }).update({ registry_hold: 'kept', domain_status_before: others[0].domain_status_before });
    return { state: 'kept', heldBy: others.map((o) => o.id) };
  }
  await s.trx('registrant_reveal_requests').where({ id: s.requestId }).update({ domain_status_before: s.row.status });
  await setDomainStatus(s.trx, s.row.id, 'suspended');
  return apply(s, true, 'queued');
}

/** Lifts this request's suspension: the domain's status before it comes back, unless another request still suspends it. */
export async function liftSuspension(s: HoldStep, statusBefore: string | null): Promise<HoldOutcome> {
  const others = await suspendingRequests(s.trx, s.brandId, s.row.domain, s.requestId);
  if (others.length) {
    await s.trx('registrant_reveal_requests').where({ id: s.requestId }).update({ registry_hold: 'kept' });
    return { state: 'kept', heldBy: others.map((o) => o.id) };
  }
  if (s.row.status === 'suspended') await setDomainStatus(s.trx, s.row.id, statusBefore ?? 'registered');
  return apply(s, false, 'lift-queued');
}
