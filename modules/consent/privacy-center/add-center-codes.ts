/** The privacy center's emailed log-in codes (hashes only) and how each session was opened (single sign-on or code). */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

export const addCenterCodes: Migration = {
  name: '202612061300-add-privacy-center-codes',
  async up(db: Knex) {
    await db.schema.createTable('consent_center_codes', (t) => {
      t.increments('id').primary();
      t.string('ticket_hash', 64).notNullable().unique();
      t.integer('brand_id').notNullable();
      // Null when the address typed belongs to nobody: the row exists anyway, so both answers take the same path.
      t.integer('subject_id').nullable();
      t.string('code_hash', 128).notNullable();
      t.integer('attempts').notNullable().defaultTo(0);
      t.bigInteger('expires_at').notNullable();
      t.bigInteger('used_at').nullable();
      t.bigInteger('created_at').notNullable();
      t.index(['expires_at']);
    });
    await db.schema.alterTable('consent_center_sessions', (t) => {
      t.string('method', 16).notNullable().defaultTo('sso');
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('consent_center_sessions', (t) => t.dropColumn('method'));
    await db.schema.dropTableIfExists('consent_center_codes');
  },
};
