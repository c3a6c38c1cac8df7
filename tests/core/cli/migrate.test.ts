/** CLI migrate: up with progress, status per module, down of the kernel (with --cascade) and up again. */
import type { Knex } from 'knex';
import { createTestDb, type TestDb } from '../../helpers/test-db';
import { openDatabase } from '../../../core/db/connection';
import { runCli, runJson } from '../../helpers/run-cli';
import { KERNEL_MIGRATIONS } from '../../../core/suite';

/** The kernel's migrations, oldest first. */
const KERNEL_NAMES = KERNEL_MIGRATIONS.migrations.map((m) => m.name);

/** Tables the kernel migration creates. */
const KERNEL_TABLES = ['crypto_keys', 'audit_log', 'chain_heads', 'brands', 'disclosure_log', 'brand_toggles', 'subjects', 'subject_fields', 'api_keys', 'idempotency_keys', 'hook_failures', 'outbox', 'job_leases', 'suite_settings', 'access_failures', 'access_alerts'];

let db: TestDb;
let knex: Knex;

beforeAll(async () => {
  db = await createTestDb();
  knex = openDatabase(db.url);
});
afterAll(async () => {
  await knex.destroy();
  await db.drop();
});

async function presentKernelTables(): Promise<string[]> {
  const present: string[] = [];
  for (const t of KERNEL_TABLES) if (await knex.schema.hasTable(t)) present.push(t);
  return present;
}

describe('privacy-suite migrate', () => {
  it('applies the kernel migration first, then the modules, printing each one', async () => {
    const r = await runCli(db, ['migrate']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('applying '));
    expect(lines[0]).toMatch(/^applying core\/\d{12}-create-kernel-tables$/);
    expect(await presentKernelTables()).toEqual(KERNEL_TABLES);
  });

  it('migrate status lists the applied migrations per module, none pending', async () => {
    const out = await runJson<{ modules: { module: string; applied: string[]; pending: string[] }[] }>(db, ['migrate', 'status']);
    const core = out.modules.find((m) => m.module === 'core')!;
    expect(KERNEL_NAMES[0]).toMatch(/create-kernel-tables$/);
    expect(core.applied).toEqual(KERNEL_NAMES);
    for (const m of out.modules) expect(m.pending).toEqual([]);
  });

  it('migrate down --module core (with --cascade for the modules on top) leaves no kernel tables', async () => {
    const out = await runJson<{ rolledBack: { module: string; rolledBack: string[] }[] }>(db, ['migrate', 'down', '--module', 'core', '--cascade']);
    expect(out.rolledBack.at(-1)).toEqual({ module: 'core', rolledBack: [...KERNEL_NAMES].reverse() });
    expect(await presentKernelTables()).toEqual([]);
    const left = (await knex('suite_migrations').count({ n: '*' }).first()) as { n: number | string };
    expect(Number(left.n)).toBe(0);
  });

  it('migrate again restores the kernel tables', async () => {
    const r = await runCli(db, ['migrate', 'up', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/applying core\//);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
    expect(await presentKernelTables()).toEqual(KERNEL_TABLES);
  });
});
