/** Platform orders, services, domains and invoices (no personal fields; they point at clients and payers). */
import type { Knex } from 'knex';
import type { Migration } from '../../../core/db/migrator';

/** Creates platform_orders, platform_services, platform_domains and platform_invoices. */
export const createBillingTables: Migration = {
  name: '202611240110-create-billing-tables',
  async up(db: Knex) {
    await db.schema.createTable('platform_orders', (t) => {
      t.increments('id');
      t.integer('brand_id').unsigned().notNullable().references('id').inTable('brands');
      t.integer('client_id').unsigned().notNullable().references('id').inTable('platform_clients');
      t.string('payment_method', 64).nullable();
      t.bigInteger('created_at').notNullable();
    });
    await db.schema.createTable('platform_services', (t) => {
      t.increments('id');
      t.integer('brand_id').unsigned().notNullable().references('id').inTable('brands');
      t.integer('client_id').unsigned().notNullable().references('id').inTable('platform_clients');
      t.integer('order_id').unsigned().nullable().references('id').inTable('platform_orders');
      t.string('product', 120).notNullable();
      t.string('domain', 253).nullable();
      t.string('status', 16).notNullable();
      t.decimal('amount', 10, 2).notNullable();
      t.string('status_reason', 64).nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.index(['client_id']);
    });
    await db.schema.createTable('platform_domains', (t) => {
      t.increments('id');
      t.integer('brand_id').unsigned().notNullable().references('id').inTable('brands');
      t.integer('client_id').unsigned().notNullable().references('id').inTable('platform_clients');
      t.integer('order_id').unsigned().nullable().references('id').inTable('platform_orders');
      t.string('name', 253).notNullable();
      t.string('status', 16).notNullable();
      t.boolean('idprotection').notNullable().defaultTo(false);
      t.integer('regperiod').notNullable().defaultTo(1);
      t.decimal('amount', 10, 2).notNullable();
      t.bigInteger('expiry_at').nullable();
      t.bigInteger('created_at').notNullable();
      t.index(['client_id']);
    });
    await db.schema.createTable('platform_invoices', (t) => {
      t.increments('id');
      t.integer('brand_id').unsigned().notNullable().references('id').inTable('brands');
      t.integer('client_id').unsigned().notNullable().references('id').inTable('platform_clients');
      t.integer('order_id').unsigned().nullable().references('id').inTable('platform_orders');
      t.integer('payer_id').unsigned().nullable().references('id').inTable('platform_payers');
      t.decimal('total', 10, 2).notNullable();
      t.string('status', 16).notNullable();
      t.bigInteger('paid_at').nullable();
      t.bigInteger('created_at').notNullable();
      t.index(['client_id']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('platform_invoices');
    await db.schema.dropTableIfExists('platform_domains');
    await db.schema.dropTableIfExists('platform_services');
    await db.schema.dropTableIfExists('platform_orders');
  },
};
