/** Issue 14 point 1: admin users log in at /admin; sessions live in the database, with safe cookies, lockout, TOTP and audit. */
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import vm from 'node:vm';
import express from 'express';
import { createTestDb, type TestDb } from '../helpers/test-db';
import { createBrand, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { cliEnv } from '../helpers/run-cli';
import { AdminUsers } from '../../core/users/admin-users';
import { AdminSessions } from '../../core/users/admin-sessions';
import { adminSession, requireAdminSession, requireAdminUser } from '../../core/http/admin-session';
import { actorOf } from '../../core/http/admin-auth';
import { asyncRoute, errorHandler } from '../../core/http/respond';
import { assertBrandAccess } from '../../core/apikeys/api-keys';
import { LOGIN_LIMIT } from '../../core/http/admin-pages';

const BIN = path.resolve(__dirname, '../../bin/privacy-suite.js');
const PASSWORD = 'correct horse battery staple';

/** otplib's self-contained browser build: its package's ESM-only dependencies do not load under jest. */
const otplib = vm.runInThisContext(`${fs.readFileSync(require.resolve('otplib').replace(/index\.cjs$/, 'index.global.js'), 'utf8')}\n;otplib`) as { generate: (o: { secret: string }) => Promise<string> };

/** A browser with a cookie jar: follows no redirects, so each answer and its Set-Cookie headers can be checked. */
class Browser {
  readonly jar = new Map<string, string>();
  setCookies: string[] = [];

  constructor(private readonly base: string, private readonly headers: Record<string, string> = {}) {}

  private cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private async send(p: string, init: RequestInit): Promise<{ status: number; html: string; location: string | null }> {
    const res = await fetch(`${this.base}${p}`, { ...init, redirect: 'manual', headers: { ...this.headers, ...(init.headers as Record<string, string>), cookie: this.cookie() } });
    this.setCookies = res.headers.getSetCookie();
    for (const c of this.setCookies) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return { status: res.status, html: await res.text(), location: res.headers.get('location') };
  }

  get(p: string): Promise<{ status: number; html: string; location: string | null }> {
    return this.send(p, { method: 'GET' });
  }

  post(p: string, fields: Record<string, string>): Promise<{ status: number; html: string; location: string | null }> {
    return this.send(p, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  }

  /** The CSRF token of the page at `p`. */
  async csrf(p = '/admin'): Promise<string> {
    const m = /name="_csrf" value="([^"]+)"/.exec((await this.get(p)).html);
    if (!m) throw new Error(`no CSRF field on ${p}`);
    return m[1];
  }

  async login(email: string, password: string, code?: string): Promise<{ status: number; html: string; location: string | null }> {
    return this.post('/admin/login', { _csrf: await this.csrf(), email, password, ...(code ? { code } : {}) });
  }

  /** The Set-Cookie header of the last answer for `name`, if any. */
  setCookie(name: string): string | undefined {
    return this.setCookies.find((c) => c.startsWith(`${name}=`));
  }
}

/** Runs the CLI with the password on stdin. */
function cli(db: TestDb, args: string[], stdin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: db.dataDir, env: cliEnv(db), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
    child.stdin.end(stdin);
  });
}

let db: TestDb;
let t1: TestSuite;
let t2: TestSuite;
let users: AdminUsers;
let totpSecret: string;

beforeAll(async () => {
  db = await createTestDb();
  t1 = await startTestSuite({ db });
  await createBrand(t1.suite, 'acme');
  await createBrand(t1.suite, 'acme-resell', { parent: 'acme', profile: { controller: { name: 'Resell Co', email: 'privacy@resell.example', country: 'DE' } } });
  await createBrand(t1.suite, 'acme-resell-sub', { parent: 'acme-resell', profile: { controller: { name: 'Sub Co', email: 'privacy@sub.example', country: 'DE' } } });
  await createBrand(t1.suite, 'zeta');
  await cli(db, ['user', 'create', '--email', 'owner@example.com', '--role', 'owner', '--json'], `${PASSWORD}\n`);
  users = new AdminUsers(t1.suite.kernel);
  const actor = { type: 'cli', id: 'test' } as const;
  totpSecret = new URL((await users.create({ email: 'ops@example.com', password: PASSWORD, role: 'admin', totp: true }, actor)).otpauthUri!).searchParams.get('secret')!;
  await users.create({ email: 'reseller@example.com', password: PASSWORD, role: 'reseller', brand: 'acme-resell' }, actor);
  await users.create({ email: 'lock@example.com', password: PASSWORD, role: 'auditor' }, actor);
  // A second instance on the same database, behind a trusted proxy (X-Forwarded-Proto / -For).
  t2 = await startTestSuite({ db, config: { trustProxy: true } });
});
afterAll(async () => {
  await t2?.suite.stop();
  await t1?.suite.stop();
  await db.drop();
});

