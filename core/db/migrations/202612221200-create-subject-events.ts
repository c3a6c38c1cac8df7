/**
 * Non-personal events of a subject (last invoice paid, last login, order placed, service ended, domain expiry), one
 * row per subject and event holding only the latest time: retention counts its periods from them on a panel whose
 * tables the suite cannot read (WHMCS reports them through hooks and the import).
 */
import type { Knex } from 'knex';
import type { Migration } from '../migrator';

export const createSubjectEvents: Migration = {
  name: '202612221200-create-subject-events',
  async up(db: Knex) {
    await db.schema.createTable('subject_events', (t) => {
      t.bigInteger('subject_id').unsigned().notNullable().references('id').inTable('subjects').onDelete('CASCADE');
      t.string('event', 32).notNullable();
      t.bigInteger('at').notNullable();
      t.primary(['subject_id', 'event']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('subject_events');
  },
};
