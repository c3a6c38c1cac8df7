/** Policy documents remember when the daily job reported them as having taken effect. */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

export const addDocumentEffectiveReported: Migration = {
  name: '202611231100-add-document-effective-reported',
  async up(db: Knex) {
    await db.schema.alterTable('consent_documents', (t) => {
      t.bigInteger('effective_reported_at').nullable();
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('consent_documents', (t) => {
      t.dropColumn('effective_reported_at');
    });
  },
};
