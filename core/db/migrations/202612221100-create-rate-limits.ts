/** Rate-limit counters in the database, so every instance of the suite counts the same window (core/http/rate-limit.ts). */
import type { Knex } from 'knex';
import type { Migration } from '../migrator';

export const createRateLimits: Migration = {
  name: '202612221100-create-rate-limits',
  async up(db: Knex) {
    // One row per limiter and client key; the key is a keyed hash (an IP is not kept here).
    await db.schema.createTable('rate_limits', (t) => {
      t.string('bucket', 120).primary();
      t.integer('hits').notNullable();
      t.bigInteger('reset_at').notNullable().index();
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('rate_limits');
  },
};
