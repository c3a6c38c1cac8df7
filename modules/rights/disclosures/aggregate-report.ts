/**
 * Aggregate reports for advertisers and the public (WSM-8, WSM-14): counts of a brand's subjects by non-identifying
 * dimensions — country and language (decrypted from the inventory in batches), status, kind, sign-up month — with every
 * group smaller than the brand's k (profile.aggregates.kAnonymity) suppressed. Erased and restricted subjects are not
 * counted (restricted data is only stored, SP-5.1). Keys of suppressed groups are not published, only their sum.
 */
import { z } from 'zod';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import { suppressCrossTab, suppressSmallGroups } from './suppress-small-groups';

/** Dimensions a report may group by. */
export const AggregateDimension = z.enum(['country', 'language', 'status', 'kind', 'signup-month']);
export type AggregateDimension = z.infer<typeof AggregateDimension>;

/** The query: one or two dimensions, optionally only one kind of subject, and a k that may be raised above the brand's. */
export const AggregateQuery = z.object({
  by: AggregateDimension,
  by2: AggregateDimension.optional(),
  kind: z.enum(['client', 'contact', 'payer']).optional(),
  k: z.coerce.number().int().min(2).max(1000).optional(),
}).strict().refine((q) => q.by !== q.by2, { message: 'validation.rights.groupByTwo', path: ['by2'] });
export type AggregateQuery = z.infer<typeof AggregateQuery>;

/** A published report: figures only, never a group below k. */
export interface AggregateReport {
  by: AggregateDimension[];
  k: number;
  groups: Record<string, string | number>[];
  /** Sum of the suppressed groups (null when none, or withheld). */
  other: { label: string; count: number | null } | null;
  total: number | null;
  suppressed: boolean;
}

const ENCRYPTED: Partial<Record<AggregateDimension, string>> = { country: 'country', language: 'language' };
const BATCH = 1000;

function monthOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Counts subjects per combination of dimension values, reading the brand's subjects in batches. */
export async function countGroups(kernel: Kernel, brand: Brand, dims: AggregateDimension[], kind?: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const fields = dims.map((d) => ENCRYPTED[d]).filter((f): f is string => Boolean(f));
  let after = 0;
  for (;;) {
    let q = kernel.db('subjects').where({ brand_id: brand.id }).andWhere('id', '>', after).whereNotIn('status', ['erased', 'restricted']).whereNull('restricted_at');
    if (kind) q = q.where({ kind });
    const rows = (await q.orderBy('id').limit(BATCH).select('id', 'kind', 'status', 'created_at')) as { id: number; kind: string; status: string; created_at: number }[];
    if (!rows.length) return counts;
    after = Number(rows[rows.length - 1].id);
    const values = new Map<string, string>();
    if (fields.length) {
      const enc = (await kernel.db('subject_fields').whereIn('subject_id', rows.map((r) => r.id)).whereIn('field', fields).select('subject_id', 'field', 'value_enc')) as { subject_id: number; field: string; value_enc: string }[];
      for (const e of enc) values.set(`${Number(e.subject_id)}:${e.field}`, (await kernel.keyring.decrypt(e.value_enc)).trim());
    }
    for (const r of rows) {
      const key = dims.map((d) => {
        if (d === 'kind') return r.kind;
        if (d === 'status') return r.status;
        if (d === 'signup-month') return monthOf(Number(r.created_at));
        const v = values.get(`${Number(r.id)}:${ENCRYPTED[d]}`);
        return v ? (d === 'country' ? v.toUpperCase() : v.toLowerCase()) : 'unknown';
      });
      const k = JSON.stringify(key);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
}

/** Builds a k-anonymous report: k is the brand's threshold, or the query's if higher (never lower). */
export async function aggregateReport(kernel: Kernel, brand: Brand, query: AggregateQuery, otherLabel: string): Promise<AggregateReport> {
  const profile = await kernel.brands.profile(brand);
  const k = Math.max(profile.aggregates.kAnonymity, query.k ?? 0);
  const dims = query.by2 ? [query.by, query.by2] : [query.by];
  const counts = await countGroups(kernel, brand, dims, query.kind);
  const entries = [...counts].map(([key, count]) => ({ key: JSON.parse(key) as string[], count }));
  const table = query.by2
    ? suppressCrossTab(entries.map((e) => ({ row: e.key[0], col: e.key[1], count: e.count })), k)
    : suppressSmallGroups(entries.map((e) => ({ key: e.key[0], count: e.count })), k);
  const groups: Record<string, string | number>[] = [];
  for (const g of table.groups) {
    if (g.count === null) continue;
    const key = g.key as string | { row: string; col: string };
    const values = typeof key === 'string' ? [key] : [key.row, key.col];
    groups.push({ ...Object.fromEntries(dims.map((d, i) => [d, values[i]])), count: g.count });
  }
  groups.sort((a, b) => Number(b.count) - Number(a.count) || JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const suppressed = table.groups.some((g) => g.count === null);
  return { by: dims, k, groups, other: suppressed ? { label: otherLabel, count: table.other } : null, total: table.total, suppressed };
}
