/**
 * MS-10 / WSM-23: watched for attacks. Failed hook signatures, signed-endpoint signatures and API keys are counted per
 * IP and window in the database (so every instance counts together); the first of a kind in a window is audited, and
 * reaching the threshold writes ONE unusual-access audit entry per IP and window and an alert the admin API lists.
 */
import { accessWatch } from '../../core/security/access-watch';
import { changedTables, digestTables } from '../helpers/db-digest';
import { onMysql } from '../helpers/test-db';
import { createBrand, postHook, startTestSuite, type TestSuite } from '../helpers/test-suite';

const CONFIG = { unusualAccessThreshold: 3, unusualAccessWindowSeconds: 600, trustProxy: true };
let t: TestSuite;
let owner: string;
let resellerA: string;
let resellerB: string;
const ids: Record<string, number> = {};
const actor = { type: 'cli' as const, id: 'test' };

beforeAll(async () => {
  t = await startTestSuite({ config: CONFIG });
  for (const slug of ['shop-a', 'shop-b']) {
    await createBrand(t.suite, slug);
    ids[slug] = (await t.suite.kernel.brands.get(slug)).id;
  }
  owner = (await t.suite.apiKeys.create({ role: 'owner' }, actor)).key;
  resellerA = (await t.suite.apiKeys.create({ role: 'reseller', brand: 'shop-a' }, actor)).key;
  resellerB = (await t.suite.apiKeys.create({ role: 'reseller', brand: 'shop-b' }, actor)).key;
});
afterAll(() => t.close());

const badHook = (ip: string, brand: string) => postHook(t.baseUrl, 'ClientAdd', 'wrong-secret', { brand, vars: { client_id: 1 } }, { headers: { 'x-forwarded-for': ip } });
const badKey = (ip: string) => fetch(`${t.baseUrl}/api/v1/admin/modules`, { headers: { authorization: 'Bearer psk_0123456789ab_not-a-real-key', 'x-forwarded-for': ip } });
const badSigned = (ip: string, brand: string) => fetch(`${t.baseUrl}/api/v1/registrant/contacts`, {
  method: 'POST', body: JSON.stringify({ brand }),
  headers: { 'content-type': 'application/json', 'x-suite-timestamp': String(Math.floor(Date.now() / 1000)), 'x-suite-signature': `v1=${'0'.repeat(64)}`, 'x-forwarded-for': ip },
});
const unusual = async (ip: string) => (await t.suite.kernel.audit.list({ action: 'unusual-access', limit: 1000 })).filter((e) => e.target_id === ip);
const authFailed = async (ip: string) => (await t.suite.kernel.audit.list({ action: 'auth.failed', limit: 1000 })).filter((e) => e.ip_hash === t.suite.kernel.keyring.blindIndex(ip, 'ip'));
async function alerts(key: string): Promise<{ status: number; alerts: Record<string, unknown>[] }> {
  const res = await fetch(`${t.baseUrl}/api/v1/admin/alerts`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, alerts: ((await res.json()) as { alerts: Record<string, unknown>[] }).alerts };
}

