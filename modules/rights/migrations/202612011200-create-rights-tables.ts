/**
 * Rights tables: requests and their timeline, identity verifications, export files, erasure runs and per-subject
 * erasure steps, the erased-subject suppression list, statutory billing records kept after erasure, and legal
 * disclosure requests. Personal fields are encrypted (`*_enc`); look-ups go through keyed hashes.
 */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

export const createRightsTables: Migration = {
  name: '202612011200-create-rights-tables',
  async up(db: Knex) {
    await db.schema.createTable('rights_requests', (t) => {
      t.increments('id');
      /** The brand the person is a customer of. */
      t.integer('brand_id').notNullable().index();
      /** The controller's brand whose queue holds the request (the reseller for a reseller brand, WSM-25). */
      t.integer('queue_brand_id').notNullable().index();
      t.bigInteger('subject_id').nullable().index();
      t.string('type', 24).notNullable();
      t.string('status', 24).notNullable().index();
      /** 'dsar' (a person's request) or 'reseller-removal' (a reseller's removal order to its provider). */
      t.string('sla', 24).notNullable().defaultTo('dsar');
      t.integer('parent_request_id').nullable().index();
      t.string('source', 16).notNullable();
      t.string('locale', 8).notNullable().defaultTo('en');
      /** Encrypted JSON: email, name, message, requested changes (rectify), purposes (withdraw). */
      t.text('requester_enc').notNullable();
      t.string('requester_hash', 64).nullable().index();
      t.string('verification_method', 24).nullable();
      t.bigInteger('verified_at').nullable();
      t.string('verified_by', 80).nullable();
      t.bigInteger('due_at').notNullable().index();
      t.bigInteger('original_due_at').notNullable();
      t.text('extension_reason').nullable();
      t.bigInteger('extended_at').nullable();
      t.bigInteger('reminded_at').nullable();
      /** Encrypted JSON: what the answer was (export id, erased/kept lists, rectified fields …). */
      t.text('result_enc').nullable();
      t.string('closed_reason', 190).nullable();
      t.bigInteger('fulfilled_at').nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
    });
    await db.schema.createTable('rights_request_events', (t) => {
      t.increments('id');
      t.integer('request_id').notNullable().index();
      t.string('event', 40).notNullable();
      t.string('actor', 80).notNullable();
      /** JSON without personal data (ids, field names, counts). */
      t.text('details').nullable();
      t.bigInteger('at').notNullable();
    });
    await db.schema.createTable('rights_verifications', (t) => {
      t.increments('id');
      t.integer('request_id').notNullable().index();
      t.string('code_hash', 64).notNullable();
      t.integer('attempts').notNullable().defaultTo(0);
      t.bigInteger('expires_at').notNullable();
      t.bigInteger('used_at').nullable();
      t.bigInteger('created_at').notNullable();
    });
    await db.schema.createTable('rights_exports', (t) => {
      t.increments('id');
      t.integer('request_id').notNullable().index();
      t.integer('brand_id').notNullable();
      t.string('file', 190).notNullable();
      t.bigInteger('bytes').nullable();
      t.string('sha256', 64).nullable();
      t.string('token_hash', 64).notNullable();
      t.string('state', 16).notNullable();
      t.bigInteger('expires_at').notNullable();
      t.bigInteger('downloaded_at').nullable();
      t.bigInteger('created_at').notNullable();
    });
    await db.schema.createTable('rights_erasure_runs', (t) => {
      t.increments('id');
      t.integer('brand_id').notNullable();
      t.string('actor', 80).notNullable();
      t.string('state', 16).notNullable();
      t.integer('total').notNullable();
      t.integer('done').notNullable().defaultTo(0);
      t.integer('failed').notNullable().defaultTo(0);
      t.bigInteger('created_at').notNullable();
      t.bigInteger('finished_at').nullable();
    });
    await db.schema.createTable('rights_erasures', (t) => {
      t.increments('id');
      t.integer('run_id').nullable().index();
      t.integer('request_id').nullable().index();
      t.integer('brand_id').notNullable();
      t.bigInteger('subject_id').notNullable().index();
      t.string('state', 16).notNullable().index();
      t.integer('attempts').notNullable().defaultTo(0);
      t.text('result_enc').nullable();
      t.string('error', 500).nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('finished_at').nullable();
    });
    await db.schema.createTable('rights_suppression', (t) => {
      t.increments('id');
      t.integer('brand_id').notNullable();
      /** Keyed hash of the erased person's email (blind index, purpose 'rights-erased'). */
      t.string('email_hash', 64).nullable().index();
      /** Keyed hash of kind + panel id, so a re-sent record of an erased customer is recognised. */
      t.string('subject_hash', 64).notNullable().index();
      t.integer('request_id').nullable();
      t.bigInteger('erased_at').notNullable();
    });
    await db.schema.createTable('rights_statutory_records', (t) => {
      t.increments('id');
      t.integer('brand_id').notNullable().index();
      t.bigInteger('subject_id').notNullable().index();
      t.string('source', 64).notNullable();
      t.string('record_id', 64).notNullable();
      /** Encrypted JSON: only the fields the law needs on an invoice (name, address, tax id, amount, date). */
      t.text('fields_enc').notNullable();
      t.string('legal_basis', 190).notNullable();
      t.bigInteger('keep_until').notNullable().index();
      t.bigInteger('created_at').notNullable();
    });
    await db.schema.createTable('rights_disclosure_requests', (t) => {
      t.increments('id');
      t.integer('brand_id').notNullable().index();
      t.bigInteger('subject_id').notNullable();
      /** Encrypted JSON: the requesting authority (name, contact, officer). */
      t.text('requester_enc').notNullable();
      t.string('legal_basis', 190).notNullable();
      t.string('reference', 190).nullable();
      t.text('fields').notNullable();
      t.string('status', 16).notNullable();
      t.string('requested_by', 80).notNullable();
      t.string('approver', 80).nullable();
      t.text('released').nullable();
      t.integer('disclosure_id').nullable();
      t.bigInteger('decided_at').nullable();
      t.bigInteger('created_at').notNullable();
    });
  },
  async down(db: Knex) {
    for (const table of ['rights_disclosure_requests', 'rights_statutory_records', 'rights_suppression', 'rights_erasures', 'rights_erasure_runs', 'rights_exports', 'rights_verifications', 'rights_request_events', 'rights_requests']) {
      await db.schema.dropTableIfExists(table);
    }
  },
};
