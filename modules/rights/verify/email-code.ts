/**
 * Emailed one-time codes (MS-8d, method 'email-code'). The code itself is never stored: the outbox deliverer derives
 * it from the verification row with a keyed MAC (so a retried delivery sends the same code), and the table holds only
 * a keyed hash of it. A code expires `codeTtlMinutes` after it was sent and dies after `maxAttempts` tries; every try
 * is counted by one conditional UPDATE, so concurrent guesses cannot exceed the limit.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';

/** Digits in a code: 10⁸ possibilities against at most `maxAttempts` (≤ 10) tries. */
export const CODE_DIGITS = 8;

/** A row of rights_verifications. */
export interface VerificationRow { id: number; request_id: number; code_hash: string; attempts: number; expires_at: number; used_at: number | null; created_at: number }

/** The code of a verification, derived from its row with a keyed MAC (`rights-code`). */
export function deriveCode(kernel: Kernel, v: Pick<VerificationRow, 'id' | 'request_id' | 'created_at'>): string {
  const mac = Buffer.from(kernel.keyring.sign(`${Number(v.id)}:${Number(v.request_id)}:${Number(v.created_at)}`, 'rights-code'), 'base64url');
  const n = BigInt(`0x${mac.toString('hex')}`) % 10n ** BigInt(CODE_DIGITS);
  return n.toString().padStart(CODE_DIGITS, '0');
}

/** The keyed hash a code is stored and compared as (bound to its request). */
export function codeHash(kernel: Kernel, requestId: number, code: string): string {
  return kernel.keyring.sign(`${requestId}:${code}`, 'rights-code-hash');
}

/** Creates the verification of a request in `trx` and returns its id (the code hash is set from the derived code). */
export async function createVerification(kernel: Kernel, trx: Knex.Transaction, requestId: number, ttlMinutes: number, now = Date.now()): Promise<number> {
  const [id] = await trx('rights_verifications').insert({ request_id: requestId, code_hash: '-', attempts: 0, expires_at: now + ttlMinutes * 60_000, created_at: now });
  const row = { id: Number(id), request_id: requestId, created_at: now };
  await trx('rights_verifications').where({ id: row.id }).update({ code_hash: codeHash(kernel, requestId, deriveCode(kernel, row)) });
  return row.id;
}

/** The latest verification of a request, if any. */
export async function latestVerification(db: Knex | Knex.Transaction, requestId: number): Promise<VerificationRow | undefined> {
  return (await db('rights_verifications').where({ request_id: requestId }).orderBy('id', 'desc').first()) as VerificationRow | undefined;
}

/**
 * Counts one try and checks the code: true only when the code is right, not expired, not used, and the try was within
 * the limit. The try is counted before the comparison, atomically, so the limit holds under concurrent guesses.
 */
export async function tryCode(kernel: Kernel, v: VerificationRow, code: string, maxAttempts: number, now = Date.now()): Promise<boolean> {
  const counted = await kernel.db('rights_verifications').where({ id: v.id }).whereNull('used_at').where('attempts', '<', maxAttempts).where('expires_at', '>', now)
    .update({ attempts: kernel.db.raw('attempts + 1') });
  if (!counted) return false;
  const given = Buffer.from(codeHash(kernel, Number(v.request_id), code));
  const stored = Buffer.from(v.code_hash);
  return given.length === stored.length && crypto.timingSafeEqual(given, stored);
}

/** Marks a verification used in `trx`; false when another try used it first. */
export async function useVerification(trx: Knex.Transaction, id: number, now = Date.now()): Promise<boolean> {
  return (await trx('rights_verifications').where({ id }).whereNull('used_at').update({ used_at: now })) === 1;
}
