/**
 * The suppression list (MS-7.1): addresses that must never receive marketing again, keyed by a keyed hash of the
 * address per brand and channel. It holds no subject id, so it survives the subject's erasure.
 */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import { normaliseAddress, type MarketingChannel } from './channels';

/** Why an address was suppressed. */
export type SuppressionReason = 'unsubscribe' | 'withdrawn' | 'erasure' | 'complaint' | 'admin';

/** The keyed hash an address is filed under. */
export function suppressionKey(kernel: Kernel, channel: MarketingChannel, address: string): string {
  return kernel.keyring.blindIndex(normaliseAddress(channel, address), channel === 'email' ? 'email' : 'phone');
}

/** Adds an address to the brand's suppression list (idempotent). */
export async function suppress(kernel: Kernel, trx: Knex.Transaction, brandId: number, channel: MarketingChannel, address: string, reason: SuppressionReason): Promise<void> {
  await trx('consent_suppression')
    .insert({ brand_id: brandId, address_hash: suppressionKey(kernel, channel, address), channel, reason, created_at: Date.now() })
    .onConflict(['brand_id', 'address_hash', 'channel']).ignore();
}

/** Whether an address is on the brand's suppression list for a channel. */
export async function isSuppressed(kernel: Kernel, db: Knex | Knex.Transaction, brandId: number, channel: MarketingChannel, address: string): Promise<boolean> {
  const row = await db('consent_suppression').where({ brand_id: brandId, address_hash: suppressionKey(kernel, channel, address), channel }).first('brand_id');
  return Boolean(row);
}
