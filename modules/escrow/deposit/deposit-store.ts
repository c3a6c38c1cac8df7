/** The escrow_deposits rows: the last deposit of a brand (the incremental's base), the day's next revision, state changes. */
import type { Knex } from 'knex';
import type { DepositFile } from './part-series';
import type { DepositKind } from './file-names';

/** A deposit as the module reads it. */
export interface DepositRow {
  id: number; brandId: number; kind: DepositKind; format: string; date: string; revision: number; watermark: number; since: number | null;
  files: DepositFile[]; domains: number; handles: number; state: 'building' | 'queued' | 'delivered' | 'failed'; stagingDir: string;
  outboxId: number | null; createdAt: number; deliveredAt: number | null;
}

function toRow(r: Record<string, unknown>): DepositRow {
  return {
    id: Number(r.id), brandId: Number(r.brand_id), kind: r.kind as DepositKind, format: String(r.format), date: String(r.deposit_date), revision: Number(r.revision),
    watermark: Number(r.watermark), since: r.since === null ? null : Number(r.since), files: JSON.parse(String(r.files)) as DepositFile[],
    domains: Number(r.domains), handles: Number(r.handles), state: r.state as DepositRow['state'], stagingDir: String(r.staging_dir),
    outboxId: r.outbox_id === null ? null : Number(r.outbox_id), createdAt: Number(r.created_at), deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
  };
}

/** One deposit by id. */
export async function getDeposit(db: Knex | Knex.Transaction, id: number): Promise<DepositRow | undefined> {
  const r = (await db('escrow_deposits').where({ id }).first()) as Record<string, unknown> | undefined;
  return r ? toRow(r) : undefined;
}

/** The brand's latest deposit that was built (queued or delivered): the base of the next incremental. */
export async function lastBuilt(db: Knex, brandId: number): Promise<DepositRow | undefined> {
  const r = (await db('escrow_deposits').where({ brand_id: brandId }).whereIn('state', ['queued', 'delivered']).orderBy('id', 'desc').first()) as Record<string, unknown> | undefined;
  return r ? toRow(r) : undefined;
}

/**
 * Starts a deposit row (state building) with the day's next revision for its kind and IANA id: two brands of one
 * registrar deposit under the same id, so their files must not share a name at the agent.
 */
export async function startDeposit(db: Knex, d: { brandId: number; ianaId: number; kind: DepositKind; format: string; date: string; watermark: number; since: number | null; stagingRoot: string }): Promise<DepositRow> {
  return db.transaction(async (trx) => {
    const n = (await trx('escrow_deposits').where({ iana_id: d.ianaId, deposit_date: d.date, kind: d.kind }).count({ n: '*' }).first()) as { n: number | string };
    const [id] = await trx('escrow_deposits').insert({
      brand_id: d.brandId, iana_id: d.ianaId, kind: d.kind, format: d.format, deposit_date: d.date, revision: Number(n.n), watermark: d.watermark, since: d.since,
      files: '[]', domains: 0, handles: 0, state: 'building', staging_dir: d.stagingRoot, created_at: Date.now(),
    });
    return (await getDeposit(trx, Number(id)))!;
  });
}

/** Marks a deposit failed with a short reason (never data). */
export async function failDeposit(db: Knex, id: number, error: string): Promise<void> {
  await db('escrow_deposits').where({ id }).update({ state: 'failed', error: error.slice(0, 500) });
}
