/** Retention tables: sweep runs (with checkpoint and report), legal holds, and rule approvals. */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

/** Creates retention_runs, retention_holds and retention_approvals. */
export const createRetentionTables: Migration = {
  name: '202612081200-create-retention-tables',
  async up(db: Knex) {
    await db.schema.createTable('retention_runs', (t) => {
      t.increments('id');
      /** The brands of the run as ",1,2," (so one brand's runs are found with LIKE ',1,'). */
      t.string('brand_ids', 2000).notNullable();
      t.boolean('dry_run').notNullable();
      t.string('state', 16).notNullable();
      t.string('actor', 80).notNullable();
      /** The moment the run's cutoffs and hold expiries are computed from (kept when a run resumes). */
      t.bigInteger('as_of').notNullable();
      t.bigInteger('started_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.bigInteger('finished_at').nullable();
      t.text('checkpoint').nullable();
      t.text('report', 'mediumtext').notNullable();
      t.string('error', 190).nullable();
      /** The process session working on the run; a batch of any other session is refused (a stalled process that lost the lease). */
      t.string('holder', 40).nullable();
      t.index(['state']);
    });
    await db.schema.createTable('retention_holds', (t) => {
      t.increments('id');
      t.integer('brand_id').unsigned().notNullable().references('id').inTable('brands');
      t.string('scope', 16).notNullable();
      t.bigInteger('subject_id').nullable();
      /** The account the held subject belongs to (a client, or the subject itself): a hold keeps the whole account. */
      t.bigInteger('root_id').nullable().index();
      t.string('category', 32).nullable();
      t.string('reason', 32).notNullable();
      /** Free text, encrypted (kernel keyring); meant to hold no personal data (a case number, an authority's reference). */
      t.text('note_enc').nullable();
      t.bigInteger('expires_at').nullable();
      t.string('created_by', 80).notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('released_at').nullable();
      t.string('released_by', 80).nullable();
      t.index(['brand_id', 'released_at']);
    });
    await db.schema.createTable('retention_approvals', (t) => {
      t.increments('id');
      t.integer('brand_id').unsigned().notNullable().references('id').inTable('brands');
      t.string('rule_id', 80).notNullable();
      t.string('rule_hash', 64).notNullable();
      t.integer('dry_run_id').unsigned().nullable();
      t.string('approved_by', 80).notNullable();
      t.bigInteger('approved_at').notNullable();
      t.unique(['brand_id', 'rule_id', 'rule_hash']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('retention_approvals');
    await db.schema.dropTableIfExists('retention_holds');
    await db.schema.dropTableIfExists('retention_runs');
  },
};
