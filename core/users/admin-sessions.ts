/**
 * Admin sessions in the database, so that any instance serves them: the cookie holds a random token, the table only its
 * SHA-256. A session ends after `idleMs` without a request or `absoluteMs` after log-in, whichever comes first.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';

export interface SessionPolicy { idleMs: number; absoluteMs: number }
export const DEFAULT_SESSION: SessionPolicy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000 };

/** How often a session's last-seen time is written (not on every request). */
const TOUCH_EVERY_MS = 60_000;

interface SessionRow { id_hash: string; user_id: number; created_at: number | string; last_seen_at: number | string; expires_at: number | string }

/** A live session: whose, and when it was opened. */
export interface AdminSession { idHash: string; userId: number; createdAt: number }

function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export class AdminSessions {
  /** The clock (tests move it). */
  clock: () => number = Date.now;
  private lastPrune = 0;

  constructor(private readonly db: Knex, readonly policy: SessionPolicy = DEFAULT_SESSION) {}

  /** Opens a session for a user and returns its token (for the cookie); `replacing` is ended (rotation on log-in). */
  async open(userId: number, replacing?: string): Promise<string> {
    const now = this.clock();
    const token = crypto.randomBytes(32).toString('base64url');
    await this.db.transaction(async (trx) => {
      if (replacing) await trx('admin_sessions').where({ id_hash: hashToken(replacing) }).delete();
      await trx('admin_sessions').insert({ id_hash: hashToken(token), user_id: userId, created_at: now, last_seen_at: now, expires_at: now + this.policy.absoluteMs });
    });
    await this.prune();
    return token;
  }

  /** The live session a token names, or null (unknown, idle too long, past its absolute end); touches it. */
  async resolve(token: string): Promise<AdminSession | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const now = this.clock();
    const idHash = hashToken(token);
    const row = (await this.db('admin_sessions').where({ id_hash: idHash }).first()) as SessionRow | undefined;
    if (!row) return null;
    if (Number(row.expires_at) <= now || Number(row.last_seen_at) + this.policy.idleMs <= now) {
      await this.db('admin_sessions').where({ id_hash: idHash }).delete();
      return null;
    }
    if (now - Number(row.last_seen_at) >= TOUCH_EVERY_MS) await this.db('admin_sessions').where({ id_hash: idHash }).update({ last_seen_at: now });
    return { idHash, userId: Number(row.user_id), createdAt: Number(row.created_at) };
  }

  /** Ends the session a token names; returns its user, if it was live. */
  async close(token: string): Promise<number | null> {
    const idHash = hashToken(token);
    const row = (await this.db('admin_sessions').where({ id_hash: idHash }).first('user_id')) as { user_id: number } | undefined;
    await this.db('admin_sessions').where({ id_hash: idHash }).delete();
    return row ? Number(row.user_id) : null;
  }

  /** Drops ended sessions, at most once per idle period. */
  private async prune(): Promise<void> {
    const now = this.clock();
    if (now - this.lastPrune < this.policy.idleMs) return;
    this.lastPrune = now;
    await this.db('admin_sessions').where('expires_at', '<=', now).orWhere('last_seen_at', '<=', now - this.policy.idleMs).delete();
  }
}