describe('MS-10 / WSM-23: failed authentication is audited and watched', () => {
  it('MS-10: a bad hook signature writes an audit entry (and its counter) with nothing else written', async () => {
    const before = await digestTables(t.suite.kernel.db);
    const res = await badHook('192.0.2.10', 'shop-a');
    expect(res.status).toBe(401);
    expect(changedTables(before, await digestTables(t.suite.kernel.db))).toEqual(['access_failures', 'audit_log', 'chain_heads']);
    const [entry] = await t.suite.kernel.audit.list({ action: 'auth.failed', limit: 1 });
    expect(entry).toMatchObject({ brand_id: ids['shop-a'], actor: 'anonymous:hook-api', target_type: 'hook', target_id: 'ClientAdd', details: { code: 'SUITE_HOOK_SIGNATURE_INVALID', source: 'hook-signature' } });
    expect(entry.ip_hash).toBe(t.suite.kernel.keyring.blindIndex('192.0.2.10', 'ip'));
    expect(JSON.stringify(entry)).not.toContain('192.0.2.10');
  });

  it('MS-10: failures past the threshold write ONE unusual-access entry per IP and window, and the failures are audited once', async () => {
    for (let i = 0; i < 7; i++) expect((await badKey('198.51.100.7')).status).toBe(401);
    for (let i = 0; i < 2; i++) await badKey('198.51.100.8');
    const entries = await unusual('198.51.100.7');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ brand_id: null, actor: 'system:access-watch', target_type: 'ip', details: { ip: '198.51.100.7', failures: 3, threshold: 3, windowSeconds: 600, sources: { 'api-key': 3 }, brands: [] } });
    expect(await authFailed('198.51.100.7')).toHaveLength(1);
    expect(JSON.stringify(await authFailed('198.51.100.7'))).not.toContain('not-a-real-key');
    expect(await unusual('198.51.100.8')).toHaveLength(0);
  });

  it('MS-10: hook signatures, signed endpoints and API keys count together; the next window raises a new alert', async () => {
    await badHook('198.51.100.20', 'shop-b');
    await badHook('198.51.100.20', 'shop-b');
    expect((await badSigned('198.51.100.20', 'shop-b')).status).toBe(401);
    const [entry] = await unusual('198.51.100.20');
    expect(entry).toMatchObject({ brand_id: ids['shop-b'], details: { failures: 3, sources: { 'hook-signature': 2, 'signed-endpoint': 1 }, brands: [ids['shop-b']] } });
    const watch = accessWatch(t.suite.kernel);
    watch.clock = () => Date.now() + 600_000;
    try {
      for (let i = 0; i < 3; i++) await badHook('198.51.100.20', 'shop-b');
    } finally {
      watch.clock = Date.now;
    }
    expect(await unusual('198.51.100.20')).toHaveLength(2);
  });

  it('MS-10: the counters live in the database: two instances on one database raise one alert between them', async () => {
    const second = await startTestSuite({ db: t.db, http: false, config: CONFIG });
    try {
      const fail = (i: number) => accessWatch((i % 2 ? second : t).suite.kernel).failure({ source: 'login', ip: '203.0.113.77', brandId: ids['shop-a'], code: 'LOGIN_FAILED', targetType: 'login', targetId: 'client-area', actor: 'login' });
      // MariaDB: all at once. SQLite: one after the other, as better-sqlite3 blocks the one thread both instances share
      // while it waits for the other's write lock (separate processes on one file wait for each other normally).
      let outcomes: Awaited<ReturnType<typeof fail>>[] = [];
      if (onMysql()) outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => fail(i)));
      else for (let i = 0; i < 8; i++) outcomes.push(await fail(i));
      expect(outcomes.filter((o) => o.alerted)).toHaveLength(1);
      expect(Math.max(...outcomes.map((o) => o.failures))).toBe(8);
    } finally {
      await second.suite.stop();
    }
    expect(await unusual('203.0.113.77')).toHaveLength(1);
    const listed = (await alerts(owner)).alerts.find((a) => a.ip === '203.0.113.77');
    expect(listed).toMatchObject({ failures: 8, sources: { login: 8 }, brands: ['shop-a'] });
  });

  it('MS-10: GET /api/v1/admin/alerts needs a key; a reseller sees only alerts about its brands, counted over its brands', async () => {
    for (const brand of ['shop-a', 'shop-a', 'shop-b', 'shop-b']) await badHook('198.51.100.30', brand);
    const res = await fetch(`${t.baseUrl}/api/v1/admin/alerts`);
    expect(res.status).toBe(401);

    const all = await alerts(owner);
    expect(all.status).toBe(200);
    const mixed = all.alerts.find((a) => a.ip === '198.51.100.30');
    expect(mixed).toMatchObject({ failures: 4, brands: ['shop-a', 'shop-b'], threshold: 3, windowSeconds: 600, windowStart: expect.any(String), windowEnd: expect.any(String) });
    expect(all.alerts.some((a) => a.ip === '198.51.100.7')).toBe(true);

    const a = await alerts(resellerA);
    expect(a.alerts.map((x) => x.ip).sort()).toEqual(['198.51.100.30', '203.0.113.77']);
    expect(a.alerts.find((x) => x.ip === '198.51.100.30')).toMatchObject({ failures: 2, brands: ['shop-a'], sources: { 'hook-signature': 2 } });
    const b = await alerts(resellerB);
    expect(b.alerts.map((x) => x.ip).sort()).toEqual(['198.51.100.20', '198.51.100.20', '198.51.100.30']);
    // Wrong API keys name no brand: those alerts are for unscoped keys only.
    expect([...a.alerts, ...b.alerts].some((x) => x.ip === '198.51.100.7')).toBe(false);
  });
});
