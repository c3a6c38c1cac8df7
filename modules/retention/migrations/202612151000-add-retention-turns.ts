/**
 * retention_turns: three rows the sweep's overlapping batch transactions lock in turn (MySQL/MariaDB), so that two
 * batches in flight still commit in batch order and any wait between them is a row-lock wait the database can see
 * (a deadlock is detected and rolled back, never a silent hang). See sweep/pipeline.ts.
 */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

export const addRetentionTurns: Migration = {
  name: '202612151000-add-retention-turns',
  async up(db: Knex) {
    await db.schema.createTable('retention_turns', (t) => {
      t.integer('slot').unsigned().primary();
    });
    await db('retention_turns').insert([{ slot: 0 }, { slot: 1 }, { slot: 2 }]);
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('retention_turns');
  },
};
