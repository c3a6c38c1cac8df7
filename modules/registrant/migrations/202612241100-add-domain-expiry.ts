/** When a domain's registration runs out (epoch ms): from the registration period WHMCS sends, moved on by each renewal. */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

export const addDomainExpiry: Migration = {
  name: '202612241100-add-domain-expiry',
  async up(db: Knex) {
    await db.schema.alterTable('registrant_domains', (t) => { t.bigInteger('expires_at').nullable(); });
  },
  async down(db: Knex) {
    await db.schema.alterTable('registrant_domains', (t) => { t.dropColumn('expires_at'); });
  },
};
