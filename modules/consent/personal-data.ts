/**
 * The consent module's personal-data provider. Export: consent state, every ledger receipt (with IP and user agent),
 * suppression per channel, open withdrawals, pending tokens. Erase: ledger entries stay as proof but lose IP and user
 * agent (outside the hash, so the chain still verifies); subject_id stays in the ledger because it is one of the
 * chain's hashed columns, and is cleared from the derived state; tokens are deleted; the suppression list is kept
 * and the subject's addresses are added to it (MS-7.1).
 */
import type { Knex } from 'knex';
import type { Kernel } from '../../core/kernel';
import type { PersonalDataProvider } from '../../core/modules/define-module';
import { eraseOne } from '../../core/modules/erase-one';
import { consentEraseMany } from './erase-many';
import { toReceipt } from './ledger/consent-ledger';
import { MarketingChannel } from './marketing/channels';
import { isSuppressed } from './marketing/suppression';
import { subjectAddress } from './marketing/subject-address';

type LedgerRow = Parameters<typeof toReceipt>[0] & { ip_enc: string | null; ua_enc: string | null };

async function suppressionOf(kernel: Kernel, db: Knex | Knex.Transaction, brandId: number, subjectId: number): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const channel of MarketingChannel.options) {
    const address = await subjectAddress(kernel, db, subjectId, channel);
    out[channel] = address === undefined ? 'unknown (no address on file)' : (await isSuppressed(kernel, db, brandId, channel, address)) ? 'suppressed: yes' : 'suppressed: no';
  }
  return out;
}

/** Export and erase (see the file comment for what is kept and why); one erasure for one subject and many (erase-many.ts). */
export const consentPersonalData: PersonalDataProvider = {
  async export(subjectId, { kernel, trx }) {
    if (!trx) await kernel.keyring.activeKeyId(); // keys loaded before reads that decrypt synchronously
    const db = trx ?? kernel.db;
    const subject = await kernel.subjects.get(subjectId, db);
    const decrypt = (c: string | null): string | null => (c === null ? null : kernel.keyring.decryptSync(c));
    const rows = (await db('consent_ledger').where({ subject_id: subjectId }).orderBy('seq')) as LedgerRow[];
    const state = (await db('consent_state').where({ subject_id: subjectId }).orderBy('purpose')) as { purpose: string; action: string; method: string; receipt_id: string; document_version: string | null; updated_at: number }[];
    const withdrawals = (await db('consent_withdrawals').where({ subject_id: subjectId }).whereNull('resolved_at').orderBy('id')) as { receipt_id: string; status: string; created_at: number }[];
    const tokens = (await db('consent_tokens').where({ subject_id: subjectId })) as { purpose: string; expires_at: number; used_at: number | null }[];
    return {
      state: state.map((s) => ({ purpose: s.purpose, action: s.action, method: s.method, receiptId: s.receipt_id, documentVersion: s.document_version, at: Number(s.updated_at) })),
      receipts: rows.map((r) => ({ ...toReceipt(r), ip: decrypt(r.ip_enc), userAgent: decrypt(r.ua_enc) })),
      suppression: await suppressionOf(kernel, db, subject.brandId, subjectId),
      openWithdrawals: withdrawals.map((w) => ({ receiptId: w.receipt_id, status: w.status, at: Number(w.created_at) })),
      pendingTokens: tokens.map((t) => ({ purpose: t.purpose, expiresAt: Number(t.expires_at), used: t.used_at !== null })),
    };
  },

  erase: eraseOne(consentEraseMany),
  eraseMany: consentEraseMany,
  /** Retention (MS-9): usage data — the IP address and user agent of ledger entries (at or before `until` if given); the entries stay as proof. */
  async expire(category, subjectIds, { trx, until }) {
    if (category !== 'usage' || !subjectIds.length) return 0;
    let q = trx('consent_ledger').whereIn('subject_id', subjectIds).andWhere((w) => w.whereNotNull('ip_enc').orWhereNotNull('ua_enc'));
    if (until !== undefined) q = q.andWhere('created_at', '<=', until);
    return q.update({ ip_enc: null, ua_enc: null });
  },
};
