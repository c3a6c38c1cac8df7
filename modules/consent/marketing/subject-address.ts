/** Reads a subject's address for a channel from the inventory, through the caller's connection (never beside a transaction). Callers
 * outside a hook make sure the keyring is loaded first (`kernel.keyring.activeKeyId()`), before any transaction opens. */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import { addressFieldOf, type MarketingChannel } from './channels';

/** The subject's decrypted email or phone number, or undefined when the inventory holds none (e.g. after erasure). */
export async function subjectAddress(kernel: Kernel, db: Knex | Knex.Transaction, subjectId: number, channel: MarketingChannel): Promise<string | undefined> {
  const row = (await db('subject_fields').where({ subject_id: subjectId, field: addressFieldOf(channel) }).first('value_enc')) as { value_enc: string } | undefined;
  if (!row) return undefined;
  return kernel.keyring.decryptSync(row.value_enc);
}
