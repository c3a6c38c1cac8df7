/**
 * Retention on the WHMCS side (MS-9 / SP-8, issue 15 point 11): when the sweep expires a data category for some
 * subjects, each WHMCS client among them gets one outbox message (whmcs.expire) doing the same to that category in
 * WHMCS, retried until WHMCS answers:
 * - correspondence: support tickets and their replies anonymised — with `until`, those whose last activity is at or
 *   before it — and the email log erased through the connector addon (with `until`, the rows dated at or before it);
 * - usage: the opt-in history's IP addresses blanked through the addon (with `until`, of the rows dated at or before it);
 * - billing: nothing — invoices are statutory records (TOS-1.4); WHMCS holds no other category the suite knows of.
 * WHMCS holds correspondence and usage for clients the suite holds none of: the module records that as holdings
 * (holder 'whmcs', holdings.ts), which is what makes the sweep select them; once queued, the holding is cleared in the
 * same transaction (one opened after `until` stays), so the next sweep does not queue it again.
 * A contact rule is a whole-subject rule: the sweep anonymises the subject through the erasure, which reaches WHMCS as
 * whmcs.erase-client (write-back.ts), so it never comes here.
 * Only for brands that write back to WHMCS with the transfer in their register.
 */
import type { Brand } from '../../core/brands/brand';
import type { Kernel } from '../../core/kernel';
import type { Knex } from 'knex';
import type { DataCategory } from '../../core/profile/schema';
import { moduleSettings } from '../../core/profile/module-settings';
import { requireTransfer } from '../../core/registers/processing-register';
import { WHMCS_HOLDER } from './holdings';
import { WhmcsSettings, writesBack } from './settings';

export const EXPIRE = 'whmcs.expire';

/** One client's expiry: the category and the rule's `until` (null: everything). */
export interface ExpirePayload { clientid: number; category: DataCategory; until: number | null }

/** Whether a category expires anything in WHMCS. */
function expiresInWhmcs(category: DataCategory): boolean {
  return category === 'correspondence' || category === 'usage';
}

/** The provider's `expire`: queues a whmcs.expire message per WHMCS client among `subjectIds`; answers how many it queued. */
export async function whmcsExpire(category: DataCategory, subjectIds: number[], ctx: { kernel: Kernel; trx: Knex.Transaction; brand: Brand; until?: number }): Promise<number> {
  const { kernel, trx, brand, until } = ctx;
  if (!subjectIds.length || !expiresInWhmcs(category)) return 0;
  const profile = await kernel.brands.profile(brand);
  const settings = moduleSettings(WhmcsSettings, profile, 'whmcs');
  if (!writesBack(settings)) return 0;
  try {
    requireTransfer(profile, settings.recipient, settings.purpose);
  } catch {
    kernel.log.warn({ brand: brand.slug, category }, 'WHMCS retention not sent: the whmcs recipient and purpose are not in the brand\'s register');
    return 0;
  }
  const clients = (await trx('subjects').whereIn('id', subjectIds).where({ brand_id: brand.id, kind: 'client' }).select('id', 'external_id')) as { id: number; external_id: string }[];
  let queued = 0;
  for (const s of clients.filter((c) => /^\d+$/.test(c.external_id))) {
    const clientid = Number(s.external_id);
    const payload: ExpirePayload = { clientid, category, until: until ?? null };
    await kernel.outbox.enqueue(trx, profile, { brandId: brand.id, topic: EXPIRE, recipient: settings.recipient, purpose: settings.purpose, subjectId: s.id, categories: [category], payload: { ...payload } });
    queued += 1;
  }
  await kernel.subjects.clearHoldings(trx, clients.map((c) => c.id), WHMCS_HOLDER, category, until);
  return queued;
}
