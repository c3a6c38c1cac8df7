/**
 * Data of a category about a subject held elsewhere (WHMCS's tickets and email log, say): one row per subject, holder
 * and category with the time it has been held since, so retention selects the subject though the suite holds none of it.
 */
import type { Knex } from 'knex';
import type { Migration } from '../migrator';

export const createSubjectHoldings: Migration = {
  name: '202612231000-create-subject-holdings',
  async up(db: Knex) {
    await db.schema.createTable('subject_holdings', (t) => {
      t.bigInteger('subject_id').unsigned().notNullable().references('id').inTable('subjects').onDelete('CASCADE');
      t.string('holder', 40).notNullable();
      t.string('category', 40).notNullable();
      t.bigInteger('since').notNullable();
      t.primary(['subject_id', 'holder', 'category']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('subject_holdings');
  },
};
