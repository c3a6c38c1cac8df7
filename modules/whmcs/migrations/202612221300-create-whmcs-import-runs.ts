/** The WHMCS import's bookkeeping: one run per brand (phase, cursor, counts) and which opt-in history rows it recorded. */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

export const createWhmcsImportRuns: Migration = {
  name: '202612221300-create-whmcs-import-runs',
  async up(db: Knex) {
    await db.schema.createTable('whmcs_import_runs', (t) => {
      t.increments('id').primary();
      t.integer('brand_id').notNullable().unique();
      /** The phase the run is in (clients, contacts, users, domains, invoices, optin-history) or 'done'. */
      t.string('phase', 24).notNullable();
      /** Rows of the phase already committed: the next page starts there. */
      t.integer('cursor').notNullable().defaultTo(0);
      /** JSON: counts per phase, pages, what was not reached. */
      t.text('counts').notNullable();
      /** running | failed | done. */
      t.string('state', 12).notNullable();
      /** Why the addon's opt-in history was not reached when the run started (null: it was). */
      t.string('not_reached', 400).nullable();
      t.bigInteger('started_at').notNullable();
      t.bigInteger('finished_at').nullable();
      /** The last error's message (names the action and WHMCS's answer, never a value). */
      t.string('last_error', 400).nullable();
    });
    await db.schema.createTable('whmcs_import_consent', (t) => {
      t.integer('brand_id').notNullable();
      /** WHMCS's opt-in history row id (tblmarketing_consent.id), or `client:<id>` for a current-state snapshot. */
      t.string('whmcs_ref', 40).notNullable();
      /** The ledger receipt the row became (null: skipped, e.g. older than the suite's own record). */
      t.string('receipt_id', 40).nullable();
      t.primary(['brand_id', 'whmcs_ref']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('whmcs_import_consent');
    await db.schema.dropTableIfExists('whmcs_import_runs');
  },
};
