/**
 * The consent module's erasure, of one subject or many of one brand at once (`erase(id)` is `eraseMany([id])`; the batch
 * erasure the retention sweep uses passes many): addresses onto the suppression list, IP and user agent out of the
 * ledger, the derived state unlinked, tokens deleted — in one or two statements per table for the whole batch.
 */
import type { Knex } from 'knex';
import { insertMany } from '../../core/db/insert-many';
import type { Kernel } from '../../core/kernel';
import type { EraseOutcome, ErasureBatchKnown } from '../../core/modules/define-module';
import type { EraseMany } from '../../core/modules/erase-one';
import { addressFieldOf, MarketingChannel } from './marketing/channels';
import { suppressionKey } from './marketing/suppression';

/** What the consent module keeps of an erased subject, and why (the sentences of the erasure answer). */
export function consentKept(ledger: number, suppressed: number, withdrawals: number): string[] {
  const kept = [
    `consent ledger (${ledger} entries) kept as proof of consent: IP address and user agent erased; subject id, keyed subject hash and keyed IP/user-agent hashes remain because they are inside the tamper-evident hash chain`,
    `suppression list kept as keyed hashes (${suppressed} address(es) added) so the person is never sent marketing again (MS-7.1)`,
  ];
  if (withdrawals) kept.push(`withdrawal records (${withdrawals}) kept: they point at ledger receipts and hold no personal field`);
  return kept;
}

/** Rows of `table` per subject among `ids`, one grouped query. */
async function perSubject(trx: Knex.Transaction, table: string, ids: number[]): Promise<Map<number, number>> {
  const rows = (await trx(table).whereIn('subject_id', ids).groupBy('subject_id').select('subject_id').count({ n: '*' })) as { subject_id: number | string; n: number | string }[];
  return new Map(rows.map((r) => [Number(r.subject_id), Number(r.n)]));
}

/** The subjects' marketing addresses (subject:field → value): from what the batch already read, else one select. */
async function addressesOf(kernel: Kernel, trx: Knex.Transaction, subjectIds: number[], known: ErasureBatchKnown | undefined): Promise<Map<string, string>> {
  const fields = [...new Set(MarketingChannel.options.map(addressFieldOf))];
  const address = new Map<string, string>();
  if (known) {
    for (const id of subjectIds) {
      const mine = known.fields.get(id) ?? {};
      for (const f of fields) if (mine[f] !== undefined) address.set(`${id}:${f}`, mine[f]);
    }
    return address;
  }
  const rows = (await trx('subject_fields').whereIn('subject_id', subjectIds).whereIn('field', fields).select('subject_id', 'field', 'value_enc')) as { subject_id: number; field: string; value_enc: string }[];
  for (const r of rows) address.set(`${Number(r.subject_id)}:${r.field}`, kernel.keyring.decryptSync(r.value_enc));
  return address;
}

/** `eraseMany` (and so `erase`) for the consent tables. */
export const consentEraseMany: EraseMany = async (subjectIds, { kernel, trx, brand, known }) => {
  const address = await addressesOf(kernel, trx, subjectIds, known);
  const suppressed = new Map<number, number>();
  const entries = new Map<string, Record<string, unknown>>();
  const at = Date.now();
  for (const id of subjectIds) {
    let n = 0;
    for (const channel of MarketingChannel.options) {
      const a = address.get(`${id}:${addressFieldOf(channel)}`);
      if (a === undefined) continue;
      const hash = suppressionKey(kernel, channel, a);
      if (!entries.has(`${hash}:${channel}`)) entries.set(`${hash}:${channel}`, { brand_id: brand.id, address_hash: hash, channel, reason: 'erasure', created_at: at });
      n++;
    }
    suppressed.set(id, n);
  }
  const list = [...entries.values()];
  await insertMany(trx, 'consent_suppression', list, ['brand_id', 'address_hash', 'channel']);

  const ledger = await perSubject(trx, 'consent_ledger', subjectIds);
  if (ledger.size) await trx('consent_ledger').whereIn('subject_id', subjectIds).update({ ip_enc: null, ua_enc: null });
  const state = await perSubject(trx, 'consent_state', subjectIds);
  if (state.size) await trx('consent_state').whereIn('subject_id', subjectIds).update({ subject_id: null });
  const tokens = await perSubject(trx, 'consent_tokens', subjectIds);
  if (tokens.size) await trx('consent_tokens').whereIn('subject_id', subjectIds).delete();
  const withdrawals = await perSubject(trx, 'consent_withdrawals', subjectIds);

  const out = new Map<number, EraseOutcome>();
  for (const id of subjectIds) {
    const l = ledger.get(id) ?? 0;
    out.set(id, { erased: l + (state.get(id) ?? 0) + (tokens.get(id) ?? 0), kept: consentKept(l, suppressed.get(id) ?? 0, withdrawals.get(id) ?? 0) });
  }
  return out;
};
