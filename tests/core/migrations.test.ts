/** Each module's migrations run in order, are recorded per module, and roll back cleanly with down. */
import { openDatabase } from '../../core/db/connection';
import { migrateDown, migrateUp, appliedMigrations } from '../../core/db/migrator';
import { KERNEL_MIGRATIONS } from '../../core/suite';
import { ModuleRegistry } from '../../core/modules/registry';
import { INSTALLED_MODULES } from '../../modules/installed';
import { createTestDb, type TestDb } from '../helpers/test-db';
import type { Knex } from 'knex';

let tdb: TestDb;
let db: Knex;

beforeAll(async () => {
  tdb = await createTestDb();
  db = openDatabase(tdb.url);
});
afterAll(async () => {
  await db.destroy();
  await tdb.drop();
});

async function tables(): Promise<string[]> {
  if (tdb.dialect === 'mysql') {
    const [rows] = (await db.raw('SHOW TABLES')) as unknown as [Record<string, string>[]];
    return rows.map((r) => Object.values(r)[0]).sort();
  }
  const rows = (await db.raw("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")) as { name: string }[];
  return rows.map((r) => r.name).sort();
}

describe('migrations', () => {
  const registry = new ModuleRegistry();
  registry.load(INSTALLED_MODULES);
  const sets = [KERNEL_MIGRATIONS, ...registry.migrationSets()];

  it('run every module in order, record them per module, and a second run does nothing', async () => {
    const first = await migrateUp(db, sets);
    expect(first[0].module).toBe('core');
    expect(first.every((r) => r.applied.length === sets.find((s) => s.module === r.module)!.migrations.length)).toBe(true);
    for (const s of sets) expect(await appliedMigrations(db, s.module)).toEqual(s.migrations.map((m) => m.name));
    const again = await migrateUp(db, sets);
    expect(again.every((r) => r.applied.length === 0)).toBe(true);
  });

  it('down removes each module\'s tables (modules first, kernel last) and up restores them', async () => {
    const full = await tables();
    for (const s of [...sets].reverse()) await migrateDown(db, s);
    expect(await tables()).toEqual(['suite_migrations']);
    for (const s of sets) expect(await appliedMigrations(db, s.module)).toEqual([]);
    await migrateUp(db, sets);
    expect(await tables()).toEqual(full);
  });
});
