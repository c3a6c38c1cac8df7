/**
 * Message classes (MS-7.2): every email template is transactional or marketing. The class comes from the suite's
 * table (brand's own row, then its provider's, then a global row, then WHMCS's standard defaults) — never from the
 * message being sent — and an unknown template is marketing (fail safe).
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Brand } from '../../../core/brands/brand';
import { DEFAULT_TRANSACTIONAL } from './default-classes';

/** The two message classes. */
export const MessageClass = z.enum(['transactional', 'marketing']);
export type MessageClass = z.infer<typeof MessageClass>;

/** Where a template's class came from. */
export type ClassSource = 'brand' | 'provider' | 'global' | 'default' | 'unknown';

/** A template's class for a brand, and where it came from. */
export async function classOf(db: Knex | Knex.Transaction, brand: Brand, messagename: string): Promise<{ class: MessageClass; source: ClassSource }> {
  const ids = brand.parentId ? [brand.id, brand.parentId] : [brand.id];
  const rows = (await db('consent_templates').where({ messagename }).andWhere((q) => q.whereIn('brand_id', ids).orWhereNull('brand_id'))) as { brand_id: number | null; class: MessageClass }[];
  const own = rows.find((r) => r.brand_id !== null && Number(r.brand_id) === brand.id);
  if (own) return { class: own.class, source: 'brand' };
  const provider = rows.find((r) => r.brand_id !== null && Number(r.brand_id) === brand.parentId);
  if (provider) return { class: provider.class, source: 'provider' };
  const global = rows.find((r) => r.brand_id === null);
  if (global) return { class: global.class, source: 'global' };
  if (DEFAULT_TRANSACTIONAL.has(messagename)) return { class: 'transactional', source: 'default' };
  return { class: 'marketing', source: 'unknown' };
}

/** Sets a template's class for a brand (or globally with `brandId` null). */
export async function setClass(trx: Knex.Transaction, brandId: number | null, messagename: string, cls: MessageClass): Promise<void> {
  const existing = await trx('consent_templates').where({ messagename }).andWhere((q) => (brandId === null ? q.whereNull('brand_id') : q.where({ brand_id: brandId }))).first('id');
  if (existing) await trx('consent_templates').where({ id: (existing as { id: number }).id }).update({ class: cls });
  else await trx('consent_templates').insert({ brand_id: brandId, messagename, class: cls });
}

/** The classes a brand sees: its rows, its provider's, global rows, and the defaults. */
export async function listClasses(db: Knex, brand: Brand): Promise<{ messagename: string; class: MessageClass; source: ClassSource }[]> {
  const ids = brand.parentId ? [brand.id, brand.parentId] : [brand.id];
  const rows = (await db('consent_templates').whereIn('brand_id', ids).orWhereNull('brand_id')) as { brand_id: number | null; messagename: string; class: MessageClass }[];
  const out = new Map<string, { messagename: string; class: MessageClass; source: ClassSource }>();
  for (const name of DEFAULT_TRANSACTIONAL) out.set(name, { messagename: name, class: 'transactional', source: 'default' });
  const rank = (r: { brand_id: number | null }) => (r.brand_id === null ? 1 : Number(r.brand_id) === brand.id ? 3 : 2);
  for (const r of [...rows].sort((a, b) => rank(a) - rank(b))) {
    out.set(r.messagename, { messagename: r.messagename, class: r.class, source: r.brand_id === null ? 'global' : Number(r.brand_id) === brand.id ? 'brand' : 'provider' });
  }
  return [...out.values()].sort((a, b) => a.messagename.localeCompare(b.messagename));
}
