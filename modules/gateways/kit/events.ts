/**
 * Webhook events, each applied once, keyed by the processor's event id: a second delivery of an applied event answers
 * `duplicate` and writes nothing; an event whose effects threw is kept as `failed` (the admin's webhook failure list)
 * and applied when the processor sends it again. Only verified events get here.
 */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import type { GatewayName, WebhookOutcome } from './contract';
import { gatewayTables } from './tables';
import { isUniqueViolation } from '../../../core/db/unique-violation';

/** What a failed event row shows: the error's code or class, and its message cut short (messages carry no values). */
export function errorSummary(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'Error';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return `${code}: ${message}`.slice(0, 400);
}

/** One webhook failure as the admin sees it. */
export interface WebhookFailure { eventId: string; type: string; attempts: number; error: string | null; receivedAt: number; updatedAt: number }

export class WebhookEvents {
  private readonly table: string;
  constructor(readonly gateway: GatewayName) { this.table = gatewayTables(gateway).events; }

  /** Whether the event was already applied (or ignored) for the brand. */
  async done(db: Knex, brandId: number, eventId: string): Promise<boolean> {
    const r = (await db(this.table).where({ brand_id: brandId, event_id: eventId }).first('outcome')) as { outcome: string } | undefined;
    return r !== undefined && r.outcome !== 'failed';
  }

  /**
   * Applies an event once. `outside` runs first, outside any transaction (a platform call with its own, which must be
   * idempotent); `inside` runs in the transaction that marks the event applied. A concurrent second delivery loses
   * the insert and answers `duplicate`. `inside` answering false marks the event ignored (a type the gateway skips).
   */
  async applyOnce(kernel: Kernel, brandId: number, event: { id: string; type: string }, steps: { outside?: () => Promise<void>; inside: (trx: Knex.Transaction) => Promise<boolean | void> }): Promise<WebhookOutcome> {
    const db = kernel.db;
    if (await this.done(db, brandId, event.id)) return { status: 'duplicate', eventId: event.id, type: event.type };
    try {
      if (steps.outside) await steps.outside();
      const status = await db.transaction(async (trx) => {
        const prior = (await trx(this.table).where({ brand_id: brandId, event_id: event.id }).forUpdate().first('id', 'outcome', 'attempts')) as { id: number; outcome: string; attempts: number } | undefined;
        if (prior && prior.outcome !== 'failed') return 'duplicate' as const;
        const applied = (await steps.inside(trx)) !== false;
        const outcome = applied ? 'applied' : 'ignored';
        const now = Date.now();
        if (prior) await trx(this.table).where({ id: prior.id }).update({ outcome, attempts: Number(prior.attempts) + 1, error: null, updated_at: now });
        else await trx(this.table).insert({ brand_id: brandId, event_id: event.id.slice(0, 255), type: event.type.slice(0, 120), outcome, attempts: 1, error: null, received_at: now, updated_at: now });
        return applied ? ('applied' as const) : ('ignored' as const);
      });
      return { status, eventId: event.id, type: event.type };
    } catch (err) {
      if (isUniqueViolation(err)) return { status: 'duplicate', eventId: event.id, type: event.type };
      await this.failed(db, brandId, event, err);
      throw err;
    }
  }

  private async failed(db: Knex, brandId: number, event: { id: string; type: string }, err: unknown): Promise<void> {
    const now = Date.now();
    const error = errorSummary(err);
    const prior = (await db(this.table).where({ brand_id: brandId, event_id: event.id }).first('id', 'outcome', 'attempts')) as { id: number; outcome: string; attempts: number } | undefined;
    if (prior?.outcome === 'failed') await db(this.table).where({ id: prior.id }).update({ attempts: Number(prior.attempts) + 1, error, updated_at: now });
    else if (!prior) await db(this.table).insert({ brand_id: brandId, event_id: event.id.slice(0, 255), type: event.type.slice(0, 120), outcome: 'failed', attempts: 1, error, received_at: now, updated_at: now }).onConflict(['brand_id', 'event_id']).ignore();
  }

  /** The brand's events that failed to apply and have not been applied since, newest first. */
  async failures(db: Knex, brandId: number, limit = 100): Promise<WebhookFailure[]> {
    const rows = (await db(this.table).where({ brand_id: brandId, outcome: 'failed' }).orderBy('updated_at', 'desc').limit(limit)) as { event_id: string; type: string; attempts: number; error: string | null; received_at: number | string; updated_at: number | string }[];
    return rows.map((r) => ({ eventId: r.event_id, type: r.type, attempts: Number(r.attempts), error: r.error, receivedAt: Number(r.received_at), updatedAt: Number(r.updated_at) }));
  }

  /** How many events were applied and how many are failing (the admin's counts). */
  async counts(db: Knex, brandId: number): Promise<{ applied: number; failed: number }> {
    const rows = (await db(this.table).where({ brand_id: brandId }).groupBy('outcome').select('outcome').count({ n: '*' })) as { outcome: string; n: number | string }[];
    const of = (o: string): number => Number(rows.find((r) => r.outcome === o)?.n ?? 0);
    return { applied: of('applied'), failed: of('failed') };
  }
}
