/**
 * Legal holds (MS-9 / WSM-27): a dispute, a fraud case or an authority's request keeps a subject (its whole account),
 * a whole brand or one data category of a brand out of every retention rule until the hold is released or expires.
 * The note is free text, stored encrypted; it is meant for a case number, not personal data.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError, fieldIssue, validationError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { DataCategory } from '../../../core/profile/schema';

export const HoldScope = z.enum(['subject', 'brand', 'category']);
export type HoldScope = z.infer<typeof HoldScope>;
export const HoldReason = z.enum(['dispute', 'fraud', 'authority-request', 'other']);

/** The latest expiry a hold may have: the last millisecond of year 9999 (the last an ISO 8601 date can write). */
export const HOLD_EXPIRY_MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Epoch ms of an expiry as given (epoch ms, or an ISO 8601 date-time whose calendar date exists: not 2026-02-31),
 * or undefined when it is no real date up to HOLD_EXPIRY_MAX. `Date.parse` rolls 02-31 over into March, and a bigger
 * number would not fit the column or could not be shown as a date.
 */
export function expiryMs(v: number | string): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v > 0 && v <= HOLD_EXPIRY_MAX ? v : undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})T/.exec(v);
  const ms = Date.parse(v);
  if (!m || !Number.isFinite(ms) || ms > HOLD_EXPIRY_MAX) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(0);
  day.setUTCFullYear(y, mo - 1, d);
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d ? ms : undefined;
}

/** The body of POST …/holds. */
export const HoldInput = z.object({
  scope: HoldScope,
  subjectId: z.number().int().positive().optional(),
  category: DataCategory.optional(),
  reason: HoldReason,
  note: z.string().trim().max(500).optional(),
  /** When the hold ends by itself: epoch ms or an ISO 8601 date-time; none: until released. */
  expiresAt: z.union([z.number().int().positive(), z.string().datetime({ offset: true })])
    .pipe(z.custom<number | string>((v) => expiryMs(v as number | string) !== undefined, { message: 'validation.retention.holdExpiryInvalid', params: { max: new Date(HOLD_EXPIRY_MAX).toISOString() } }))
    .nullable().optional(),
}).strict().superRefine((h, ctx) => {
  if (h.scope === 'subject' && h.subjectId === undefined) ctx.addIssue({ code: 'custom', path: ['subjectId'], message: 'validation.retention.holdSubjectRequired' });
  if (h.scope !== 'subject' && h.subjectId !== undefined) ctx.addIssue({ code: 'custom', path: ['subjectId'], message: 'validation.retention.holdSubjectOnly' });
  if (h.scope === 'category' && h.category === undefined) ctx.addIssue({ code: 'custom', path: ['category'], message: 'validation.retention.holdCategoryRequired' });
  if (h.scope !== 'category' && h.category !== undefined) ctx.addIssue({ code: 'custom', path: ['category'], message: 'validation.retention.holdCategoryOnly' });
});
export type HoldInput = z.infer<typeof HoldInput>;

/** A hold as the admin sees it. */
export interface Hold {
  id: number; brandId: number; scope: HoldScope; subjectId: number | null; category: DataCategory | null; reason: string; note: string | null;
  expiresAt: number | null; createdBy: string; createdAt: number; releasedAt: number | null; releasedBy: string | null; active: boolean;
}

interface HoldRow { id: number; brand_id: number; scope: HoldScope; subject_id: number | null; category: DataCategory | null; reason: string; note_enc: string | null; expires_at: number | null; created_by: string; created_at: number; released_at: number | null; released_by: string | null }

const n = (v: number | null): number | null => (v === null ? null : Number(v));
const actorString = (a: Actor): string => `${a.type}:${a.id}`.slice(0, 80);

/** Whether a hold applies at `at`: not released, and not past its expiry. */
export const holdActive = (r: { released_at: number | null; expires_at: number | null }, at: number): boolean => r.released_at === null && (r.expires_at === null || Number(r.expires_at) > at);

/**
 * A stored expiry as shown: one stored before expiries were checked may lie past year 9999 (even past what a date can
 * show); it reads as HOLD_EXPIRY_MAX, which is the same in effect (the hold is in force until released).
 */
const storedExpiry = (v: number | null): number | null => (v === null ? null : Math.min(Number(v), HOLD_EXPIRY_MAX));

function toHold(kernel: Kernel, r: HoldRow, at: number): Hold {
  return {
    id: Number(r.id), brandId: Number(r.brand_id), scope: r.scope, subjectId: n(r.subject_id), category: r.category, reason: r.reason,
    note: r.note_enc ? kernel.keyring.decryptSync(r.note_enc) : null, expiresAt: storedExpiry(r.expires_at), createdBy: r.created_by, createdAt: Number(r.created_at),
    releasedAt: n(r.released_at), releasedBy: r.released_by, active: holdActive(r, at),
  };
}

