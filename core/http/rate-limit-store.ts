/**
 * A database Store for express-rate-limit: fixed windows counted in `rate_limits`, so two instances on one database
 * share each client's count. Keys are stored as a keyed hash (the keyring's `rate-limit` MAC), never as the IP.
 */
import type { Options, Store, ClientRateLimitInfo } from 'express-rate-limit';
import type { Knex } from 'knex';
import type { Keyring } from '../crypto/keyring';

const TABLE = 'rate_limits';
/** Expired rows are swept about once every this many increments (any instance may do it). */
const SWEEP_EVERY = 200;

/** Counts hits per `<name>:<key>` in the database. */
export class DatabaseRateLimitStore implements Store {
  readonly localKeys = false;
  /** `windowMs` is for use without express-rate-limit (which sets it through `init`). */
  constructor(private readonly db: Knex, private readonly keyring: Pick<Keyring, 'sign'>, readonly prefix: string, private windowMs = 60_000, private readonly now: () => number = Date.now) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private bucket(key: string): string {
    return `${this.prefix.slice(0, 60)}:${this.keyring.sign(key, 'rate-limit')}`;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const bucket = this.bucket(key);
    const now = this.now();
    const reset = now + this.windowMs;
    // One statement: a new row, a fresh window when the old one has ended, else one more hit (atomic on both engines).
    await this.db(TABLE).insert({ bucket, hits: 1, reset_at: reset }).onConflict('bucket').merge({
      hits: this.db.raw(`CASE WHEN ${TABLE}.reset_at <= ? THEN 1 ELSE ${TABLE}.hits + 1 END`, [now]),
      reset_at: this.db.raw(`CASE WHEN ${TABLE}.reset_at <= ? THEN ? ELSE ${TABLE}.reset_at END`, [now, reset]),
    });
    const row = (await this.db(TABLE).where({ bucket }).first('hits', 'reset_at')) as { hits: number | string; reset_at: number | string } | undefined;
    if (Math.random() * SWEEP_EVERY < 1) await this.db(TABLE).where('reset_at', '<=', now).delete();
    return { totalHits: Number(row?.hits ?? 1), resetTime: new Date(Number(row?.reset_at ?? reset)) };
  }

  async decrement(key: string): Promise<void> {
    await this.db(TABLE).where({ bucket: this.bucket(key) }).andWhere('hits', '>', 0).decrement('hits', 1);
  }

  async resetKey(key: string): Promise<void> {
    await this.db(TABLE).where({ bucket: this.bucket(key) }).delete();
  }
}
