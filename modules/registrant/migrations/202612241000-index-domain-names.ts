/** An index on the domain name alone: a public look-up (RDAP, WHOIS) finds a name's holdings without knowing the brand. */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

export const indexDomainNames: Migration = {
  name: '202612241000-index-domain-names',
  async up(db: Knex) {
    await db.schema.alterTable('registrant_domains', (t) => { t.index(['domain'], 'registrant_domains_domain_index'); });
  },
  async down(db: Knex) {
    await db.schema.alterTable('registrant_domains', (t) => { t.dropIndex(['domain'], 'registrant_domains_domain_index'); });
  },
};
