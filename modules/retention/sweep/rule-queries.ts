/**
 * The set-based statements a rule needs: its counts (eligible, held, restricted, the holds that kept subjects), the
 * next batch of candidate ids after a cursor (keyset by subject id), the re-check of a batch inside its transaction,
 * and dry-run samples.
 */
import type { Knex } from 'knex';
import type { DataCategory } from '../../../core/profile/schema';
import type { RuleSelection } from '../events/candidates';
import type { Sample } from './run-report';

type Db = Knex | Knex.Transaction;

/** What a rule would do before it starts. */
export interface RuleCounts { eligible: number; held: number; holdIds: number[]; restricted: number }

const num = (r: unknown): number => Number((r as { n: number | string } | undefined)?.n ?? 0);

function selected(db: Db, sel: RuleSelection): Knex.QueryBuilder {
  return db('subjects as s').whereRaw(sel.base.sql, sel.base.bindings);
}

/** Counts a rule's candidates: free to process, kept by a hold, kept by restriction; and the ids of the holds that kept them. */
export async function countRule(db: Db, sel: RuleSelection, brandId: number, asOf: number, heldCategories: Map<DataCategory, number[]>): Promise<RuleCounts> {
  const eligible = num(await selected(db, sel).whereRaw(sel.free.sql, sel.free.bindings).whereNull('s.restricted_at').count({ n: '*' }).first());
  const held = num(await selected(db, sel).whereRaw(`not (${sel.free.sql})`, sel.free.bindings).count({ n: '*' }).first());
  const restricted = num(await selected(db, sel).whereRaw(sel.free.sql, sel.free.bindings).whereNotNull('s.restricted_at').count({ n: '*' }).first());
  const holdIds: number[] = [];
  if (held) {
    const roots = selected(db, sel).select(db.raw('coalesce(s.parent_id, s.id)'));
    const ids = (await db('retention_holds as h').where({ 'h.brand_id': brandId, 'h.scope': 'subject' }).whereNull('h.released_at')
      .andWhere((w) => w.whereNull('h.expires_at').orWhere('h.expires_at', '>', asOf)).whereIn('h.root_id', roots).orderBy('h.id').limit(50).pluck('h.id')) as (number | string)[];
    holdIds.push(...ids.map(Number));
    if (heldCategories.size) {
      const cats = (await db('subject_fields as f').whereIn('f.category', [...heldCategories.keys()]).whereIn('f.subject_id', selected(db, sel).select('s.id')).distinct('f.category').pluck('f.category')) as DataCategory[];
      for (const c of cats) holdIds.push(...(heldCategories.get(c) ?? []));
    }
  }
  return { eligible, held, holdIds: [...new Set(holdIds)].sort((a, b) => a - b).slice(0, 50), restricted };
}

/** The next `limit` candidate ids after `cursor`, in id order (free of holds and restriction). */
export async function nextBatch(db: Db, sel: RuleSelection, cursor: number, limit: number): Promise<number[]> {
  const ids = (await selected(db, sel).whereRaw(sel.free.sql, sel.free.bindings).whereNull('s.restricted_at').andWhere('s.id', '>', cursor)
    .orderBy('s.id').limit(limit).pluck('s.id')) as (number | string)[];
  return ids.map(Number);
}

/** The ids of a batch that still qualify, read inside the batch's transaction (a hold or a change since the selection wins). */
export async function confirmBatch(trx: Knex.Transaction, sel: RuleSelection, ids: number[]): Promise<number[]> {
  if (!ids.length) return [];
  const ok = (await selected(trx, sel).whereRaw(sel.free.sql, sel.free.bindings).whereNull('s.restricted_at').whereIn('s.id', ids).orderBy('s.id').pluck('s.id')) as (number | string)[];
  return ok.map(Number);
}

/** A few candidates with their event dates, for the dry run (subject ids and dates only). */
export async function samplesOf(db: Db, sel: RuleSelection, n: number): Promise<Sample[]> {
  if (n <= 0) return [];
  const rows = (await selected(db, sel).whereRaw(sel.free.sql, sel.free.bindings).whereNull('s.restricted_at').orderBy('s.id').limit(n)
    .select('s.id', db.raw(`${sel.event.sql} as event_at`, sel.event.bindings))) as { id: number; event_at: number | string | null }[];
  return rows.map((r) => ({ subjectId: Number(r.id), eventAt: r.event_at === null ? null : new Date(Number(r.event_at)).toISOString() }));
}
