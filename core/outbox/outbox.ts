/**
 * The outbox: every call to an outside system (registrar, Stripe, PayPal, email) is a row written in the same
 * transaction as the change that causes it, then delivered by a worker with exponential backoff, one idempotency
 * key per message, and a dead-letter state after N attempts. Workers on MySQL/MariaDB claim rows with
 * FOR UPDATE SKIP LOCKED, so two instances never deliver the same message.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { dialectOfKnex } from '../db/connection';
import { SuiteError } from '../errors';
import type { Keyring } from '../crypto/keyring';
import type { DataCategory, PrivacyProfile } from '../profile/schema';
import { recordDisclosure } from '../registers/disclosure-log';
import { requireTransfer } from '../registers/processing-register';
import { PURPOSES_ALLOWED_WHEN_RESTRICTED } from '../subjects/subject-service';

export type OutboxState = 'pending' | 'delivering' | 'delivered' | 'dead';

/** A message to enqueue. Personal data in `payload` is encrypted at rest; the transfer is written to the disclosure log. */
export interface OutboxMessage {
  brandId: number;
  topic: string;
  payload: Record<string, unknown>;
  /** The registered recipient and purpose of the transfer (MS-5.1); required. */
  recipient: string;
  purpose: string;
  subjectId?: number | null;
  categories?: DataCategory[];
  idempotencyKey?: string;
  /**
   * A transactional notice to the subject themselves about their own account, rights or request (a withdrawal
   * notice, a policy change, a verification code): allowed even while their processing is restricted (SP-5.1,
   * GDPR Art. 18(3) requires telling them), since it informs the person rather than using their data for a purpose.
   */
  toSubject?: boolean;
}

/** A row as the admin API shows it (payload omitted). */
export interface OutboxRow { id: number; brand_id: number; topic: string; recipient: string; purpose: string; state: OutboxState; attempts: number; next_attempt_at: number; last_error: string | null; idempotency_key: string; created_at: number; delivered_at: number | null }

/** A claimed message as a deliverer receives it; `attempt` counts this delivery (1 for the first). */
export interface ClaimedMessage { id: number; topic: string; payload: Record<string, unknown>; idempotencyKey: string; attempt: number; brandId: number }

interface ClaimRow { id: number; topic: string; payload_enc: string; idempotency_key: string; attempts: number; brand_id: number }

export class Outbox {
  constructor(private readonly db: Knex, private readonly keyring: Keyring, readonly maxAttempts: number, readonly baseDelayMs: number) {}

  private async processingAllowed(trx: Knex.Transaction, subjectId: number, purpose: string): Promise<boolean> {
    if (PURPOSES_ALLOWED_WHEN_RESTRICTED.has(purpose)) return true;
    const r = (await trx('subjects').where({ id: subjectId }).first('restricted_at')) as { restricted_at: number | null } | undefined;
    return !r || r.restricted_at === null;
  }

  /** Writes a message in the caller's transaction, and logs the disclosure when it carries a subject's data. */
  async enqueue(trx: Knex.Transaction, profile: PrivacyProfile, msg: OutboxMessage): Promise<{ id: number; idempotencyKey: string }> {
    const idempotencyKey = msg.idempotencyKey ?? `obx_${crypto.randomUUID()}`;
    if (msg.subjectId !== undefined && msg.subjectId !== null) {
      // A restricted subject's data goes nowhere but storage and legal claims (SP-5.1).
      if (!msg.toSubject && !(await this.processingAllowed(trx, msg.subjectId, msg.purpose))) throw new SuiteError('SUITE_SUBJECT_RESTRICTED', { subject: msg.subjectId, purpose: msg.purpose });
      await recordDisclosure(trx, profile, {
        brandId: msg.brandId, subjectId: msg.subjectId, recipient: msg.recipient, purpose: msg.purpose,
        categories: msg.categories ?? [], fields: Object.keys(msg.payload), reference: idempotencyKey,
      });
    } else {
      // Still check that the recipient and purpose are registered for the brand.
      requireTransfer(profile, msg.recipient, msg.purpose);
    }
    const [id] = await trx('outbox').insert({
      brand_id: msg.brandId, topic: msg.topic, recipient: msg.recipient, purpose: msg.purpose, subject_id: msg.subjectId ?? null,
      payload_enc: this.keyring.encryptSync(JSON.stringify(msg.payload)), idempotency_key: idempotencyKey, state: 'pending', attempts: 0,
      next_attempt_at: Date.now(), created_at: Date.now(),
    });
    return { id: Number(id), idempotencyKey };
  }

