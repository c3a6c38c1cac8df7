/** MS-10 / WSM-23: failed-authentication counters per IP and window, and the unusual-access alerts they raise. */
import type { Knex } from 'knex';
import type { Migration } from '../migrator';

export const createAccessWatch: Migration = {
  name: '202612211000-create-access-watch',
  async up(db: Knex) {
    // One row per IP (keyed hash), window, source and brand (0: none known); the IP itself is not kept here.
    await db.schema.createTable('access_failures', (t) => {
      t.string('ip_hash', 64).notNullable();
      t.bigInteger('window_start').notNullable();
      t.string('source', 32).notNullable();
      t.integer('brand_id').notNullable();
      t.integer('failures').notNullable();
      t.bigInteger('last_at').notNullable();
      t.primary(['ip_hash', 'window_start', 'source', 'brand_id']);
      t.index(['window_start']);
    });
    // One alert per IP and window (the unique key makes it one across instances); the IP is kept as security data.
    await db.schema.createTable('access_alerts', (t) => {
      t.bigIncrements('id');
      t.string('ip_hash', 64).notNullable();
      t.bigInteger('window_start').notNullable();
      t.integer('window_seconds').notNullable();
      t.string('ip', 64).notNullable();
      t.integer('threshold').notNullable();
      t.bigInteger('created_at').notNullable().index();
      t.unique(['ip_hash', 'window_start']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('access_alerts');
    await db.schema.dropTableIfExists('access_failures');
  },
};
