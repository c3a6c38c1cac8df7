/**
 * The panel's event feed (WSM-17): `domain.suspended` / `domain.unsuspended`, written in the decision's transaction,
 * numbered per brand by a counter row. Taking that row's lock serialises the writers of a brand, so numbers are
 * gapless and commit in order: a reader resuming `after` the last number it saw never skips a late commit.
 */
import type { Knex } from 'knex';

export const DomainEventType = ['domain.suspended', 'domain.unsuspended'] as const;
export type DomainEventType = (typeof DomainEventType)[number];

/** Who acts at the registry: `suite` (clientHold over EPP, through the outbox), or `panel` (nothing was sent). */
export type RegistryHoldBy = 'suite' | 'panel';

/** One event as the feed answers it. */
export interface DomainEvent { id: number; type: DomainEventType; domain: string; requestId: number | null; registryHold: RegistryHoldBy; at: string }

/** Creates the brand's counter row if missing; call outside the transaction that records (no lock kept). */
export async function ensureEventHead(db: Knex, brandId: number): Promise<void> {
  await db('registrant_event_heads').insert({ brand_id: brandId, last_seq: 0 }).onConflict('brand_id').ignore();
}

/** Appends an event in the caller's transaction and returns its number (the counter row stays locked until commit). */
export async function recordDomainEvent(trx: Knex.Transaction, e: { brandId: number; type: DomainEventType; domain: string; requestId: number | null; registryHold: RegistryHoldBy }): Promise<number> {
  const n = await trx('registrant_event_heads').where({ brand_id: e.brandId }).increment('last_seq', 1);
  if (!n) throw new Error('registrant event counter missing: ensureEventHead() must run before the transaction');
  const head = (await trx('registrant_event_heads').where({ brand_id: e.brandId }).first('last_seq')) as { last_seq: number | string };
  const seq = Number(head.last_seq);
  await trx('registrant_events').insert({ brand_id: e.brandId, seq, type: e.type, domain: e.domain, request_id: e.requestId, registry_hold: e.registryHold, created_at: Date.now() });
  return seq;
}

/** Events of a brand after number `after`, oldest first; `more` when another page waits. */
export async function listDomainEvents(db: Knex, brandId: number, after: number, limit: number): Promise<{ events: DomainEvent[]; more: boolean }> {
  const rows = (await db('registrant_events').where({ brand_id: brandId }).andWhere('seq', '>', after).orderBy('seq').limit(limit + 1)) as Record<string, unknown>[];
  const events = rows.slice(0, limit).map((r) => ({
    id: Number(r.seq), type: r.type as DomainEventType, domain: String(r.domain), requestId: r.request_id === null ? null : Number(r.request_id),
    registryHold: r.registry_hold as RegistryHoldBy, at: new Date(Number(r.created_at)).toISOString(),
  }));
  return { events, more: rows.length > limit };
}
