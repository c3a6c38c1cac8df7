/** `migrate [up] | down --module <name> | status`: applies, rolls back and lists each module's migrations. */
import type { Command } from 'commander';
import type { Knex } from 'knex';
import { loadConfig, ensureDataDir } from '../../config';
import { openDatabase } from '../../db/connection';
import { migrateDown, migrateUp, appliedMigrations, type MigrationSet } from '../../db/migrator';
import { KERNEL_MIGRATIONS } from '../../suite';
import { ModuleRegistry } from '../../modules/registry';
import { AuditLog } from '../../audit/audit-log';
import { CliUsageError } from '../cli-errors';
import { cliActor, cliLogger, installedModules, outputFor } from '../context';
import { wholeNumber } from '../parse';
import type { Output } from '../output';

/** Every migration set this installation ships: the kernel's, then each loaded module's. */
export function shippedMigrationSets(): MigrationSet[] {
  const log = cliLogger();
  const registry = new ModuleRegistry();
  registry.load(installedModules(), (f) => log.error({ module: f.module, reason: f.error }, 'module failed to load; its migrations are skipped'));
  return [KERNEL_MIGRATIONS, ...registry.migrationSets()];
}

async function withDb<T>(fn: (db: Knex) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  ensureDataDir(config);
  const db = openDatabase(config.databaseUrl);
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

async function audit(db: Knex, action: string, details: Record<string, unknown>): Promise<void> {
  if (await db.schema.hasTable('audit_log')) await new AuditLog(db, () => '').record({ actor: cliActor(), action, targetType: 'schema', details });
}

async function up(out: Output): Promise<void> {
  await withDb(async (db) => {
    const report = await migrateUp(db, shippedMigrationSets(), (module, name) => out.progress(`applying ${module}/${name}`));
    const total = report.reduce((n, r) => n + r.applied.length, 0);
    if (total) await audit(db, 'migrate.up', { applied: report.filter((r) => r.applied.length).map((r) => ({ module: r.module, count: r.applied.length })) });
    out.result({ ok: true, applied: report }, () => out.line(total ? `Applied ${total} migration(s).` : 'The database is up to date.'));
  });
}

async function modulesWithApplied(db: Knex): Promise<string[]> {
  if (!(await db.schema.hasTable('suite_migrations'))) return [];
  return ((await db('suite_migrations').distinct('module').orderBy('module')) as { module: string }[]).map((r) => r.module);
}

async function rollBack(db: Knex, set: MigrationSet, steps: number, out: Output): Promise<string[]> {
  const undone: string[] = [];
  // One at a time, so progress is printed per migration.
  while (undone.length < steps) {
    const [name] = await migrateDown(db, set, 1);
    if (!name) break;
    out.progress(`rolled back ${set.module}/${name}`);
    undone.push(name);
  }
  return undone;
}

async function down(opts: { module: string; steps?: number; cascade?: boolean }, out: Output): Promise<void> {
  const sets = shippedMigrationSets();
  const set = sets.find((s) => s.module === opts.module);
  await withDb(async (db) => {
    const applied = await modulesWithApplied(db);
    if (!set) {
      const hint = applied.includes(opts.module) ? 'its migrations are recorded but the module is not installed, so they cannot be rolled back' : `known modules: ${sets.map((s) => s.module).join(', ')}`;
      throw new CliUsageError(`no migrations for module "${opts.module}": ${hint}`);
    }
    const result: { module: string; rolledBack: string[] }[] = [];
    if (set.module === KERNEL_MIGRATIONS.module) {
      // Every module's tables hang off the kernel's; they go first.
      const dependents = applied.filter((m) => m !== set.module);
      if (dependents.length && !opts.cascade) {
        throw new CliUsageError(`module(s) ${dependents.join(', ')} still have migrations applied; roll them back first (migrate down --module <name>) or pass --cascade`);
      }
      const orphans = dependents.filter((m) => !sets.some((s) => s.module === m));
      if (orphans.length) throw new CliUsageError(`module(s) ${orphans.join(', ')} have migrations applied but are not installed; cannot roll back the kernel under them`);
      for (const dep of [...sets].reverse().filter((s) => dependents.includes(s.module))) result.push({ module: dep.module, rolledBack: await rollBack(db, dep, Infinity, out) });
    }
    const rolledBack = await rollBack(db, set, opts.steps ?? Infinity, out);
    result.push({ module: set.module, rolledBack });
    await audit(db, 'migrate.down', { modules: result.map((r) => ({ module: r.module, count: r.rolledBack.length })) });
    const total = result.reduce((n, r) => n + r.rolledBack.length, 0);
    out.result({ ok: true, rolledBack: result }, () => out.line(total ? `Rolled back ${total} migration(s).` : `Nothing to roll back for "${set.module}".`));
  });
}

async function status(out: Output): Promise<void> {
  const sets = shippedMigrationSets();
  await withDb(async (db) => {
    const modules = [...new Set([...sets.map((s) => s.module), ...(await modulesWithApplied(db))])];
    const rows: { module: string; installed: boolean; applied: string[]; pending: string[] }[] = [];
    for (const module of modules) {
      const applied = await appliedMigrations(db, module);
      const shipped = sets.find((s) => s.module === module)?.migrations.map((m) => m.name);
      rows.push({ module, installed: Boolean(shipped), applied, pending: (shipped ?? []).filter((n) => !applied.includes(n)) });
    }
    out.result({ modules: rows }, () => {
      for (const r of rows) {
        out.line(`${r.module}${r.installed ? '' : ' (not installed)'}: ${r.applied.length} applied, ${r.pending.length} pending`);
        for (const n of r.applied) out.line(`  applied  ${n}`);
        for (const n of r.pending) out.line(`  pending  ${n}`);
      }
    });
  });
}

/** Registers `migrate` and its subcommands (`up` is the default). */
export function registerMigrate(program: Command): void {
  const migrate = program.command('migrate')
    .description('Apply the kernel\'s and every installed module\'s pending migrations (default), roll a module back, or show what is applied.');

  migrate.command('up', { isDefault: true })
    .description('Apply every pending migration, kernel first, then each module in load order; prints each one as it runs.')
    .option('--json', 'print the result as JSON (progress goes to stderr)')
    .action((opts: { json?: boolean }) => up(outputFor(opts)));

  migrate.command('down')
    .description('Roll back one module\'s migrations, newest first (all of them unless --steps). Rolling back "core" drops the kernel tables and needs every module rolled back first (--cascade does that). Data in those tables is lost.')
    .requiredOption('--module <name>', 'the module to roll back ("core" for the kernel)')
    .option('--steps <n>', 'roll back only the newest N migrations', wholeNumber(1))
    .option('--cascade', 'with --module core: roll back every module first')
    .option('--json', 'print the result as JSON (progress goes to stderr)')
    .action((opts: { module: string; steps?: number; cascade?: boolean; json?: boolean }) => down(opts, outputFor(opts)));

  migrate.command('status')
    .description('List, per module, the migrations applied to the database and those still pending.')
    .option('--json', 'print the result as JSON')
    .action((opts: { json?: boolean }) => status(outputFor(opts)));
}
