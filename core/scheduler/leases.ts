/** Lease rows: one holder per job at a time across instances; a lease expires if its holder dies. */
import type { Knex } from 'knex';
import { isUniqueViolation } from '../db/unique-violation';


export class Leases {
  constructor(private readonly db: Knex, readonly holder: string) {}

  /** Takes the lease on `name` for `ttlMs` if it is free or expired (or already ours). True when taken. */
  async acquire(name: string, ttlMs: number): Promise<boolean> {
    const ts = Date.now();
    const taken = await this.db('job_leases').where({ name }).andWhere((w) => w.where('expires_at', '<', ts).orWhere({ holder: this.holder }))
      .update({ holder: this.holder, expires_at: ts + ttlMs, acquired_at: ts });
    if (taken) return true;
    try {
      await this.db('job_leases').insert({ name, holder: this.holder, expires_at: ts + ttlMs, acquired_at: ts });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false; // another instance inserted it first
      throw err; // a database failure is not "held by another instance"
    }
  }

  /** Extends a lease we hold. */
  async renew(name: string, ttlMs: number): Promise<boolean> {
    return (await this.db('job_leases').where({ name, holder: this.holder }).update({ expires_at: Date.now() + ttlMs })) > 0;
  }

  /** Gives a lease back so another instance can take it at once. */
  async release(name: string): Promise<void> {
    await this.db('job_leases').where({ name, holder: this.holder }).update({ expires_at: 0 });
  }

  /** Gives back every lease this instance holds (graceful shutdown). */
  async releaseAll(): Promise<number> {
    return this.db('job_leases').where({ holder: this.holder }).update({ expires_at: 0 });
  }
}
