/** The marks by which the suite recognises the ClientEdit its own UpdateClient makes WHMCS fire (keyed hashes, short-lived). */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

export const createWhmcsEchoMarks: Migration = {
  name: '202612061300-create-whmcs-echo-marks',
  async up(db: Knex) {
    await db.schema.createTable('whmcs_echo_marks', (t) => {
      t.increments('id').primary();
      t.integer('brand_id').notNullable();
      /** The WHMCS client id (the subject's external id). */
      t.string('client_id', 64).notNullable();
      /** JSON: field → keyed hash of the value the suite wrote (no values). */
      t.text('fields').notNullable();
      t.bigInteger('expires_at').notNullable();
      t.index(['brand_id', 'client_id']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('whmcs_echo_marks');
  },
};
