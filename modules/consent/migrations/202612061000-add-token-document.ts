/** A double opt-in token keeps the privacy policy version shown at sign-up: the confirmed grant is bound to it (MS-2 / SP-3). */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

export const addTokenDocument: Migration = {
  name: '202612061000-add-token-document',
  async up(db: Knex) {
    await db.schema.alterTable('consent_tokens', (t) => {
      t.integer('document_id').nullable();
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('consent_tokens', (t) => {
      t.dropColumn('document_id');
    });
  },
};
