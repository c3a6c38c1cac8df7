/**
 * The privacy center's log-in by emailed code. Asking for a code always writes one row, whether or not the address
 * belongs to someone (subject_id null then), and answers the same; only a known person is sent a code. The browser
 * holds a random ticket (cookie); the table holds its SHA-256 and a keyed hash of the code, which is derived from the
 * row with a keyed MAC (so a retried delivery sends the same code) and never stored. A code dies after 15 minutes or
 * five tries, counted by one conditional UPDATE so concurrent guesses cannot exceed the limit; a right code opens a
 * session in the same transaction that spends it.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { insertSession, newSessionToken } from './center-sessions';

/** How long a code is valid, how many tries it takes, and its digits. */
export const CODE_TTL_MS = 15 * 60_000;
export const CODE_MAX_ATTEMPTS = 5;
export const CODE_DIGITS = 8;
/** The outbox topic of the code email. */
export const CENTER_CODE_TOPIC = 'consent.center-code';

interface CodeRow { id: number; ticket_hash: string; brand_id: number; subject_id: number | null; code_hash: string; attempts: number; expires_at: number | string; used_at: number | string | null; created_at: number | string }

const sha256 = (s: string): string => crypto.createHash('sha256').update(s).digest('hex');

/** The code of a row, derived with the keyring (`privacy-center-code`). */
export function deriveCenterCode(kernel: Kernel, row: Pick<CodeRow, 'id' | 'ticket_hash' | 'created_at'>): string {
  const mac = Buffer.from(kernel.keyring.sign(`${Number(row.id)}:${row.ticket_hash}:${Number(row.created_at)}`, 'privacy-center-code'), 'base64url');
  return (BigInt(`0x${mac.toString('hex')}`) % 10n ** BigInt(CODE_DIGITS)).toString().padStart(CODE_DIGITS, '0');
}

const codeHash = (kernel: Kernel, id: number, code: string): string => kernel.keyring.sign(`${id}:${code}`, 'privacy-center-code-hash');

/** The live subject of the brand with this address (blind index), preferring a client; none for anyone else. */
async function subjectByEmail(kernel: Kernel, brand: Brand, email: string): Promise<number | null> {
  const live = (await kernel.subjects.findByEmail([brand.id], email)).filter((s) => s.status !== 'erased');
  return (live.find((s) => s.kind === 'client') ?? live.find((s) => s.kind === 'payer') ?? live[0])?.id ?? null;
}

/** Writes the code row and, for a known person, queues the code email; returns the browser's ticket. */
export async function requestCenterCode(kernel: Kernel, brand: Brand, profile: PrivacyProfile, email: string, locale: string, now = Date.now()): Promise<string> {
  const subjectId = await subjectByEmail(kernel, brand, email);
  const ticket = crypto.randomBytes(32).toString('base64url');
  const ticketHash = sha256(ticket);
  await kernel.keyring.activeKeyId(); // load the key before the transaction (SQLite has one connection)
  await kernel.db.transaction(async (trx) => {
    const [id] = await trx('consent_center_codes').insert({ ticket_hash: ticketHash, brand_id: brand.id, subject_id: subjectId, code_hash: '-', attempts: 0, expires_at: now + CODE_TTL_MS, created_at: now });
    const codeId = Number(id);
    // Nobody's row gets a hash no code matches.
    const hash = subjectId === null ? crypto.randomBytes(32).toString('hex') : codeHash(kernel, codeId, deriveCenterCode(kernel, { id: codeId, ticket_hash: ticketHash, created_at: now }));
    await trx('consent_center_codes').where({ id: codeId }).update({ code_hash: hash });
    if (subjectId !== null) {
      await kernel.outbox.enqueue(trx, profile, {
        brandId: brand.id, topic: CENTER_CODE_TOPIC, recipient: 'email', purpose: 'service', subjectId, categories: ['contact'], toSubject: true,
        payload: { codeId, subjectId, locale }, idempotencyKey: `privacy-center-code:${codeId}`,
      });
    }
  });
  await kernel.db('consent_center_codes').where('expires_at', '<=', now - CODE_TTL_MS).delete();
  return ticket;
}

/** The row a delivery needs (still waiting for its code), or none. */
export async function pendingCode(kernel: Kernel, codeId: number, now = Date.now()): Promise<CodeRow | undefined> {
  const row = (await kernel.db('consent_center_codes').where({ id: codeId }).first()) as CodeRow | undefined;
  return row && row.used_at === null && Number(row.expires_at) > now ? row : undefined;
}

/**
 * Counts one try of `code` for the ticket and, when it is right (and within time and tries), spends it and opens a
 * session: answers the session token, or null for every kind of failure alike.
 */
export async function redeemCenterCode(kernel: Kernel, brand: Brand, ticket: string | undefined, code: string, now = Date.now()): Promise<{ token: string; subjectId: number } | null> {
  if (!ticket || !/^[A-Za-z0-9_-]{43}$/.test(ticket)) return null;
  const row = (await kernel.db('consent_center_codes').where({ ticket_hash: sha256(ticket), brand_id: brand.id }).first()) as CodeRow | undefined;
  if (!row) return null;
  const counted = await kernel.db('consent_center_codes').where({ id: row.id }).whereNull('used_at').where('attempts', '<', CODE_MAX_ATTEMPTS).where('expires_at', '>', now)
    .update({ attempts: kernel.db.raw('attempts + 1') });
  if (!counted || row.subject_id === null) return null;
  const given = Buffer.from(codeHash(kernel, Number(row.id), code));
  const stored = Buffer.from(row.code_hash);
  if (given.length !== stored.length || !crypto.timingSafeEqual(given, stored)) return null;
  const subjectId = Number(row.subject_id);
  const subject = await kernel.subjects.get(subjectId).catch(() => undefined);
  if (!subject || subject.brandId !== brand.id || subject.status === 'erased') return null;
  const token = newSessionToken();
  const spent = await kernel.db.transaction(async (trx: Knex.Transaction) => {
    if ((await trx('consent_center_codes').where({ id: row.id }).whereNull('used_at').update({ used_at: now })) !== 1) return false;
    await insertSession(trx, token, brand.id, subjectId, 'email-code', now);
    return true;
  });
  return spent ? { token, subjectId } : null;
}
