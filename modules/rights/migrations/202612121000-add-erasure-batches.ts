/**
 * Batch erasures store their answers once per batch (rights_erasure_batches: one encrypted record holding each
 * subject's result, shared sentences stored once) and each subject's rights_erasures row points at its batch. The
 * erasure rows lose their state index: every look-up goes by subject or run first, and a two-valued index only costs
 * each of the sweep's inserts.
 */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

/** Adds rights_erasure_batches and rights_erasures.batch_id; drops rights_erasures' state index. */
export const addErasureBatches: Migration = {
  name: '202612121000-add-erasure-batches',
  async up(db: Knex) {
    await db.schema.createTable('rights_erasure_batches', (t) => {
      t.increments('id');
      t.integer('brand_id').notNullable();
      /** What ran the batch ('retention', …) and its reference (e.g. 'retention-run:12:rule'); no personal data. */
      t.string('source', 32).notNullable();
      t.string('reference', 190).nullable();
      t.integer('subjects').notNullable();
      /** The packed results (batch-result.ts), encrypted; MEDIUMTEXT on MySQL (a batch of 2,000 exceeds TEXT's 64 KB). */
      t.text('result_enc', 'mediumtext').notNullable();
      t.bigInteger('created_at').notNullable();
    });
    await db.schema.alterTable('rights_erasures', (t) => {
      t.integer('batch_id').nullable();
      t.dropIndex(['state']);
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('rights_erasures', (t) => {
      t.index(['state']);
      t.dropColumn('batch_id');
    });
    await db.schema.dropTableIfExists('rights_erasure_batches');
  },
};
