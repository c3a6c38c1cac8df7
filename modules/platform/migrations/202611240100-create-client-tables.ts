/** Platform clients, contacts and third-party payers: personal fields encrypted (`personal_enc`), emails as blind indexes. */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

/** Creates platform_clients, platform_contacts and platform_payers. */
export const createClientTables: Migration = {
  name: '202611240100-create-client-tables',
  async up(db: Knex) {
    await db.schema.createTable('platform_clients', (t) => {
      t.increments('id');
      t.integer('brand_id').unsigned().notNullable().references('id').inTable('brands');
      t.string('status', 16).notNullable();
      t.text('personal_enc').nullable();
      t.string('email_hash', 64).nullable();
      t.string('password_hash', 255).nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.bigInteger('closed_at').nullable();
      t.unique(['brand_id', 'email_hash']);
    });
    await db.schema.createTable('platform_contacts', (t) => {
      t.increments('id');
      t.integer('client_id').unsigned().notNullable().references('id').inTable('platform_clients');
      t.text('personal_enc').nullable();
      t.string('email_hash', 64).nullable().index();
      t.bigInteger('created_at').notNullable();
    });
    await db.schema.createTable('platform_payers', (t) => {
      t.increments('id');
      t.integer('brand_id').unsigned().notNullable().references('id').inTable('brands');
      t.bigInteger('subject_id').unsigned().nullable();
      t.text('personal_enc').nullable();
      t.string('email_hash', 64).nullable();
      t.bigInteger('created_at').notNullable();
      t.index(['brand_id', 'email_hash']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('platform_payers');
    await db.schema.dropTableIfExists('platform_contacts');
    await db.schema.dropTableIfExists('platform_clients');
  },
};
