/**
 * Export files are encrypted at rest with a per-file key; the key, wrapped by the keyring, lives in rights_exports.key_enc
 * and is cleared once the file is downloaded, expired or revoked (the file is then unreadable even if a copy survives).
 */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

/** Adds rights_exports.key_enc. */
export const addExportKey: Migration = {
  name: '202612011310-add-export-key',
  async up(db: Knex) {
    await db.schema.alterTable('rights_exports', (t) => {
      t.text('key_enc').nullable();
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('rights_exports', (t) => {
      t.dropColumn('key_enc');
    });
  },
};
