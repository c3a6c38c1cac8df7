/** A fresh database per test file: a temp SQLite file, or a new MariaDB database when DATABASE_URL is mysql://. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knex from 'knex';

export interface TestDb { url: string; dataDir: string; dialect: 'sqlite' | 'mysql'; drop: () => Promise<void> }

/** True when the tests run against MySQL/MariaDB. */
export function onMysql(): boolean {
  return /^(mysql|mariadb):\/\//.test(process.env.DATABASE_URL ?? '');
}

/** Creates an empty database for one test file. */
export async function createTestDb(): Promise<TestDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psuite-'));
  const base = process.env.DATABASE_URL ?? '';
  if (!onMysql()) {
    return { url: `sqlite:${path.join(dataDir, 'suite.sqlite')}`, dataDir, dialect: 'sqlite', drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `psuite_t_${crypto.randomBytes(5).toString('hex')}`;
  const u = new URL(base.replace(/^mariadb:/, 'mysql:'));
  const admin = knex({ client: 'mysql2', connection: { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } });
  await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.destroy();
  u.pathname = `/${name}`;
  return {
    url: u.toString(), dataDir, dialect: 'mysql',
    drop: async () => {
      const a = knex({ client: 'mysql2', connection: { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } });
      await a.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      await a.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
