/** CLI set-up commands a script needs: brand create/list/rotate-secret and apikey create, with --json, audited. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDb, type TestDb } from '../../helpers/test-db';
import { startTestSuite, PROVIDER_PROFILE } from '../../helpers/test-suite';
import { signHook, verifyHookSignature } from '../../../core/http/signature';
import { runCli, runJson } from '../../helpers/run-cli';

let db: TestDb;
let providerFile: string;
let resellerFile: string;
let firstSecret: string;

beforeAll(async () => {
  db = await createTestDb();
  providerFile = path.join(db.dataDir, 'acme.json');
  resellerFile = path.join(db.dataDir, 'acme-resell.json');
  fs.writeFileSync(providerFile, JSON.stringify(PROVIDER_PROFILE));
  fs.writeFileSync(resellerFile, JSON.stringify({ controller: { name: 'Resell Co', email: 'privacy@resell.example', country: 'DE' } }));
});
afterAll(() => db.drop());

/** Whether a signature made with `secret` verifies against the brand's current hook secrets. */
async function signatureVerifies(slug: string, secret: string): Promise<boolean> {
  const t = await startTestSuite({ db, http: false });
  try {
    const secrets = await t.suite.kernel.brands.hookSecrets(await t.suite.kernel.brands.get(slug));
    const body = Buffer.from('{"brand":"acme"}');
    return verifyHookSignature(signHook(secret, 1700000000, body), secrets, '1700000000', body);
  } finally {
    await t.suite.stop();
  }
}

describe('privacy-suite brand', () => {
  it('brand create prints the brand and its hook secret (--json) on a fresh database', async () => {
    const out = await runJson<{ brand: Record<string, unknown>; hookSecret: string }>(db, ['brand', 'create', 'acme', '--name', 'Acme Hosting', '--profile', providerFile]);
    expect(out.brand).toMatchObject({ slug: 'acme', name: 'Acme Hosting', kind: 'provider', parent: null });
    expect(out.hookSecret).toMatch(/^whsec_/);
    firstSecret = out.hookSecret;
    expect(await signatureVerifies('acme', firstSecret)).toBe(true);
  });

  it('brand create --parent makes a reseller brand under its provider', async () => {
    const out = await runJson<{ brand: Record<string, unknown>; hookSecret: string }>(db, ['brand', 'create', 'acme-resell', '--name', 'Resell Co', '--parent', 'acme', '--profile', resellerFile]);
    expect(out.brand).toMatchObject({ slug: 'acme-resell', kind: 'reseller', parent: 'acme' });
  });

  it('brand list --json lists every brand and never a secret', async () => {
    const r = await runCli(db, ['brand', 'list', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(list.map((b) => b.slug)).toEqual(['acme', 'acme-resell']);
    expect(r.stdout).not.toContain('whsec_');
  });

  it('brand rotate-secret prints a new secret; the old one keeps verifying during the grace period', async () => {
    const out = await runJson<{ brand: string; hookSecret: string; previousValidUntil: string }>(db, ['brand', 'rotate-secret', 'acme']);
    expect(out.brand).toBe('acme');
    expect(out.hookSecret).toMatch(/^whsec_/);
    expect(out.hookSecret).not.toBe(firstSecret);
    expect(Date.parse(out.previousValidUntil)).toBeGreaterThan(Date.now() + 3600_000);
    expect(await signatureVerifies('acme', out.hookSecret)).toBe(true);
    expect(await signatureVerifies('acme', firstSecret)).toBe(true);
    expect(await signatureVerifies('acme', 'whsec_wrong')).toBe(false);
  });
});

describe('privacy-suite apikey create', () => {
  it('prints a key once that authenticates against the admin API and is stored only as a hash', async () => {
    const out = await runJson<{ id: string; key: string; role: string; brand: string }>(db, ['apikey', 'create', '--role', 'admin', '--brand', 'acme', '--label', 'ci']);
    expect(out).toMatchObject({ role: 'admin', brand: 'acme' });
    const t = await startTestSuite({ db });
    try {
      const res = await fetch(`${t.baseUrl}/api/v1/admin/brands`, { headers: { authorization: `Bearer ${out.key}` } });
      expect(res.status).toBe(200);
      expect(JSON.stringify(await res.json())).toContain('acme');
      const bad = await fetch(`${t.baseUrl}/api/v1/admin/brands`, { headers: { authorization: `Bearer ${out.key}x` } });
      expect(bad.status).toBe(401);
      const stored = await t.suite.kernel.db('api_keys').select('*');
      expect(JSON.stringify(stored)).not.toContain(out.key);
    } finally {
      await t.suite.stop();
    }
  });
});

describe('CLI errors and audit', () => {
  it('every CLI change is in the audit log with the cli actor', async () => {
    const t = await startTestSuite({ db, http: false });
    try {
      const rows = (await t.suite.kernel.db('audit_log').select('actor', 'action')) as { actor: string; action: string }[];
      const user = (() => { try { return os.userInfo().username || 'cli'; } catch { return 'cli'; } })();
      for (const action of ['brand.create', 'brand.secret.rotate', 'apikey.create']) {
        expect(rows).toContainEqual({ actor: `cli:${user}`, action });
      }
    } finally {
      await t.suite.stop();
    }
  });

  it('a usage error exits 2; a coded error exits 1 with its message; neither prints a stack trace', async () => {
    const [usage, coded] = await Promise.all([
      runCli(db, ['apikey', 'create', '--role', 'root']),
      runCli(db, ['brand', 'rotate-secret', 'nope']),
    ]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/owner, admin, reseller, auditor/);
    expect(coded.code).toBe(1);
    expect(coded.stderr).toContain('SUITE_BRAND_UNKNOWN');
    expect(coded.stderr).toContain('There is no brand "nope"');
    for (const r of [usage, coded]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