/** Places a hold (audited in the same transaction); a subject hold must name a subject of the brand. */
export async function createHold(kernel: Kernel, brand: Brand, input: HoldInput, actor: Actor, ip?: string): Promise<Hold> {
  const now = Date.now();
  const expiresAt = input.expiresAt === undefined || input.expiresAt === null ? null : expiryMs(input.expiresAt);
  if (expiresAt === undefined) throw validationError([fieldIssue('expiresAt', 'validation.retention.holdExpiryInvalid', { max: new Date(HOLD_EXPIRY_MAX).toISOString() })]);
  if (expiresAt !== null && expiresAt <= now) throw validationError([fieldIssue('expiresAt', 'validation.retention.expiryInPast')]);
  let rootId: number | null = null;
  if (input.scope === 'subject') {
    const s = (await kernel.db('subjects').where({ id: input.subjectId, brand_id: brand.id }).first('id', 'parent_id')) as { id: number; parent_id: number | null } | undefined;
    if (!s) throw validationError([fieldIssue('subjectId', 'validation.subject.notOfBrand', { subject: String(input.subjectId), brand: brand.slug })]);
    rootId = s.parent_id === null ? Number(s.id) : Number(s.parent_id);
  }
  await kernel.keyring.activeKeyId();
  const id = await kernel.db.transaction(async (trx) => {
    const [hid] = await trx('retention_holds').insert({
      brand_id: brand.id, scope: input.scope, subject_id: input.subjectId ?? null, root_id: rootId, category: input.category ?? null, reason: input.reason,
      note_enc: input.note ? kernel.keyring.encryptSync(input.note) : null, expires_at: expiresAt, created_by: actorString(actor), created_at: now, released_at: null, released_by: null,
    });
    await kernel.audit.record({ brandId: brand.id, actor, action: 'retention.hold.created', targetType: 'retention_hold', targetId: Number(hid), details: { scope: input.scope, subjectId: input.subjectId ?? null, category: input.category ?? null, reason: input.reason, expiresAt }, ip }, trx);
    return Number(hid);
  });
  return getHold(kernel, brand, id);
}

/** One hold of the brand. */
export async function getHold(kernel: Kernel, brand: Brand, id: number): Promise<Hold> {
  const r = (await kernel.db('retention_holds').where({ id, brand_id: brand.id }).first()) as HoldRow | undefined;
  if (!r) throw new SuiteError('SUITE_RETENTION_HOLD_UNKNOWN', { id });
  await kernel.keyring.activeKeyId();
  return toHold(kernel, r, Date.now());
}

/** The brand's holds, newest first (only those in force with `active`). */
export async function listHolds(kernel: Kernel, brand: Brand, opts: { active?: boolean; at?: number } = {}): Promise<Hold[]> {
  const at = opts.at ?? Date.now();
  await kernel.keyring.activeKeyId();
  const rows = (await kernel.db('retention_holds').where({ brand_id: brand.id }).orderBy('id', 'desc').limit(1000)) as HoldRow[];
  return rows.map((r) => toHold(kernel, r, at)).filter((h) => !opts.active || h.active);
}

/** Releases a hold (audited); a released hold cannot be released again. */
export async function releaseHold(kernel: Kernel, brand: Brand, id: number, actor: Actor, ip?: string): Promise<Hold> {
  await getHold(kernel, brand, id);
  await kernel.db.transaction(async (trx) => {
    const changed = await trx('retention_holds').where({ id, brand_id: brand.id }).whereNull('released_at').update({ released_at: Date.now(), released_by: actorString(actor) });
    if (!changed) throw new SuiteError('SUITE_RETENTION_HOLD_RELEASED', { id });
    await kernel.audit.record({ brandId: brand.id, actor, action: 'retention.hold.released', targetType: 'retention_hold', targetId: id, ip }, trx);
  });
  return getHold(kernel, brand, id);
}

/** Brand-wide and category holds in force at `at` (subject holds are matched in SQL, per batch). */
export interface WideHolds { brand: number[]; categories: Map<DataCategory, number[]> }

/** The brand's wide holds in force at `at`, read with `db` (a batch's transaction, so a hold placed mid-run counts). */
export async function wideHolds(db: Knex | Knex.Transaction, brandId: number, at: number): Promise<WideHolds> {
  const rows = (await db('retention_holds').where({ brand_id: brandId }).whereIn('scope', ['brand', 'category']).whereNull('released_at')
    .andWhere((w) => w.whereNull('expires_at').orWhere('expires_at', '>', at)).orderBy('id').select('id', 'scope', 'category')) as { id: number; scope: HoldScope; category: DataCategory | null }[];
  const out: WideHolds = { brand: [], categories: new Map() };
  for (const r of rows) {
    if (r.scope === 'brand') out.brand.push(Number(r.id));
    else if (r.category) out.categories.set(r.category, [...(out.categories.get(r.category) ?? []), Number(r.id)]);
  }
  return out;
}
