/** The addon module's configuration, activation, deactivation and upgrade, run with PHP on a SQLite WHMCS database. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runWhmcs, stepResult } from '../helpers/whmcs-php';

const ADDON = 'modules/addons/privacysuite/privacysuite.php';
const TABLES = "select name from sqlite_master where type = 'table' and name like 'mod_privacysuite%' order by name";
const COLUMNS = "select name from pragma_table_info('mod_privacysuite_queue') order by cid";

interface Field { FriendlyName: string; Type: string; Description?: string; Options?: string; Default?: string }

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whmcs-addon-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('config: name, description, version, author, language and a described field for every setting; the secret as a password', async () => {
  const run = await runWhmcs({ include: [ADDON], steps: [{ call: 'privacysuite_config' }, { php: 'return \\WHMCS\\Module\\Addon\\Privacysuite\\SuiteClient::VERSION;' }] });
  expect(run.output).toBe('');
  const config = stepResult<{ name: string; description: string; version: string; author: string; language: string; fields: Record<string, Field> }>(run, 0);
  expect(config).toMatchObject({ name: 'Privacy Suite', author: expect.any(String), language: 'english', version: stepResult(run, 1) });
  expect(config.description.length).toBeGreaterThan(20);
  expect(Object.keys(config.fields).sort()).toEqual([
    'brand', 'connect_timeout_seconds', 'delete_data_on_deactivate', 'fail_mode_checkout', 'fail_mode_contact', 'fail_mode_details',
    'fail_mode_email', 'hook_secret', 'registrar_module', 'suite_url', 'timeout_seconds',
  ]);
  for (const f of Object.values(config.fields)) {
    expect(f.FriendlyName).toEqual(expect.any(String));
    expect(f.Description).toEqual(expect.any(String));
    expect(['text', 'password', 'yesno', 'dropdown']).toContain(f.Type);
  }
  expect(config.fields.hook_secret.Type).toBe('password');
  expect(config.fields.delete_data_on_deactivate.Type).toBe('yesno');
  expect(config.fields.timeout_seconds.Default).toBe('5');
  expect(config.fields.connect_timeout_seconds.Default).toBe('2');
  for (const k of ['fail_mode_checkout', 'fail_mode_details', 'fail_mode_contact']) {
    expect(config.fields[k]).toMatchObject({ Type: 'dropdown', Options: 'open,closed', Default: 'open' });
  }
  expect(config.fields.fail_mode_email).toMatchObject({ Type: 'dropdown', Options: 'closed,open', Default: 'closed' });
  expect(run.warnings).toEqual([]);
});

it('activate creates the queue and cache tables, the queue with its columns and unique idempotency key, and is idempotent', async () => {
  const db = path.join(dir, 'activate.sqlite');
  const run = await runWhmcs({
    db, include: [ADDON],
    steps: [
      { call: 'privacysuite_activate' }, { call: 'privacysuite_activate' }, { sql: TABLES }, { sql: COLUMNS },
      { sql: "insert into mod_privacysuite_queue (hook, idempotency_key, body, created_at) values ('ClientAdd', 'k1', '{}', '2026-01-01 00:00:00')" },
      { sql: "insert into mod_privacysuite_queue (hook, idempotency_key, body, created_at) values ('ClientAdd', 'k1', '{}', '2026-01-01 00:00:00')" },
      { sql: 'select hook, attempts, last_error, next_attempt_at, delivered_at from mod_privacysuite_queue' },
    ],
  });
  expect(stepResult(run, 0)).toEqual({ status: 'success', description: expect.any(String) });
  expect(stepResult(run, 1)).toEqual({ status: 'success', description: expect.any(String) });
  expect(stepResult(run, 2)).toEqual([{ name: 'mod_privacysuite_cache' }, { name: 'mod_privacysuite_queue' }]);
  expect(stepResult<{ name: string }[]>(run, 3).map((c) => c.name)).toEqual([
    'id', 'hook', 'idempotency_key', 'body', 'attempts', 'last_error', 'next_attempt_at', 'created_at', 'delivered_at',
  ]);
  expect(run.steps[5].error?.message).toMatch(/UNIQUE constraint failed: mod_privacysuite_queue\.idempotency_key/);
  expect(stepResult(run, 6)).toEqual([{ hook: 'ClientAdd', attempts: 0, last_error: null, next_attempt_at: null, delivered_at: null }]);
  expect(run.warnings).toEqual([]);
});

it('deactivate keeps the queue unless "delete data on deactivation" is ticked, then drops it', async () => {
  const db = path.join(dir, 'deactivate.sqlite');
  await runWhmcs({ db, include: [ADDON], steps: [{ call: 'privacysuite_activate' },
    { sql: "insert into mod_privacysuite_queue (hook, idempotency_key, body) values ('ClientAdd', 'k', '{}')" }] });
  const keep = await runWhmcs({ db, settings: { suite_url: 'https://s.example', brand: 'b', hook_secret: 's' }, include: [ADDON],
    steps: [{ call: 'privacysuite_deactivate' }, { sql: 'select count(*) as n from mod_privacysuite_queue' }] });
  expect(stepResult(keep, 0)).toEqual({ status: 'success', description: expect.stringMatching(/kept/) });
  expect(stepResult(keep, 1)).toEqual([{ n: 1 }]);
  const drop = await runWhmcs({ db, settings: { delete_data_on_deactivate: true }, include: [ADDON], steps: [{ call: 'privacysuite_deactivate' }, { sql: TABLES }] });
  expect(stepResult(drop, 0)).toEqual({ status: 'success', description: expect.stringMatching(/dropped/) });
  expect(stepResult(drop, 1)).toEqual([]);
});

it('upgrade from an older version creates what is missing and keeps what is there', async () => {
  const db = path.join(dir, 'upgrade.sqlite');
  const run = await runWhmcs({ db, include: [ADDON], steps: [
    { call: 'privacysuite_upgrade', args: [{ version: '0.9.0' }] }, { sql: TABLES },
    { sql: "insert into mod_privacysuite_queue (hook, idempotency_key, body) values ('ClientAdd', 'k', '{}')" },
    { call: 'privacysuite_upgrade', args: [{ version: '1.0.0' }] }, { sql: 'select count(*) as n from mod_privacysuite_queue' },
  ] });
  expect(stepResult(run, 0)).toEqual({ status: 'success', description: expect.any(String) });
  expect(stepResult(run, 1)).toEqual([{ name: 'mod_privacysuite_cache' }, { name: 'mod_privacysuite_queue' }]);
  expect(stepResult(run, 4)).toEqual([{ n: 1 }]);
  expect(run.moduleLog.filter((l) => l.action === 'upgrade').map((l) => l.request)).toEqual([{ from: '0.9.0' }, { from: '1.0.0' }]);
});

it('a database failure answers WHMCS\'s error form and is logged, never thrown', async () => {
  const run = await runWhmcs({ include: [ADDON], steps: [
    { php: "\\WHMCS\\Database\\Capsule::connection()->getPdo()->exec('create view mod_privacysuite_queue as select 1'); return true;" },
    { call: 'privacysuite_activate' },
  ] });
  expect(stepResult(run, 1)).toEqual({ status: 'error', description: expect.stringMatching(/^Privacy Suite could not create its tables/) });
  expect(run.moduleLog).toEqual([expect.objectContaining({ module: 'privacysuite', action: 'activate' })]);
});
