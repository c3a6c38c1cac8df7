/** Bench databases: a temp SQLite file, or a fresh MariaDB/MySQL database created and dropped by the bench. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knex from 'knex';

/** A database the bench owns for one run. */
export interface BenchDb { dialect: 'sqlite' | 'mysql'; url: string; dataDir: string; drop: () => Promise<void> }

/** The MySQL server the bench uses: BENCH_MYSQL_URL, else a mysql:// DATABASE_URL, else the local default. */
export function mysqlBase(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BENCH_MYSQL_URL) return env.BENCH_MYSQL_URL;
  if (/^(mysql|mariadb):\/\//.test(env.DATABASE_URL ?? '')) return env.DATABASE_URL!;
  return 'mysql://root@127.0.0.1:3306/test';
}

function serverConnection(u: URL) {
  return { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), connectTimeout: 3000 };
}

/** A temp SQLite database. */
export function sqliteDb(): BenchDb {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psuite-bench-'));
  return { dialect: 'sqlite', url: `sqlite:${path.join(dataDir, 'suite.sqlite')}`, dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

/** Creates a fresh MySQL database, or returns the reason it cannot (server unreachable). */
export async function mysqlDb(base = mysqlBase()): Promise<BenchDb | { unavailable: string }> {
  const u = new URL(base.replace(/^mariadb:/, 'mysql:'));
  const name = `psuite_bench_${crypto.randomBytes(4).toString('hex')}`;
  const admin = knex({ client: 'mysql2', connection: serverConnection(u), pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } catch (err) {
    return { unavailable: `${u.host}: ${(err as Error).message}` };
  } finally {
    await admin.destroy();
  }
  u.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psuite-bench-'));
  return {
    dialect: 'mysql', url: u.toString(), dataDir,
    drop: async () => {
      const a = knex({ client: 'mysql2', connection: serverConnection(u), pool: { min: 0, max: 1 } });
      await a.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      await a.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `bench` on each dialect in turn, on a fresh database dropped afterwards; a MariaDB that cannot be reached is
 * reported through `skipped`, not fatal.
 */
export async function forEachDialect<R>(dialects: ('sqlite' | 'mysql')[], skipped: (dialect: 'sqlite' | 'mysql', reason: string) => R, bench: (db: BenchDb) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const dialect of dialects) {
    const db = dialect === 'sqlite' ? sqliteDb() : await mysqlDb();
    if ('unavailable' in db) {
      out.push(skipped(dialect, db.unavailable));
      continue;
    }
    try {
      out.push(await bench(db));
    } finally {
      await db.drop();
    }
  }
  return out;
}

/** The dialects a `--dialect sqlite|mysql|all` value names; anything else is a usage error. */
export function parseDialects(value: string | undefined): ('sqlite' | 'mysql')[] {
  if (value !== 'sqlite' && value !== 'mysql' && value !== 'all') throw new Error('--dialect must be sqlite, mysql or all');
  return value === 'all' ? ['sqlite', 'mysql'] : [value];
}
