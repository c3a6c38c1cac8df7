/** Admin panel users (password, optional TOTP, lockout) and their sessions, stored so that any instance serves them. */
import type { Knex } from 'knex';
import type { Migration } from '../migrator';

export const createAdminUsers: Migration = {
  name: '202612221000-create-admin-users',
  async up(db: Knex) {
    await db.schema.createTable('admin_users', (t) => {
      t.increments('id');
      t.string('email', 254).notNullable().unique();
      // scrypt$<N>$<r>$<p>$<salt>$<hash>: the parameters travel with the hash, so they can be raised later.
      t.string('password_hash', 255).notNullable();
      t.string('role', 32).notNullable();
      t.integer('brand_id').unsigned().nullable().references('id').inTable('brands');
      t.text('totp_secret_enc').nullable();
      // The last TOTP time step accepted: a code is good once (no replay within its window).
      t.bigInteger('totp_last_step').nullable();
      t.integer('failed_attempts').notNullable().defaultTo(0);
      t.bigInteger('failed_window_start').nullable();
      t.bigInteger('locked_until').nullable();
      t.bigInteger('disabled_at').nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('last_login_at').nullable();
    });
    // Keyed by the SHA-256 of the cookie's token: a stolen table does not yield a session.
    await db.schema.createTable('admin_sessions', (t) => {
      t.string('id_hash', 64).primary();
      t.integer('user_id').unsigned().notNullable().references('id').inTable('admin_users').onDelete('CASCADE');
      t.bigInteger('created_at').notNullable();
      t.bigInteger('last_seen_at').notNullable();
      t.bigInteger('expires_at').notNullable().index();
      t.index(['user_id']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('admin_sessions');
    await db.schema.dropTableIfExists('admin_users');
  },
};
