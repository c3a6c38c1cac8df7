/** Registry holds (WSM-17): a reveal request's hold state and the domain status it replaced; the panel's event feed. */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

export const addRegistryHolds: Migration = {
  name: '202612201000-add-registry-holds',
  async up(db: Knex) {
    await db.schema.alterTable('registrant_reveal_requests', (t) => {
      /** queued | placed | not-sent | kept | lift-queued | lifted; null until a suspension. */
      t.string('registry_hold', 16).nullable();
      /** The domain's status before the suspension, restored when it is lifted. */
      t.string('domain_status_before', 24).nullable();
    });
    await db.schema.createTable('registrant_events', (t) => {
      t.integer('brand_id').notNullable();
      /** Per brand, gapless and in commit order (see events/domain-events.ts), so `after` never skips an event. */
      t.integer('seq').notNullable();
      t.string('type', 32).notNullable();
      t.string('domain', 253).notNullable();
      t.integer('request_id').nullable();
      /** suite: the suite places/lifts clientHold over EPP; panel: nothing was sent to the registry, the panel acts. */
      t.string('registry_hold', 8).notNullable();
      t.bigInteger('created_at').notNullable();
      t.primary(['brand_id', 'seq']);
    });
    await db.schema.createTable('registrant_event_heads', (t) => {
      t.integer('brand_id').primary();
      t.integer('last_seq').notNullable();
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('registrant_event_heads');
    await db.schema.dropTableIfExists('registrant_events');
    await db.schema.alterTable('registrant_reveal_requests', (t) => {
      t.dropColumn('domain_status_before');
      t.dropColumn('registry_hold');
    });
  },
};