  /**
   * Claims up to `limit` due messages for `workerId` (lease for `leaseMs`). Expired claims of a dead worker are
   * claimable again. MySQL/MariaDB: SELECT … FOR UPDATE SKIP LOCKED, so concurrent workers take disjoint rows.
   * SQLite: one `UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING` statement, which takes the write lock before it
   * reads (a read-then-update transaction would fail with SQLITE_BUSY_SNAPSHOT when another connection wrote between).
   * A message whose payload cannot be decrypted is failed at once instead of staying claimed.
   */
  async claim(workerId: string, limit: number, leaseMs: number): Promise<ClaimedMessage[]> {
    const ts = Date.now();
    const due = (w: Knex.QueryBuilder) => w
      .where((a) => a.where({ state: 'pending' }).andWhere('next_attempt_at', '<=', ts))
      .orWhere((a) => a.where({ state: 'delivering' }).andWhere('claimed_until', '<', ts));
    const claimed = { state: 'delivering', claimed_by: workerId, claimed_until: ts + leaseMs };
    let rows: ClaimRow[];
    if (dialectOfKnex(this.db) === 'mysql') {
      rows = await this.db.transaction(async (trx) => {
        const found = (await trx('outbox').where(due).orderBy('id').limit(limit).forUpdate().skipLocked()
          .select('id', 'topic', 'payload_enc', 'idempotency_key', 'attempts', 'brand_id')) as ClaimRow[];
        if (found.length) await trx('outbox').whereIn('id', found.map((r) => r.id)).update({ ...claimed, attempts: trx.raw('attempts + 1') });
        return found.map((r) => ({ ...r, attempts: Number(r.attempts) + 1 }));
      });
    } else {
      const ids = this.db('outbox').where(due).orderBy('id').limit(limit).select('id');
      rows = (await this.db('outbox').whereIn('id', ids).update({ ...claimed, attempts: this.db.raw('attempts + 1') }, ['id', 'topic', 'payload_enc', 'idempotency_key', 'attempts', 'brand_id'])) as unknown as ClaimRow[];
      rows.sort((a, b) => Number(a.id) - Number(b.id));
    }
    const out: ClaimedMessage[] = [];
    for (const r of rows) {
      const id = Number(r.id);
      const attempt = Number(r.attempts);
      let payload: Record<string, unknown>;
      try {
        payload = JSON.parse(await this.keyring.decrypt(r.payload_enc)) as Record<string, unknown>;
      } catch (err) {
        await this.failed(id, workerId, attempt, `payload cannot be read: ${(err as Error).message}`);
        continue;
      }
      out.push({ id, topic: r.topic, payload, idempotencyKey: r.idempotency_key, attempt, brandId: Number(r.brand_id) });
    }
    return out;
  }

  /** Marks a claimed message delivered (only if this worker still holds it). */
  async delivered(id: number, workerId: string): Promise<void> {
    await this.db('outbox').where({ id, claimed_by: workerId, state: 'delivering' }).update({ state: 'delivered', delivered_at: Date.now(), claimed_until: null, last_error: null });
  }

  /** Schedules a retry with exponential backoff and jitter, or dead-letters after the last attempt. */
  async failed(id: number, workerId: string, attempt: number, error: string): Promise<OutboxState> {
    const dead = attempt >= this.maxAttempts;
    const delay = Math.min(this.baseDelayMs * 2 ** (attempt - 1), 6 * 3600_000) * (0.8 + Math.random() * 0.4);
    await this.db('outbox').where({ id, claimed_by: workerId, state: 'delivering' }).update({
      state: dead ? 'dead' : 'pending', next_attempt_at: dead ? Date.now() : Date.now() + Math.round(delay), claimed_until: null, last_error: error.slice(0, 500),
    });
    return dead ? 'dead' : 'pending';
  }

  /** Lists messages (newest first), optionally by state and brands. */
  async list(opts: { state?: OutboxState; brandIds?: number[] | null; limit?: number } = {}): Promise<OutboxRow[]> {
    let q = this.db('outbox').orderBy('id', 'desc').limit(Math.min(opts.limit ?? 100, 1000))
      .select('id', 'brand_id', 'topic', 'recipient', 'purpose', 'state', 'attempts', 'next_attempt_at', 'last_error', 'idempotency_key', 'created_at', 'delivered_at');
    if (opts.state) q = q.where({ state: opts.state });
    if (opts.brandIds) q = q.whereIn('brand_id', opts.brandIds);
    return (await q) as OutboxRow[];
  }

  /** Puts a dead-lettered message back in the queue for another round of attempts. */
  async retry(id: number, brandIds: number[] | null): Promise<{ brandId: number }> {
    let q = this.db('outbox').where({ id, state: 'dead' });
    if (brandIds) q = q.whereIn('brand_id', brandIds);
    const row = (await q.clone().first('brand_id')) as { brand_id: number } | undefined;
    const n = row ? await q.update({ state: 'pending', attempts: 0, next_attempt_at: Date.now(), last_error: null }) : 0;
    if (!n) throw new SuiteError('SUITE_OUTBOX_MESSAGE_UNKNOWN', { id });
    return { brandId: Number(row!.brand_id) };
  }
}
