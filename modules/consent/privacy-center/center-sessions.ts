/**
 * Privacy center sessions in the database (any instance serves them), like the admin sessions: the cookie holds a random
 * token, the table its SHA-256, the brand and the subject. A session ends after 30 minutes idle or 2 hours, and only
 * ever serves the brand it was opened for.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { isUniqueViolation } from '../../../core/db/unique-violation';

const IDLE_MS = 30 * 60_000;
const ABSOLUTE_MS = 2 * 3600_000;
const TOUCH_EVERY_MS = 60_000;

/** How a session was opened: the panel's signed single-sign-on link, or a code emailed to the address on record. */
export type CenterMethod = 'sso' | 'email-code';

/** A live privacy center session. */
export interface CenterSession { idHash: string; brandId: number; subjectId: number; method: CenterMethod }

interface Row { id_hash: string; brand_id: number; subject_id: number; method?: string; last_seen_at: number | string; expires_at: number | string }

const hashToken = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');


/**
 * Spends a link's signature and opens a session in one transaction; returns the token, or null when the signature was
 * used before (nothing is written then).
 */
export async function openCenterSession(db: Knex, brandId: number, subjectId: number, sigHash: string, linkExpiresAt: number, now = Date.now()): Promise<string | null> {
  const token = newSessionToken();
  try {
    await db.transaction(async (trx) => {
      await trx('consent_center_sso_used').insert({ sig_hash: sigHash, brand_id: brandId, expires_at: linkExpiresAt });
      await insertSession(trx, token, brandId, subjectId, 'sso', now);
    });
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
  await db('consent_center_sessions').where('expires_at', '<=', now).orWhere('last_seen_at', '<=', now - IDLE_MS).delete();
  // A spent signature past its link's expiry is refused as expired anyway: no need to keep it.
  await db('consent_center_sso_used').where('expires_at', '<=', now).delete();
  return token;
}

/** Writes a new session in `trx` (the caller has spent what proves the person: a link's signature or a code). */
export async function insertSession(trx: Knex.Transaction, token: string, brandId: number, subjectId: number, method: CenterMethod, now = Date.now()): Promise<void> {
  await trx('consent_center_sessions').insert({ id_hash: hashToken(token), brand_id: brandId, subject_id: subjectId, method, created_at: now, last_seen_at: now, expires_at: now + ABSOLUTE_MS });
}

/** A new random session token (the cookie's value). */
export const newSessionToken = (): string => crypto.randomBytes(32).toString('base64url');

/** The live session a token names for `brandId`, or null (unknown, ended, or another brand's); touches it. */
export async function resolveCenterSession(db: Knex, brandId: number, token: string | undefined, now = Date.now()): Promise<CenterSession | null> {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const idHash = hashToken(token);
  const row = (await db('consent_center_sessions').where({ id_hash: idHash }).first()) as Row | undefined;
  if (!row || Number(row.brand_id) !== brandId) return null;
  if (Number(row.expires_at) <= now || Number(row.last_seen_at) + IDLE_MS <= now) {
    await db('consent_center_sessions').where({ id_hash: idHash }).delete();
    return null;
  }
  if (now - Number(row.last_seen_at) >= TOUCH_EVERY_MS) await db('consent_center_sessions').where({ id_hash: idHash }).update({ last_seen_at: now });
  return { idHash, brandId, subjectId: Number(row.subject_id), method: row.method === 'email-code' ? 'email-code' : 'sso' };
}

/** Ends a session (sign-out). */
export async function closeCenterSession(db: Knex, idHash: string): Promise<void> {
  await db('consent_center_sessions').where({ id_hash: idHash }).delete();
}
