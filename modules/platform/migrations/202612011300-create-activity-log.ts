/** The platform's activity log: what a client did and from which IP (encrypted), as WHMCS keeps one per client. */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

/** Creates platform_activity_log (read in keyset-paginated batches by client, so indexed on client_id, id). */
export const createActivityLog: Migration = {
  name: '202612011300-create-activity-log',
  async up(db: Knex) {
    await db.schema.createTable('platform_activity_log', (t) => {
      t.increments('id');
      t.integer('brand_id').unsigned().notNullable().references('id').inTable('brands');
      t.integer('client_id').unsigned().notNullable().references('id').inTable('platform_clients');
      t.string('action', 64).notNullable();
      /** The client's IP address, encrypted (kernel keyring). */
      t.text('ip_enc').nullable();
      t.bigInteger('created_at').notNullable();
      t.index(['client_id', 'id']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('platform_activity_log');
  },
};
