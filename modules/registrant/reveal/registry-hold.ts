/**
 * The registry side of a suspension (WSM-17): an outbox message asks the brand's registrar module to place the domain
 * on clientHold or lift it, retried until the registrar answers. The deliverer applies the suite's state at delivery
 * time (is any request still suspending the domain?), not the message's wish, so a suspend and a later lift delivered
 * late, twice or side by side still end as the suite stands.
 */
import type { Knex } from 'knex';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { OutboxDeliverer } from '../../../core/modules/define-module';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { registrarFor } from '../transfer/registrar-lookup';

export const REGISTRY_HOLD = 'registrant.registry-hold';

/** Whether the suite itself holds the brand's domains at the registry: EPP configured, or a plugged-in registrar that can. */
export async function holdBySuite(kernel: Kernel, brand: Brand, profile: PrivacyProfile): Promise<boolean> {
  if (profile.modules['registrars/epp']) return true;
  try {
    return typeof (await registrarFor(kernel, brand)).setClientHold === 'function';
  } catch {
    return false; // no registrar module, or registrars/epp without settings for this brand
  }
}

/** Queues the hold (or its lift) for a domain; the payload is the domain name and the request, nothing of the registrant. */
export async function enqueueRegistryHold(kernel: Kernel, trx: Knex.Transaction, profile: PrivacyProfile, h: { brandId: number; domain: string; requestId: number; hold: boolean }): Promise<number> {
  const { id } = await kernel.outbox.enqueue(trx, profile, {
    brandId: h.brandId, topic: REGISTRY_HOLD, recipient: 'registrar', purpose: 'domain-registration', subjectId: null, categories: ['registration'],
    payload: { domain: h.domain, requestId: h.requestId, hold: h.hold }, idempotencyKey: `${REGISTRY_HOLD}:${h.brandId}:${h.requestId}:${h.hold ? 'on' : 'off'}`,
  });
  return id;
}

/** Whether any reveal request of the brand still suspends the domain. */
export async function suspendingRequests(db: Knex | Knex.Transaction, brandId: number, domain: string, except?: number): Promise<{ id: number; domain_status_before: string | null }[]> {
  let q = db('registrant_reveal_requests').where({ brand_id: brandId, domain, status: 'suspended' }).orderBy('id').select('id', 'domain_status_before');
  if (except !== undefined) q = q.whereNot({ id: except });
  return ((await q) as { id: number | string; domain_status_before: string | null }[]).map((r) => ({ id: Number(r.id), domain_status_before: r.domain_status_before }));
}

/** 'registrant.registry-hold': setClientHold at the registrar; a refusal or no registrar throws, so the outbox retries. */
export const deliverRegistryHold: OutboxDeliverer = async (msg, kernel) => {
  const brand = await kernel.brands.getById(msg.brandId);
  const domain = String(msg.payload.domain);
  const requestId = Number(msg.payload.requestId);
  const hold = (await suspendingRequests(kernel.db, brand.id, domain)).length > 0;
  const registrar = await registrarFor(kernel, brand);
  if (!registrar.setClientHold) throw new Error(`registrar ${registrar.name} cannot place a domain on hold; this brand's panel acts on the event instead`);
  const r = await registrar.setClientHold({ domain, hold, requestId: msg.idempotencyKey });
  if (!r.ok) throw new Error(`registrar refused: ${r.error.code}${r.error.registryCode ? ` (registry ${r.error.registryCode})` : ''}${r.error.retryable ? '' : ', not retryable'}`);
  await kernel.db.transaction(async (trx) => {
    if (hold) await trx('registrant_reveal_requests').where({ id: requestId, brand_id: brand.id, registry_hold: 'queued' }).update({ registry_hold: 'placed' });
    else await trx('registrant_reveal_requests').where({ id: requestId, brand_id: brand.id, registry_hold: 'lift-queued' }).update({ registry_hold: 'lifted' });
    await kernel.audit.record({
      brandId: brand.id, actor: { type: 'system', id: 'outbox' }, action: hold ? 'registrant.hold.placed' : 'registrant.hold.lifted', targetType: 'reveal_request', targetId: requestId,
      details: { outboxId: msg.id, attempt: msg.attempt, asked: msg.payload.hold === true ? 'hold' : 'lift', changed: r.data.changed, registrar: registrar.name },
    }, trx);
  });
  kernel.log.info({ outboxId: msg.id, requestId, hold, changed: r.data.changed }, 'registry hold applied');
};
