/** A brand's profile layer may be up to PROFILE_MAX_BYTES (256 kB) on every engine: MySQL's TEXT holds 64 kB, so MEDIUMTEXT there. */
import type { Knex } from 'knex';
import type { Migration } from '../migrator';
import { dialectOfKnex } from '../connection';

export const widenBrandProfile: Migration = {
  name: '202612160900-widen-brand-profile',
  async up(db: Knex) {
    // SQLite's TEXT has no such limit.
    if (dialectOfKnex(db) === 'mysql') await db.raw('ALTER TABLE brands MODIFY profile MEDIUMTEXT NULL');
  },
  async down(db: Knex) {
    if (dialectOfKnex(db) === 'mysql') await db.raw('ALTER TABLE brands MODIFY profile TEXT NULL');
  },
};
