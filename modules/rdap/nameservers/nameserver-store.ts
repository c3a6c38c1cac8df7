/** The name servers of the domains a brand holds (`rdap_nameservers`), as the registrar hooks hand them over (ns1–ns5). */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

const TABLE = 'rdap_nameservers';

export const createRdapNameservers: Migration = {
  name: '202612061800-create-rdap-nameservers',
  async up(db) {
    await db.schema.createTable(TABLE, (t) => {
      t.increments('id');
      t.integer('brand_id').notNullable();
      t.string('domain', 253).notNullable();
      /** The name server's LDH name (A-labels, lower case). */
      t.string('name', 253).notNullable().index();
      t.bigInteger('updated_at').notNullable();
      t.unique(['brand_id', 'domain', 'name']);
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists(TABLE);
  },
};

/** Replaces a domain's name servers (an empty list forgets them). Names must already be LDH (see `ldhName`). */
export async function saveNameservers(db: Knex | Knex.Transaction, brandId: number, domain: string, names: string[]): Promise<void> {
  const unique = [...new Set(names)].slice(0, 13);
  await db(TABLE).where({ brand_id: brandId, domain }).delete();
  const ts = Date.now();
  if (unique.length) await db(TABLE).insert(unique.map((name) => ({ brand_id: brandId, domain, name, updated_at: ts })));
}

/** The domains (per brand) that use a name server, newest record first; at most `limit`. */
export async function domainsUsing(db: Knex, name: string, limit = 20): Promise<{ brandId: number; domain: string; updatedAt: number }[]> {
  const rows = (await db(TABLE).where({ name }).orderBy('updated_at', 'desc').limit(limit).select('brand_id', 'domain', 'updated_at')) as Record<string, unknown>[];
  return rows.map((r) => ({ brandId: Number(r.brand_id), domain: String(r.domain), updatedAt: Number(r.updated_at) }));
}
