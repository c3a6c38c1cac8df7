/**
 * Indexes the erasure looks up by for every subject, so a bulk run stays linear: outbox messages by subject (their
 * payloads are wiped or cancelled on erasure) and contacts by their parent client (erased with the account).
 */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

/** Adds outbox(subject_id) and subjects(parent_id) indexes. */
export const addErasureIndexes: Migration = {
  name: '202612011340-add-erasure-indexes',
  async up(db: Knex) {
    await db.schema.alterTable('outbox', (t) => {
      t.index(['subject_id'], 'outbox_subject_id_index');
    });
    await db.schema.alterTable('subjects', (t) => {
      t.index(['parent_id'], 'subjects_parent_id_index');
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('subjects', (t) => {
      t.dropIndex(['parent_id'], 'subjects_parent_id_index');
    });
    await db.schema.alterTable('outbox', (t) => {
      t.dropIndex(['subject_id'], 'outbox_subject_id_index');
    });
  },
};
