/** Registrant tables: domains with their contact state, the real (encrypted) contacts, consent to publish, reveal requests. */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

export const createRegistrantTables: Migration = {
  name: '202612010900-create-registrant-tables',
  async up(db: Knex) {
    await db.schema.createTable('registrant_domains', (t) => {
      t.increments('id');
      t.integer('brand_id').notNullable();
      t.string('domain', 253).notNullable();
      t.bigInteger('subject_id').nullable().index();
      t.string('client_ref', 64).nullable();
      t.string('status', 24).notNullable();
      t.boolean('id_protection').notNullable().defaultTo(false);
      t.text('roles').notNullable();
      /** Hash of the contacts last sent, so an unchanged rectification sends nothing. */
      t.string('contacts_hash', 64).nullable();
      /** The contact-related WHMCS params (encrypted), to rebuild contacts on rectification. */
      t.text('params_enc').nullable();
      t.bigInteger('registered_at').nullable();
      t.bigInteger('renewed_at').nullable();
      t.bigInteger('updated_at').notNullable();
      t.unique(['brand_id', 'domain']);
    });
    await db.schema.createTable('registrant_contacts', (t) => {
      t.increments('id');
      t.integer('domain_id').notNullable().index();
      t.string('role', 16).notNullable();
      t.string('handle', 16).notNullable();
      /** The customer's real contact as JSON (encrypted), held for escrow whatever is published. */
      t.text('data_enc').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.unique(['domain_id', 'role']);
    });
    await db.schema.createTable('registrant_publish_consent', (t) => {
      t.integer('brand_id').notNullable();
      t.string('domain', 253).notNullable();
      t.bigInteger('subject_id').notNullable().index();
      t.text('fields').notNullable();
      t.string('receipt_id', 40).notNullable();
      t.bigInteger('updated_at').notNullable();
      t.primary(['brand_id', 'domain']);
    });
    await db.schema.createTable('registrant_reveal_requests', (t) => {
      t.increments('id');
      t.integer('brand_id').notNullable().index();
      t.string('domain', 253).notNullable();
      t.bigInteger('subject_id').nullable().index();
      t.text('complainant_enc').notNullable();
      t.string('legal_basis', 500).notNullable();
      t.text('evidence_enc').notNullable();
      t.string('status', 16).notNullable();
      t.bigInteger('deadline_at').notNullable();
      t.string('decided_by', 80).nullable();
      t.bigInteger('decided_at').nullable();
      t.bigInteger('created_at').notNullable();
    });
  },
  async down(db: Knex) {
    for (const table of ['registrant_reveal_requests', 'registrant_publish_consent', 'registrant_contacts', 'registrant_domains']) await db.schema.dropTableIfExists(table);
  },
};