async function audit(action: string): Promise<Record<string, unknown>[]> {
  return t1.suite.kernel.audit.list({ action, limit: 1000 });
}

describe('admin log-in', () => {
  it('the site root sends a browser to the admin panel', async () => {
    const res = await fetch(`${t1.baseUrl}/`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
  });

  it('GET /admin without a session shows the log-in form (in the reader\'s language) with a CSRF field and sets no session cookie', async () => {
    const b = new Browser(t1.baseUrl);
    const page = await b.get('/admin');
    expect(page.status).toBe(200);
    expect(page.html).toContain('action="/admin/login"');
    expect(page.html).toMatch(/name="email"[\s\S]*name="password"[\s\S]*name="code"/);
    expect(page.html).toContain('name="_csrf"');
    expect(b.setCookie('suite_admin')).toBeUndefined();
    const ar = await new Browser(t1.baseUrl, { 'accept-language': 'ar' }).get('/admin');
    expect(ar.html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(ar.html).toContain('تسجيل الدخول إلى لوحة الإدارة');
  });

  it('a user created by the CLI logs in: HttpOnly, SameSite=Lax, Path=/admin cookie; the dashboard names the user; audited', async () => {
    const b = new Browser(t1.baseUrl);
    const res = await b.login('Owner@Example.com', PASSWORD);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/admin');
    const cookie = b.setCookie('suite_admin')!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\/admin/);
    expect(cookie).not.toMatch(/; Secure/); // plain HTTP without a trusted proxy
    const token = b.jar.get('suite_admin')!;
    const stored = (await t1.suite.kernel.db('admin_sessions').select('id_hash')) as { id_hash: string }[];
    expect(stored.map((s) => s.id_hash)).toContain(crypto.createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(token);
    const dash = await b.get('/admin');
    expect(dash.status).toBe(200);
    expect(dash.html).toContain('owner@example.com');
    expect(dash.html).toContain('data-role="owner"');
    expect(dash.html).toContain('Every brand');
    expect(dash.html).toContain('action="/admin/logout"');
    const logins = await audit('user.login');
    expect(logins[0]).toMatchObject({ actor: expect.stringMatching(/^user:\d+$/), target_type: 'admin-user' });
    expect(JSON.stringify(logins)).not.toContain(PASSWORD);
  });

  it('over HTTPS behind a trusted proxy the session cookie is Secure', async () => {
    const b = new Browser(t2.baseUrl, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.20' });
    expect((await b.login('owner@example.com', PASSWORD)).status).toBe(303);
    expect(b.setCookie('suite_admin')).toMatch(/; Secure/);
  });

  it('a wrong password is refused (401), audited without the password, counted by the access watch, and sets no session cookie', async () => {
    const b = new Browser(t1.baseUrl);
    const res = await b.login('owner@example.com', 'not the password at all');
    expect(res.status).toBe(401);
    expect(res.html).toContain('is not right');
    expect(b.setCookie('suite_admin')).toBeUndefined();
    expect(b.jar.has('suite_admin')).toBe(false);
    const failed = await audit('user.login.failed');
    expect(failed[0]).toMatchObject({ actor: 'anonymous:login', details: { reason: 'password' } });
    expect(JSON.stringify(failed)).not.toContain('not the password at all');
    const watched = (await t1.suite.kernel.db('access_failures').where({ source: 'login' }).sum({ n: 'failures' }).first()) as { n: number | string };
    expect(Number(watched.n)).toBeGreaterThanOrEqual(1);
    // An unknown e-mail gets the same answer.
    const unknown = await b.login('nobody@example.com', PASSWORD);
    expect(unknown.status).toBe(401);
    expect(unknown.html).toContain('is not right');
  });

  it('five failures lock the account: then even the right password is refused (429) until the lock ends', async () => {
    const b = new Browser(t1.baseUrl);
    for (let i = 0; i < 5; i++) expect((await b.login('lock@example.com', `wrong password ${i}`)).status).toBe(401);
    const locked = await b.login('lock@example.com', PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.html).toContain('Too many attempts');
    expect(b.jar.has('suite_admin')).toBe(false);
    expect((await audit('user.login.failed')).filter((e) => (e.details as { reason: string }).reason === 'locked')).toHaveLength(1);
    await t1.suite.kernel.db('admin_users').where({ email: 'lock@example.com' }).update({ locked_until: Date.now() - 1 }); // the 15 minutes pass
    expect((await b.login('lock@example.com', PASSWORD)).status).toBe(303);
  });

  it('TOTP: without a code or with a wrong one refused; the right code (otplib) logs in, once only', async () => {
    const b = new Browser(t1.baseUrl);
    expect((await b.login('ops@example.com', PASSWORD)).status).toBe(401);
    const code = await otplib.generate({ secret: totpSecret });
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect((await b.login('ops@example.com', PASSWORD, wrong)).status).toBe(401);
    expect(b.jar.has('suite_admin')).toBe(false);
    expect((await b.login('ops@example.com', PASSWORD, code)).status).toBe(303);
    expect((await b.get('/admin')).html).toContain('ops@example.com');
    const replay = new Browser(t1.baseUrl);
    expect((await replay.login('ops@example.com', PASSWORD, code)).status).toBe(401);
    const reasons = (await audit('user.login.failed')).map((e) => (e.details as { reason: string }).reason);
    expect(reasons.filter((r) => r === 'totp')).toHaveLength(3);
    expect(JSON.stringify(await audit('user.login.failed'))).not.toContain(code);
  });

  it('a session opened on one instance is served by another sharing the database', async () => {
    const b = new Browser(t1.baseUrl);
    expect((await b.login('owner@example.com', PASSWORD)).status).toBe(303);
    const other = new Browser(t2.baseUrl);
    other.jar.set('suite_admin', b.jar.get('suite_admin')!);
    const dash = await other.get('/admin');
    expect(dash.html).toContain('owner@example.com');
    expect(dash.html).toContain('action="/admin/logout"');
  });

  it('a reseller user sees only its brand and those below, and its principal is brand-scoped like an API key', async () => {
    const b = new Browser(t1.baseUrl);
    expect((await b.login('reseller@example.com', PASSWORD)).status).toBe(303);
    const dash = (await b.get('/admin')).html;
    expect(dash).toContain('href="/admin/brands/acme-resell/modules"');
    expect(dash).toContain('href="/admin/brands/acme-resell-sub/modules"');
    expect(dash).not.toContain('href="/admin/brands/acme/modules"');
    expect(dash).not.toContain('zeta');
    // A panel route behind the session middleware gets the same principal an API key for the brand has.
    const kernel = t1.suite.kernel;
    const app = express();
    app.use('/admin', adminSession(new AdminUsers(kernel), new AdminSessions(kernel.db)), requireAdminSession());
    app.get('/admin/probe/:brand', asyncRoute(async (req, res) => {
      const p = requireAdminUser(req);
      assertBrandAccess(p, (await kernel.brands.get(req.params.brand)).id);
      res.json({ role: p.role, brandIds: p.brandIds, actor: actorOf(req) });
    }));
    app.use(errorHandler(kernel.log));
    const server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const probeBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const probe = new Browser(probeBase);
      probe.jar.set('suite_admin', b.jar.get('suite_admin')!);
      const { key } = await t1.suite.apiKeys.create({ role: 'reseller', brand: 'acme-resell' }, { type: 'cli', id: 'test' });
      const keyPrincipal = await t1.suite.apiKeys.verify(key);
      const own = await probe.get('/admin/probe/acme-resell-sub');
      expect(own.status).toBe(200);
      expect(JSON.parse(own.html)).toMatchObject({ role: 'reseller', brandIds: keyPrincipal.brandIds, actor: { type: 'user' } });
      const parent = await probe.get('/admin/probe/acme');
      expect(parent.status).toBe(403);
      expect(JSON.parse(parent.html)).toMatchObject({ code: 'SUITE_BRAND_FORBIDDEN' });
      // Without a session a page sends the browser to the log-in page; anything else is 401.
      const anonymous = await new Browser(probeBase).get('/admin/probe/acme-resell');
      expect([anonymous.status, anonymous.location]).toEqual([303, '/admin']);
      expect((await new Browser(probeBase).post('/admin/probe/acme-resell', {})).status).toBe(401);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('log-out ends the session on every instance, clears the cookie and is audited', async () => {
    const b = new Browser(t1.baseUrl);
    expect((await b.login('owner@example.com', PASSWORD)).status).toBe(303);
    const token = b.jar.get('suite_admin')!;
    const out = await b.post('/admin/logout', { _csrf: await b.csrf() });
    expect(out.status).toBe(200);
    expect(out.html).toContain('You have logged out');
    expect(b.setCookie('suite_admin')).toMatch(/Expires=Thu, 01 Jan 1970/);
    for (const base of [t1.baseUrl, t2.baseUrl]) {
      const stale = new Browser(base);
      stale.jar.set('suite_admin', token);
      const page = await stale.get('/admin');
      expect(page.html).toContain('action="/admin/login"');
      expect(page.html).not.toContain('owner@example.com');
    }
    expect((await audit('user.logout')).length).toBe(1);
  });

  it('a new session token on every log-in (the previous one ends), and an idle session expires', async () => {
    const b = new Browser(t1.baseUrl);
    expect((await b.login('owner@example.com', PASSWORD)).status).toBe(303);
    const first = b.jar.get('suite_admin')!;
    expect((await b.login('owner@example.com', PASSWORD)).status).toBe(303);
    const second = b.jar.get('suite_admin')!;
    expect(second).not.toBe(first);
    const old = new Browser(t1.baseUrl);
    old.jar.set('suite_admin', first);
    expect((await old.get('/admin')).html).toContain('action="/admin/login"');
    expect((await b.get('/admin')).html).toContain('owner@example.com');
    const idHash = crypto.createHash('sha256').update(second).digest('hex');
    await t1.suite.kernel.db('admin_sessions').where({ id_hash: idHash }).update({ last_seen_at: Date.now() - 31 * 60_000 });
    expect((await b.get('/admin')).html).toContain('action="/admin/login"');
  });

  it('log-in and log-out without the CSRF token are refused (403) and set no session cookie', async () => {
    const b = new Browser(t1.baseUrl);
    await b.get('/admin');
    const res = await b.post('/admin/login', { email: 'owner@example.com', password: PASSWORD });
    expect(res.status).toBe(403);
    expect(b.jar.has('suite_admin')).toBe(false);
    expect((await b.post('/admin/login', { _csrf: 'forged', email: 'owner@example.com', password: PASSWORD })).status).toBe(403);
    expect((await b.login('owner@example.com', PASSWORD)).status).toBe(303);
    expect((await b.post('/admin/logout', {})).status).toBe(403);
    expect((await b.get('/admin')).html).toContain('owner@example.com');
  });

  it('one IP is limited across accounts (429 past the limit), and its failures raise the unusual-access alert', async () => {
    const b = new Browser(t2.baseUrl, { 'x-forwarded-for': '203.0.113.7' });
    const csrf = await b.csrf();
    const statuses: number[] = [];
    for (let i = 0; i <= LOGIN_LIMIT.max; i++) statuses.push((await b.post('/admin/login', { _csrf: csrf, email: `guess${i}@example.com`, password: 'guessing-password' })).status);
    expect(statuses.slice(0, LOGIN_LIMIT.max).every((s) => s === 401)).toBe(true);
    expect(statuses[LOGIN_LIMIT.max]).toBe(429);
    const alert = await t1.suite.kernel.db('access_alerts').where({ ip: '203.0.113.7' }).first();
    expect(alert).toBeDefined();
    expect((await audit('unusual-access')).some((e) => e.target_id === '203.0.113.7')).toBe(true);
  });
});
