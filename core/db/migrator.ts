/** Runs each module's own migrations in order and records them per module in suite_migrations. */
import type { Knex } from 'knex';
import { dialectOfKnex } from './connection';

/** One migration: a stable name (YYYYMMDDHHmm-verb-noun) with up and down. */
export interface Migration {
  name: string;
  up: (db: Knex) => Promise<void>;
  down: (db: Knex) => Promise<void>;
}

/** A module's migrations, in the order they must run. */
export interface MigrationSet { module: string; migrations: Migration[] }

const TABLE = 'suite_migrations';

async function ensureTable(db: Knex): Promise<void> {
  if (await db.schema.hasTable(TABLE)) return;
  await db.schema.createTable(TABLE, (t) => {
    t.increments('id');
    t.string('module', 64).notNullable();
    t.string('name', 128).notNullable();
    t.integer('batch').notNullable();
    t.bigInteger('migrated_at').notNullable();
    t.unique(['module', 'name']);
  });
}

async function withLock<T>(db: Knex, fn: () => Promise<T>): Promise<T> {
  if (dialectOfKnex(db) !== 'mysql') return fn();
  // One migrator at a time across instances sharing a MySQL/MariaDB.
  return db.transaction(async (trx) => {
    const [rows] = (await trx.raw("SELECT GET_LOCK('privacy_suite_migrations', 120) AS l")) as unknown as [{ l: number }[]];
    if (!rows[0] || rows[0].l !== 1) throw new Error('could not take the migration lock within 120 s');
    try {
      return await fn();
    } finally {
      await trx.raw("SELECT RELEASE_LOCK('privacy_suite_migrations')");
    }
  });
}

/** What a migrate run did, per module. */
export interface MigrateReport { module: string; applied: string[] }

/** Applies every pending migration of every set, in set order then file order. */
export async function migrateUp(db: Knex, sets: MigrationSet[], onProgress?: (module: string, name: string) => void): Promise<MigrateReport[]> {
  await ensureTable(db);
  return withLock(db, async () => {
    const done = new Set((await db(TABLE).select('module', 'name')).map((r: { module: string; name: string }) => `${r.module}/${r.name}`));
    const max = (await db(TABLE).max({ b: 'batch' }).first()) as { b: number | null } | undefined;
    const batch = (max?.b ?? 0) + 1;
    const report: MigrateReport[] = [];
    for (const set of sets) {
      const applied: string[] = [];
      for (const m of set.migrations) {
        if (done.has(`${set.module}/${m.name}`)) continue;
        onProgress?.(set.module, m.name);
        await m.up(db);
        await db(TABLE).insert({ module: set.module, name: m.name, batch, migrated_at: Date.now() });
        applied.push(m.name);
      }
      report.push({ module: set.module, applied });
    }
    return report;
  });
}

/** Rolls back one module's applied migrations, newest first (all of them unless `steps` is given). */
export async function migrateDown(db: Knex, set: MigrationSet, steps = Infinity): Promise<string[]> {
  await ensureTable(db);
  return withLock(db, async () => {
    const applied = (await db(TABLE).where({ module: set.module }).orderBy('id', 'desc').select('name')) as { name: string }[];
    const undone: string[] = [];
    for (const row of applied.slice(0, steps === Infinity ? applied.length : steps)) {
      const m = set.migrations.find((x) => x.name === row.name);
      if (!m) throw new Error(`migration ${set.module}/${row.name} is recorded but no longer shipped; cannot roll it back`);
      await m.down(db);
      await db(TABLE).where({ module: set.module, name: m.name }).delete();
      undone.push(m.name);
    }
    return undone;
  });
}

/** Names of the migrations recorded for a module, oldest first. */
export async function appliedMigrations(db: Knex, module: string): Promise<string[]> {
  await ensureTable(db);
  return (await db(TABLE).where({ module }).orderBy('id').select('name')).map((r: { name: string }) => r.name);
}
