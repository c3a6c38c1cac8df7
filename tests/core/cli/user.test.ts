/** `privacy-suite user create|list|disable`: admin panel users from the command line, the password never in argv. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { createTestDb, type TestDb } from '../../helpers/test-db';
import { withTestSuite, createBrand } from '../../helpers/test-suite';
import { cliEnv, runCli, runJson, type CliRun } from '../../helpers/run-cli';
import { AdminUsers } from '../../../core/users/admin-users';

const BIN = path.resolve(__dirname, '../../../bin/privacy-suite.js');
const PASSWORD = 'correct horse battery staple';

/** otplib's self-contained browser build: its package's ESM-only dependencies do not load under jest. */
const otplib = vm.runInThisContext(`${fs.readFileSync(require.resolve('otplib').replace(/index\.cjs$/, 'index.global.js'), 'utf8')}\n;otplib`) as { generate: (o: { secret: string }) => Promise<string> };

/** Runs the CLI with `stdin` piped in. */
function runWithStdin(db: TestDb, args: string[], stdin: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: db.dataDir, env: cliEnv(db), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

let db: TestDb;

beforeAll(async () => {
  db = await createTestDb();
  await withTestSuite(db, async (t) => {
    await createBrand(t.suite, 'acme');
    await createBrand(t.suite, 'acme-resell', { parent: 'acme', profile: { controller: { name: 'Resell Co', email: 'privacy@resell.example', country: 'DE' } } });
  });
});
afterAll(() => db.drop());

describe('privacy-suite user', () => {
  it('user create reads the password from stdin, stores only a scrypt hash, and the user can authenticate', async () => {
    const r = await runWithStdin(db, ['user', 'create', '--email', 'Owner@Example.com', '--role', 'owner', '--json'], `${PASSWORD}\n`);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ email: 'owner@example.com', role: 'owner', brand: null, totp: false, disabled: false, otpauthUri: null });
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    await withTestSuite(db, async (t) => {
      const row = (await t.suite.kernel.db('admin_users').where({ email: 'owner@example.com' }).first()) as { password_hash: string };
      expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(row.password_hash).not.toContain(PASSWORD);
      const p = await new AdminUsers(t.suite.kernel).authenticate({ email: 'owner@example.com', password: PASSWORD }, '127.0.0.1');
      expect(p).toMatchObject({ role: 'owner', brandIds: null, email: 'owner@example.com' });
      const audit = await t.suite.kernel.audit.list({ action: 'user.create' });
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit)).not.toContain(PASSWORD);
    });
  });

  it('user create --totp prints the otpauth:// URI once and stores the secret encrypted', async () => {
    const out = JSON.parse((await runWithStdin(db, ['user', 'create', '--email', 'ops@example.com', '--role', 'admin', '--totp', '--json'], PASSWORD)).stdout) as { otpauthUri: string; totp: boolean };
    expect(out.totp).toBe(true);
    expect(out.otpauthUri).toMatch(/^otpauth:\/\/totp\/Privacy%20Suite:ops%40example\.com\?secret=[A-Z2-7]+/);
    const secret = new URL(out.otpauthUri).searchParams.get('secret')!;
    await withTestSuite(db, async (t) => {
      const row = (await t.suite.kernel.db('admin_users').where({ email: 'ops@example.com' }).first()) as { totp_secret_enc: string };
      expect(row.totp_secret_enc).toMatch(/^v1\./);
      expect(row.totp_secret_enc).not.toContain(secret);
      const users = new AdminUsers(t.suite.kernel);
      await expect(users.authenticate({ email: 'ops@example.com', password: PASSWORD }, '127.0.0.1')).rejects.toMatchObject({ code: 'SUITE_AUTH_INVALID' });
      const p = await users.authenticate({ email: 'ops@example.com', password: PASSWORD, code: await otplib.generate({ secret }) }, '127.0.0.1');
      expect(p.role).toBe('admin');
    });
    const list = await runCli(db, ['user', 'list', '--json']);
    expect(list.stdout).not.toContain(secret);
  });

  it('a reseller user needs --brand, and a short password, a duplicate e-mail or an empty stdin are refused', async () => {
    const noBrand = await runWithStdin(db, ['user', 'create', '--email', 'r@example.com', '--role', 'reseller'], PASSWORD);
    expect(noBrand.code).toBe(1);
    expect(noBrand.stderr).toContain('brand');
    const short = await runWithStdin(db, ['user', 'create', '--email', 'r@example.com', '--role', 'reseller', '--brand', 'acme-resell'], 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 12 characters');
    expect((await runWithStdin(db, ['user', 'create', '--email', 'r@example.com', '--role', 'reseller', '--brand', 'acme-resell'], PASSWORD)).code).toBe(0);
    const dup = await runWithStdin(db, ['user', 'create', '--email', 'R@example.com', '--role', 'auditor'], PASSWORD);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');
    const empty = await runWithStdin(db, ['user', 'create', '--email', 'x@example.com', '--role', 'auditor'], '');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no password on stdin');
  });

  it('user list shows every user with role and brand and never a hash', async () => {
    const list = await runJson<Record<string, unknown>[]>(db, ['user', 'list']);
    expect(list.map((u) => [u.email, u.role, u.brand])).toEqual([
      ['ops@example.com', 'admin', null], ['owner@example.com', 'owner', null], ['r@example.com', 'reseller', 'acme-resell'],
    ]);
    const human = await runCli(db, ['user', 'list']);
    expect(human.stdout).toMatch(/^EMAIL\s+ROLE\s+BRAND/m);
    expect(human.stdout).not.toContain('scrypt');
  });

  it('user disable refuses further log-ins and ends open sessions', async () => {
    await withTestSuite(db, async (t) => {
      const p = await new AdminUsers(t.suite.kernel).authenticate({ email: 'r@example.com', password: PASSWORD }, '127.0.0.1');
      await t.suite.kernel.db('admin_sessions').insert({ id_hash: 'f'.repeat(64), user_id: p.userId, created_at: Date.now(), last_seen_at: Date.now(), expires_at: Date.now() + 60_000 });
    });
    const out = await runJson<{ disabled: boolean }>(db, ['user', 'disable', 'r@example.com']);
    expect(out.disabled).toBe(true);
    await withTestSuite(db, async (t) => {
      expect(await t.suite.kernel.db('admin_sessions').count({ n: '*' }).first()).toMatchObject({ n: 0 });
      await expect(new AdminUsers(t.suite.kernel).authenticate({ email: 'r@example.com', password: PASSWORD }, '127.0.0.1')).rejects.toMatchObject({ code: 'SUITE_AUTH_INVALID' });
    });
    expect((await runCli(db, ['user', 'disable', 'nobody@example.com'])).code).toBe(1);
  });
});
