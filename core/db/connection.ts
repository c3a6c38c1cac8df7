/** Opens the knex connection from DATABASE_URL: sqlite:<file> (embedded default) or mysql://… (MySQL/MariaDB). */
import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';

export type Dialect = 'sqlite' | 'mysql';

/** Which dialect a DATABASE_URL names. */
export function dialectOf(url: string): Dialect {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^(mysql|mariadb):\/\//.test(url)) return 'mysql';
  throw new Error(`DATABASE_URL must start with sqlite: or mysql:// (got "${url.split(':')[0]}:")`);
}

/** Creates a knex instance; SQLite gets WAL, foreign keys and a busy timeout. */
export function openDatabase(url: string, opts: { poolMax?: number } = {}): Knex {
  const dialect = dialectOf(url);
  if (dialect === 'sqlite') {
    const file = url.replace(/^sqlite:(\/\/)?/, '');
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return knex({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate: (conn: { pragma: (s: string) => void }, done: (err: Error | null, conn: unknown) => void) => {
          conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = NORMAL');
          conn.pragma('foreign_keys = ON');
          conn.pragma('busy_timeout = 5000');
          done(null, conn);
        },
      },
    });
  }
  return knex({
    client: 'mysql2',
    connection: { uri: url.replace(/^mariadb:/, 'mysql:'), charset: 'utf8mb4', supportBigNumbers: true, bigNumberStrings: false } as unknown as Knex.MySql2ConnectionConfig,
    pool: { min: 0, max: opts.poolMax ?? 10, afterCreate: mysqlSession },
  });
}

/** MySQL's "unknown system variable": the server is not MariaDB. */
const ER_UNKNOWN_SYSTEM_VARIABLE = 1193;

/**
 * Session settings for every MySQL/MariaDB connection. MariaDB turns an IN list of 1,000 values or more into a join
 * with a derived table (`in_predicate_conversion_threshold`), and then may scan a whole secondary index instead of
 * looking each value up: a batch of 1,000 ids read `rights_erasures` end to end, so a sweep got slower with every
 * batch. The suite's IN lists are id look-ups: the conversion is turned off. MySQL has no such variable.
 */
function mysqlSession(conn: { query: (sql: string, cb: (err: { errno?: number } | null) => void) => void }, done: (err: Error | null, conn: unknown) => void): void {
  conn.query('SET SESSION in_predicate_conversion_threshold = 0', (err) => {
    done(err && err.errno !== ER_UNKNOWN_SYSTEM_VARIABLE ? (err as Error) : null, conn);
  });
}

/** The dialect of an open knex instance. */
export function dialectOfKnex(db: Knex): Dialect {
  const client = (db.client as { config: { client: string } }).config.client;
  return client === 'mysql2' || client === 'mysql' ? 'mysql' : 'sqlite';
}

/** Current time in epoch milliseconds; every timestamp column in the suite holds this. */
export function now(): number {
  return Date.now();
}
