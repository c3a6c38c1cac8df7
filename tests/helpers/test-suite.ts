/** A fresh suite on a fresh database for one test file, plus helpers to sign hook calls. */
import type { AddressInfo } from 'node:net';
import { Suite, type SuiteOptions } from '../../core/suite';
import { signHook } from '../../core/http/signature';
import { createTestDb, type TestDb } from './test-db';
import { createLogger } from '../../core/logger';
import { INSTALLED_MODULES } from '../../modules/installed';

export const TEST_MASTER_KEY = 'a'.repeat(64);

export interface TestSuite { suite: Suite; db: TestDb; baseUrl: string; close: () => Promise<void> }

/** Starts a suite (HTTP on a random port, no background jobs) on a new database; the installed modules unless told otherwise. */
export async function startTestSuite(opts: Partial<SuiteOptions> & { http?: boolean; db?: TestDb } = {}): Promise<TestSuite> {
  const db = opts.db ?? (await createTestDb());
  const suite = await Suite.create({
    env: {},
    logger: opts.logger ?? createLogger('silent'),
    ...opts,
    modules: opts.modules ?? INSTALLED_MODULES,
    config: { databaseUrl: db.url, dataDir: db.dataDir, masterKey: TEST_MASTER_KEY, scheduler: false, logLevel: 'silent', ...opts.config },
  });
  let baseUrl = '';
  if (opts.http !== false) {
    const server = await suite.listen(0, '127.0.0.1', { background: false });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  return {
    suite, db, baseUrl,
    close: async () => {
      await suite.stop();
      if (!opts.db) await db.drop();
    },
  };
}

/** Opens an in-process suite on an existing test database for one step and closes it (CLI tests run the CLI in between). */
export async function withTestSuite<T>(db: TestDb, fn: (t: TestSuite) => Promise<T>): Promise<T> {
  const t = await startTestSuite({ db, http: false });
  try {
    return await fn(t);
  } finally {
    await t.suite.stop();
  }
}

/** Drains the outbox until nothing is pending or being delivered (retries with backoff included), or gives up after `rounds`. */
export async function drainOutbox(suite: Suite, opts: { brandId?: number; rounds?: number; pauseMs?: number } = {}): Promise<void> {
  for (let i = 0; i < (opts.rounds ?? 40); i++) {
    await suite.worker.drain();
    let q = suite.kernel.db('outbox').whereIn('state', ['pending', 'delivering']);
    if (opts.brandId !== undefined) q = q.where({ brand_id: opts.brandId });
    const open = (await q.count({ n: '*' }).first()) as { n: number | string };
    if (Number(open.n) === 0) return;
    await new Promise((r) => setTimeout(r, opts.pauseMs ?? 20));
  }
}

/** The minimal valid profile for a provider brand. */
export const PROVIDER_PROFILE = { controller: { name: 'Test Hosting Ltd', email: 'privacy@test-hosting.example', country: 'GB' } };

/** Creates a provider brand and returns its hook secret. */
export async function createBrand(suite: Suite, slug: string, extra: { parent?: string; profile?: Record<string, unknown> } = {}): Promise<string> {
  const { hookSecret } = await suite.kernel.brands.create({ slug, name: slug, parent: extra.parent, profile: extra.profile ?? PROVIDER_PROFILE }, { type: 'cli', id: 'test' });
  return hookSecret;
}

/** Sends a signed hook call. */
export async function postHook(baseUrl: string, hook: string, secret: string, body: Record<string, unknown>, opts: { timestamp?: number; headers?: Record<string, string>; signature?: string | null } = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const raw = JSON.stringify(body);
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-suite-timestamp': String(ts), ...opts.headers };
  if (opts.signature !== null) headers['x-suite-signature'] = opts.signature ?? signHook(secret, ts, raw);
  const res = await fetch(`${baseUrl}/api/v1/hooks/${hook}`, { method: 'POST', headers, body: raw });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

/** Counts rows in a table. */
export async function count(suite: Suite, table: string): Promise<number> {
  const r = (await suite.kernel.db(table).count({ n: '*' }).first()) as { n: number | string };
  return Number(r.n);
}

/** A suite without HTTP and one provider brand `slug` (default `acme`): the set-up of the kernel-level tests. */
export async function suiteWithBrand(slug = 'acme'): Promise<{ t: TestSuite; brandId: number }> {
  const t = await startTestSuite({ http: false });
  await createBrand(t.suite, slug);
  return { t, brandId: (await t.suite.kernel.brands.get(slug)).id };
}
