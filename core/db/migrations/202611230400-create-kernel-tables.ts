/** Kernel tables: keys, chains, audit and disclosure logs, brands, switches, subjects, API keys, idempotency, hook failures. */
import type { Knex } from 'knex';
import type { Migration } from '../migrator';
import { chainColumns, createChainHeads } from '../../chain/hash-chain';

export const createKernelTables: Migration = {
  name: '202611230400-create-kernel-tables',
  async up(db: Knex) {
    await db.schema.createTable('crypto_keys', (t) => {
      t.string('id', 40).primary();
      t.text('wrapped').notNullable();
      t.string('state', 16).notNullable();
      t.bigInteger('created_at').notNullable();
    });
    await createChainHeads(db);
    await db.schema.createTable('audit_log', (t) => {
      chainColumns(t);
      t.integer('brand_id').nullable().index();
      t.string('actor', 80).notNullable();
      t.string('action', 80).notNullable().index();
      t.string('target_type', 40).nullable();
      t.string('target_id', 190).nullable();
      t.text('details').nullable();
      t.string('ip_hash', 64).nullable();
    });
    await db.schema.createTable('brands', (t) => {
      t.increments('id');
      t.string('slug', 63).notNullable().unique();
      t.string('name', 190).notNullable();
      t.string('kind', 16).notNullable();
      t.integer('parent_id').unsigned().nullable().references('id').inTable('brands');
      t.text('profile').nullable();
      t.text('hook_secret_enc').notNullable();
      t.text('prev_hook_secret_enc').nullable();
      t.bigInteger('prev_secret_expires_at').nullable();
      t.bigInteger('created_at').notNullable();
    });
    await db.schema.createTable('disclosure_log', (t) => {
      chainColumns(t);
      t.integer('brand_id').notNullable().index();
      t.bigInteger('subject_id').nullable().index();
      t.string('recipient', 64).notNullable();
      t.string('purpose', 64).notNullable();
      t.text('categories').notNullable();
      t.text('fields').notNullable();
      t.string('reference', 190).nullable();
      t.string('actor', 80).notNullable();
    });
    await db.schema.createTable('brand_toggles', (t) => {
      t.integer('brand_id').unsigned().notNullable().references('id').inTable('brands');
      t.string('kind', 16).notNullable();
      t.string('name', 128).notNullable();
      t.boolean('enabled').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.string('updated_by', 80).notNullable();
      t.primary(['brand_id', 'kind', 'name']);
    });
    await db.schema.createTable('subjects', (t) => {
      t.bigIncrements('id');
      t.integer('brand_id').unsigned().notNullable().references('id').inTable('brands');
      t.string('kind', 16).notNullable();
      t.string('external_id', 64).notNullable();
      t.bigInteger('parent_id').unsigned().nullable();
      t.string('status', 16).notNullable();
      t.string('email_hash', 64).nullable().index();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.bigInteger('closed_at').nullable();
      t.unique(['brand_id', 'kind', 'external_id']);
    });
    await db.schema.createTable('subject_fields', (t) => {
      t.bigIncrements('id');
      t.bigInteger('subject_id').unsigned().notNullable().references('id').inTable('subjects').onDelete('CASCADE');
      t.string('field', 64).notNullable();
      t.string('category', 32).notNullable();
      t.text('value_enc').notNullable();
      t.string('policy_version', 64).nullable();
      t.bigInteger('updated_at').notNullable();
      t.unique(['subject_id', 'field']);
    });
    await db.schema.createTable('api_keys', (t) => {
      t.string('id', 12).primary();
      t.string('key_hash', 64).notNullable();
      t.string('role', 16).notNullable();
      t.integer('brand_id').unsigned().nullable().references('id').inTable('brands');
      t.string('label', 190).nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('revoked_at').nullable();
    });
    await db.schema.createTable('idempotency_keys', (t) => {
      t.integer('brand_id').unsigned().notNullable();
      t.string('idem_key', 190).notNullable();
      t.string('request_hash', 64).notNullable();
      t.integer('status').notNullable();
      t.text('response').notNullable();
      t.bigInteger('created_at').notNullable().index();
      t.primary(['brand_id', 'idem_key']);
    });
    await db.schema.createTable('hook_failures', (t) => {
      t.bigIncrements('id');
      t.integer('brand_id').notNullable().index();
      t.string('hook', 64).notNullable();
      t.string('binding', 128).notNullable();
      t.string('code', 64).notNullable();
      t.string('message', 500).notNullable();
      t.string('request_id', 64).notNullable();
      t.bigInteger('created_at').notNullable();
    });
    await db.schema.createTable('outbox', (t) => {
      t.bigIncrements('id');
      t.integer('brand_id').notNullable().index();
      t.string('topic', 64).notNullable();
      t.string('recipient', 64).notNullable();
      t.string('purpose', 64).notNullable();
      t.bigInteger('subject_id').nullable();
      t.text('payload_enc').notNullable();
      t.string('idempotency_key', 190).notNullable().unique();
      t.string('state', 16).notNullable();
      t.integer('attempts').notNullable();
      t.bigInteger('next_attempt_at').notNullable();
      t.string('claimed_by', 40).nullable();
      t.bigInteger('claimed_until').nullable();
      t.string('last_error', 500).nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('delivered_at').nullable();
      t.index(['state', 'next_attempt_at']);
    });
    await db.schema.createTable('job_leases', (t) => {
      t.string('name', 128).primary();
      t.string('holder', 40).notNullable();
      t.bigInteger('expires_at').notNullable();
      t.bigInteger('acquired_at').notNullable();
    });
    await db.schema.createTable('suite_settings', (t) => {
      t.string('name', 64).primary();
      t.text('value').notNullable();
    });
  },
  async down(db: Knex) {
    for (const table of ['suite_settings', 'job_leases', 'outbox', 'hook_failures', 'idempotency_keys', 'api_keys', 'subject_fields', 'subjects', 'brand_toggles', 'disclosure_log', 'brands', 'audit_log', 'chain_heads', 'crypto_keys']) {
      await db.schema.dropTableIfExists(table);
    }
  },
};
