/** The privacy center's tables: customer sessions (token hash only) and the used single-sign-on signatures (single use). */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

export const createPrivacyCenterTables: Migration = {
  name: '202612061200-create-privacy-center-tables',
  async up(db: Knex) {
    await db.schema.createTable('consent_center_sessions', (t) => {
      t.string('id_hash', 64).primary();
      t.integer('brand_id').notNullable();
      t.integer('subject_id').notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('last_seen_at').notNullable();
      t.bigInteger('expires_at').notNullable();
      t.index(['expires_at']);
    });
    await db.schema.createTable('consent_center_sso_used', (t) => {
      t.string('sig_hash', 64).primary();
      t.integer('brand_id').notNullable();
      t.bigInteger('expires_at').notNullable();
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('consent_center_sso_used');
    await db.schema.dropTableIfExists('consent_center_sessions');
  },
};
