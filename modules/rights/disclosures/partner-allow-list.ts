/**
 * The allow-list of a partner export (WSM-13): the brand's partner categories ∩ the recipient's registered categories ∩
 * the requested ones — and never billing data or payment tokens, whatever the profile or the request says.
 */
import type { DataCategory } from '../../../core/profile/schema';
import { FIELD_CATEGORIES } from '../../../core/subjects/field-catalogue';

/** Categories that can never go to a co-marketing partner. */
export const NEVER_TO_PARTNERS: readonly DataCategory[] = ['billing', 'payment-token'];

/** Inventory field names of those categories (tax_id, billing_address …): refused by name too, whatever a row is tagged. */
export const NEVER_TO_PARTNERS_FIELDS: ReadonlySet<string> = new Set(Object.entries(FIELD_CATEGORIES).filter(([, c]) => NEVER_TO_PARTNERS.includes(c)).map(([f]) => f));

/** The categories that pass, and those the configuration named but the rule dropped. */
export interface AllowList { categories: DataCategory[]; dropped: DataCategory[] }

/** Intersects the three lists (an absent request means "everything allowed") and removes the forbidden categories. */
export function partnerAllowList(settings: readonly DataCategory[], recipient: readonly DataCategory[], requested?: readonly DataCategory[]): AllowList {
  const dropped = [...new Set([...settings, ...recipient].filter((c) => NEVER_TO_PARTNERS.includes(c)))].sort();
  const categories = [...new Set(settings)]
    .filter((c) => !NEVER_TO_PARTNERS.includes(c) && recipient.includes(c) && (!requested || requested.includes(c)))
    .sort();
  return { categories, dropped };
}

/** Whether one stored field may go to a partner under an allow-list (its category allowed, its name not a billing field). */
export function fieldPasses(name: string, category: DataCategory, allowed: readonly DataCategory[]): boolean {
  return allowed.includes(category) && !NEVER_TO_PARTNERS.includes(category) && !NEVER_TO_PARTNERS_FIELDS.has(name);
}
