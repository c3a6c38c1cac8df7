/**
 * The tables every gateway keeps, one set per gateway (`<g>_payments`, `<g>_events`, `<g>_tokens`): payments hold
 * opaque processor ids and amounts only; events make each webhook apply once; tokens hold the `payment-token`
 * category (customer / payment-method / vault ids, card brand, last four, expiry), sealed with the keyring.
 */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';
import type { GatewayName } from './contract';

/** The table names of gateway `g`. */
export function gatewayTables(g: GatewayName): { payments: string; events: string; tokens: string } {
  return { payments: `${g}_payments`, events: `${g}_events`, tokens: `${g}_tokens` };
}

/** The migration that creates gateway `g`'s tables (each gateway module lists its own, named after it). */
export function createGatewayTables(g: GatewayName, name: string): Migration {
  const t = gatewayTables(g);
  return {
    name,
    async up(db: Knex) {
      await db.schema.createTable(t.payments, (c) => {
        c.increments('id').primary();
        c.integer('brand_id').unsigned().notNullable().references('id').inTable('brands');
        c.integer('invoice_id').notNullable();
        /** Who paid: the client's subject, or a third-party payer's own subject (ESM-2). */
        c.integer('subject_id').nullable();
        /** The processor's checkout reference (Stripe session id, PayPal order id). */
        c.string('reference', 255).notNullable();
        /** The processor's payment (Stripe payment intent, PayPal capture id), once paid. */
        c.string('transaction_id', 255).nullable();
        c.string('status', 20).notNullable();
        c.decimal('amount', 12, 2).notNullable();
        c.decimal('refunded', 12, 2).notNullable().defaultTo(0);
        c.string('currency', 3).notNullable();
        /** test | live: the key the payment went through. */
        c.string('mode', 4).notNullable();
        /** The processor's decline or failure code, never its message (which may quote the payer). */
        c.string('failure_code', 80).nullable();
        c.bigInteger('created_at').notNullable();
        c.bigInteger('updated_at').notNullable();
        c.unique(['brand_id', 'reference']);
        c.index(['brand_id', 'invoice_id']);
        c.index(['subject_id']);
      });
      await db.schema.createTable(t.events, (c) => {
        c.increments('id').primary();
        c.integer('brand_id').unsigned().notNullable().references('id').inTable('brands');
        c.string('event_id', 255).notNullable();
        c.string('type', 120).notNullable();
        /** applied | ignored | failed (verified, but applying it threw; the processor sends it again). */
        c.string('outcome', 12).notNullable();
        c.integer('attempts').notNullable().defaultTo(1);
        /** The error's code or class and message without values, for the admin's webhook failure list. */
        c.string('error', 400).nullable();
        c.bigInteger('received_at').notNullable();
        c.bigInteger('updated_at').notNullable();
        c.unique(['brand_id', 'event_id']);
        c.index(['brand_id', 'outcome']);
      });
      await db.schema.createTable(t.tokens, (c) => {
        c.increments('id').primary();
        c.integer('brand_id').unsigned().notNullable().references('id').inTable('brands');
        c.integer('subject_id').notNullable();
        /** The sealed token record (JSON): processor ids and the card's brand, last four and expiry. */
        c.text('token_enc').notNullable();
        /** Blind index of the processor's customer (or payer) id, to find the record a webhook names. */
        c.string('customer_hash', 64).nullable();
        c.bigInteger('created_at').notNullable();
        c.bigInteger('updated_at').notNullable();
        c.index(['subject_id']);
        c.index(['brand_id', 'customer_hash']);
      });
    },
    async down(db: Knex) {
      await db.schema.dropTableIfExists(t.tokens);
      await db.schema.dropTableIfExists(t.events);
      await db.schema.dropTableIfExists(t.payments);
    },
  };
}
