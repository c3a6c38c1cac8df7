/** Consent tables: policy documents, the hash-chained consent ledger, derived state, suppression list, tokens, templates. */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';
import { chainColumns } from '../../../core/chain/hash-chain';

export const createConsentTables: Migration = {
  name: '202611231000-create-consent-tables',
  async up(db: Knex) {
    await db.schema.createTable('consent_documents', (t) => {
      t.increments('id');
      t.integer('brand_id').notNullable();
      t.string('kind', 16).notNullable();
      t.string('language', 8).notNullable();
      t.string('version', 32).notNullable();
      t.string('text_hash', 64).notNullable();
      t.text('body').notNullable();
      t.boolean('material').notNullable();
      t.bigInteger('published_at').notNullable();
      t.bigInteger('effective_at').notNullable();
      t.string('created_by', 80).notNullable();
      t.unique(['brand_id', 'kind', 'language', 'version']);
      t.index(['brand_id', 'kind', 'language', 'effective_at']);
    });
    await db.schema.createTable('consent_ledger', (t) => {
      chainColumns(t);
      t.string('receipt_id', 40).notNullable().unique();
      t.integer('brand_id').notNullable();
      t.string('controller', 190).notNullable();
      t.bigInteger('subject_id').nullable().index();
      t.string('subject_key', 64).notNullable();
      t.string('purpose', 40).notNullable();
      t.string('action', 16).notNullable();
      t.string('method', 24).notNullable();
      t.string('channel', 16).notNullable();
      t.string('collection_point', 24).notNullable();
      t.integer('document_id').nullable();
      t.string('document_version', 32).nullable();
      t.string('document_hash', 64).nullable();
      t.string('banner_version', 32).nullable();
      t.string('ip_hash', 64).nullable();
      t.string('ua_hash', 64).nullable();
      // Outside the hash: personal values, erasable without breaking the chain.
      t.text('ip_enc').nullable();
      t.text('ua_enc').nullable();
      t.index(['brand_id', 'subject_key', 'purpose']);
    });
    await db.schema.createTable('consent_state', (t) => {
      t.integer('brand_id').notNullable();
      t.string('subject_key', 64).notNullable();
      t.string('purpose', 40).notNullable();
      t.bigInteger('subject_id').nullable().index();
      t.string('action', 16).notNullable();
      t.string('method', 24).notNullable();
      t.string('receipt_id', 40).notNullable();
      t.string('document_version', 32).nullable();
      t.bigInteger('seq').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.primary(['brand_id', 'subject_key', 'purpose']);
    });
    await db.schema.createTable('consent_suppression', (t) => {
      t.integer('brand_id').notNullable();
      t.string('address_hash', 64).notNullable();
      t.string('channel', 16).notNullable();
      t.string('reason', 32).notNullable();
      t.bigInteger('created_at').notNullable();
      t.primary(['brand_id', 'address_hash', 'channel']);
    });
    await db.schema.createTable('consent_tokens', (t) => {
      t.string('token_hash', 64).primary();
      t.integer('brand_id').notNullable();
      t.bigInteger('subject_id').notNullable();
      t.string('purpose', 40).notNullable();
      t.bigInteger('expires_at').notNullable();
      t.bigInteger('used_at').nullable();
    });
    await db.schema.createTable('consent_templates', (t) => {
      t.increments('id');
      t.integer('brand_id').nullable();
      t.string('messagename', 190).notNullable();
      t.string('class', 16).notNullable();
      t.unique(['brand_id', 'messagename']);
    });
    await db.schema.createTable('consent_withdrawals', (t) => {
      t.bigIncrements('id');
      t.integer('brand_id').notNullable();
      t.bigInteger('subject_id').notNullable();
      t.string('receipt_id', 40).notNullable();
      t.string('status', 16).notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('resolved_at').nullable();
    });
  },
  async down(db: Knex) {
    for (const table of ['consent_withdrawals', 'consent_templates', 'consent_tokens', 'consent_suppression', 'consent_state', 'consent_ledger', 'consent_documents']) {
      await db.schema.dropTableIfExists(table);
    }
    await db('chain_heads').where({ chain: 'consent_ledger' }).delete();
  },
};
