/** Restriction of processing (SP-5.1, GDPR Art. 18): a subject may be restricted whatever its status (active or closed). */
import type { Knex } from 'knex';
import type { Migration } from '../migrator';

export const addSubjectRestriction: Migration = {
  name: '202612011100-add-subject-restriction',
  async up(db: Knex) {
    await db.schema.alterTable('subjects', (t) => {
      t.bigInteger('restricted_at').nullable();
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('subjects', (t) => {
      t.dropColumn('restricted_at');
    });
  },
};
