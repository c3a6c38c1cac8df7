/** Escrow tables: one row per deposit (kind, watermark, files, counts, state), the base of the next incremental. */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

export const createEscrowTables: Migration = {
  name: '202612300900-create-escrow-tables',
  async up(db: Knex) {
    await db.schema.createTable('escrow_deposits', (t) => {
      t.increments('id');
      t.integer('brand_id').notNullable();
      /** The registrar's IANA id: brands of one registrar share it, and so share the day's file names and revisions. */
      t.integer('iana_id').notNullable();
      /** full | inc */
      t.string('kind', 8).notNullable();
      t.string('format', 24).notNullable();
      /** The deposit date (UTC, yyyy-mm-dd) and revision in the file names (per IANA id, date and kind). */
      t.string('deposit_date', 10).notNullable();
      t.integer('revision').notNullable();
      /** The time the deposit started reading: the next incremental takes what changed after it (less the overlap). */
      t.bigInteger('watermark').notNullable();
      /** The incremental's lower bound (null for a full deposit). */
      t.bigInteger('since').nullable();
      /** JSON: [{name, bytes, sha256}] of the encrypted files, in delivery order. */
      t.text('files').notNullable();
      t.integer('domains').notNullable().defaultTo(0);
      t.integer('handles').notNullable().defaultTo(0);
      /** building | queued | delivered | failed */
      t.string('state', 12).notNullable();
      t.string('staging_dir', 500).notNullable();
      t.integer('outbox_id').nullable();
      t.string('error', 500).nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('delivered_at').nullable();
      t.index(['brand_id', 'state']);
      t.unique(['iana_id', 'deposit_date', 'kind', 'revision']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('escrow_deposits');
  },
};
