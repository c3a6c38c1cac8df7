/**
 * Legal disclosures and partner exports: the authority recipient and the approver's (encrypted) note on a disclosure
 * request, and one row per partner export (who, to whom, for what, which fields, how many subjects — never values).
 */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

export const addDisclosureColumns: Migration = {
  name: '202612011320-add-disclosure-columns',
  async up(db: Knex) {
    await db.schema.alterTable('rights_disclosure_requests', (t) => {
      /** The registered recipient (kind authority) the package goes to. */
      t.string('recipient', 64).nullable();
      /** Encrypted free text the approver gave with the decision. */
      t.text('decision_note_enc').nullable();
    });
    await db.schema.createTable('rights_partner_exports', (t) => {
      t.increments('id');
      t.integer('brand_id').notNullable().index();
      t.string('recipient', 64).notNullable();
      t.string('purpose', 64).notNullable();
      /** JSON arrays of category and field names that passed the allow-list. */
      t.text('categories').notNullable();
      t.text('fields').notNullable();
      t.string('format', 8).notNullable();
      t.string('state', 16).notNullable();
      t.integer('subjects').notNullable().defaultTo(0);
      t.integer('skipped').notNullable().defaultTo(0);
      t.string('actor', 80).notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('finished_at').nullable();
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('rights_partner_exports');
    await db.schema.alterTable('rights_disclosure_requests', (t) => {
      t.dropColumn('decision_note_enc');
      t.dropColumn('recipient');
    });
  },
};
