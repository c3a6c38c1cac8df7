/**
 * Concurrency on MySQL/MariaDB: concurrent domain registrations and transfers do not deadlock on the registrant
 * contacts (and a deadlock that still happens is retried with the whole transaction, the idempotency record included);
 * eight simultaneous first switches of one module or binding all succeed and leave one row, each audited.
 */
import { Writable } from 'node:stream';
import { createLogger } from '../../core/logger';
import { onMysql } from '../helpers/test-db';
import { count, postHook, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { registrantBrand, whmcsParams } from '../modules/registrant/fixtures';
import { isRetryableConflict, retryConflicts } from '../../core/db/retry';

let t: TestSuite;
const logLines: string[] = [];
let secret: string;
let owner: string;
const actor = { type: 'cli' as const, id: 'test' };

beforeAll(async () => {
  const sink = new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } });
  t = await startTestSuite({ logger: createLogger('warn', sink) });
  secret = await registrantBrand(t.suite, 'race');
  await registrantBrand(t.suite, 'race-switch');
  owner = (await t.suite.apiKeys.create({ role: 'owner' }, actor)).key;
});
afterAll(() => t.close());

/** Runs `tasks` with at most `width` in flight; resolves with every result in order. */
async function inFlight<T>(width: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  }));
  return out;
}

describe('concurrent hook calls', () => {
  it('24 concurrent PreRegistrarRegisterDomain / PreRegistrarTransferDomain calls at 8 in flight all answer 200, and the contacts are consistent', async () => {
    // Three domains per client, registrations and transfers mixed: the same clients, new domains, new contact rows.
    const calls = Array.from({ length: 24 }, (_, i) => {
      const hook = i % 2 ? 'PreRegistrarTransferDomain' : 'PreRegistrarRegisterDomain';
      return () => postHook(t.baseUrl, hook, secret, { brand: 'race', vars: { params: whmcsParams(700 + (i % 8), `race-${i}`, 'com') } }, { headers: { 'idempotency-key': `race-domain-${i}` } });
    });
    const answers = await inFlight(8, calls);
    expect(answers.map((a) => a.status)).toEqual(Array(24).fill(200));
    // Not by luck of the retry: the common case takes no locks that can cross.
    expect(logLines.filter((l) => l.includes('deadlocked'))).toEqual([]);
    for (const a of answers) expect(a.body.abortWithError).toBeUndefined();
    const brandId = (await t.suite.kernel.brands.get('race')).id;
    const domains = (await t.suite.kernel.db('registrant_domains').where({ brand_id: brandId }).select('id', 'roles')) as { id: number; roles: string }[];
    expect(domains).toHaveLength(24);
    // Every domain has exactly one contact per role it names (.com: four), and no contact belongs to no domain.
    for (const d of domains) {
      const roles = ((await t.suite.kernel.db('registrant_contacts').where({ domain_id: d.id }).select('role')) as { role: string }[]).map((r) => r.role).sort();
      expect(roles).toEqual([...(JSON.parse(d.roles) as string[])].sort());
    }
    expect(await count(t.suite, 'registrant_contacts')).toBe(24 * 4);
    expect(await t.suite.kernel.db('subjects').where({ brand_id: brandId, kind: 'client' })).toHaveLength(8);
    expect(await t.suite.kernel.db('idempotency_keys').where('idem_key', 'like', 'race-domain-%')).toHaveLength(24);
    // The same calls again (a panel retrying): replayed, nothing new.
    const again = await inFlight(8, calls);
    expect(again.map((a) => a.headers.get('idempotent-replayed'))).toEqual(Array(24).fill('true'));
    expect(await count(t.suite, 'registrant_contacts')).toBe(24 * 4);
  });

  it('the same domain registered eight times at once answers 200 each time and keeps one domain row with one contact per role', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => postHook(t.baseUrl, i % 2 ? 'PreRegistrarTransferDomain' : 'PreRegistrarRegisterDomain', secret, { brand: 'race', vars: { params: whmcsParams(800 + i, 'same-name', 'com') } })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    const rows = (await t.suite.kernel.db('registrant_domains').where({ domain: 'same-name.com' }).select('id')) as { id: number }[];
    expect(rows).toHaveLength(1);
    expect(await t.suite.kernel.db('registrant_contacts').where({ domain_id: rows[0].id })).toHaveLength(4);
  });

  it.each([['module', 'consent'], ['binding', 'consent-client-add-record-consent']])('eight simultaneous first switches of a %s for a brand all answer 200, one row remains, each is audited', async (kind, name) => {
    const path = kind === 'module' ? `/api/v1/admin/brands/race-switch/modules/${name}` : `/api/v1/admin/brands/race-switch/bindings/${name}`;
    const before = await t.suite.kernel.db('audit_log').where({ action: `${kind}.toggle`, target_id: name }).count({ n: '*' }).first() as { n: number | string };
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => fetch(`${t.baseUrl}${path}`, {
      method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${owner}` }, body: JSON.stringify({ enabled: i % 2 === 0 }),
    })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    const brandId = (await t.suite.kernel.brands.get('race-switch')).id;
    expect(await t.suite.kernel.db('brand_toggles').where({ brand_id: brandId, kind, name })).toHaveLength(1);
    const after = await t.suite.kernel.db('audit_log').where({ action: `${kind}.toggle`, target_id: name }).count({ n: '*' }).first() as { n: number | string };
    expect(Number(after.n) - Number(before.n)).toBe(8);
  });
});

describe('retrying a transaction that lost a deadlock', () => {
  const deadlock = (): Error => Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), { errno: 1213, code: 'ER_LOCK_DEADLOCK' });

  it('only deadlocks and lock wait timeouts count as conflicts to retry', () => {
    expect(isRetryableConflict(deadlock())).toBe(true);
    expect(isRetryableConflict(Object.assign(new Error('Lock wait timeout exceeded'), { errno: 1205 }))).toBe(true);
    expect(isRetryableConflict(Object.assign(new Error('Duplicate entry'), { errno: 1062 }))).toBe(false);
    expect(isRetryableConflict(new Error('boom'))).toBe(false);
  });

  it('a deadlocked transaction runs again from the start (its writes rolled back), a bounded number of times', async () => {
    let runs = 0;
    const retried: number[] = [];
    const out = await retryConflicts(t.suite.kernel.db, async (trx) => {
      runs += 1;
      await trx('suite_settings').insert({ name: `retry-probe-${runs}`, value: 'x' });
      if (runs < 3) throw deadlock();
      return runs;
    }, { onRetry: (attempt) => retried.push(attempt) });
    expect(out).toBe(3);
    expect(retried).toEqual([1, 2]);
    // The first two attempts' writes were rolled back.
    expect((await t.suite.kernel.db('suite_settings').where('name', 'like', 'retry-probe-%').select('name')).map((r: { name: string }) => r.name)).toEqual(['retry-probe-3']);

    let always = 0;
    await expect(retryConflicts(t.suite.kernel.db, async () => { always += 1; throw deadlock(); })).rejects.toMatchObject({ errno: 1213 });
    expect(always).toBe(4);
    let other = 0;
    await expect(retryConflicts(t.suite.kernel.db, async () => { other += 1; throw new Error('not a conflict'); })).rejects.toThrow('not a conflict');
    expect(other).toBe(1);
  });

  const deadlockOnce: [string, string, string, Record<string, unknown>][] = [
    ['an after hook with several handlers (each in a savepoint)', 'ClientAdd', 'inventory', { client_id: 4242, firstname: 'Ada', email: 'ada4242@example.org', country: 'GB' }],
    ['an after hook with one handler (no savepoint)', 'ContactDelete', 'inventory', { userid: 4242, contactid: 1 }],
    ['a pre hook', 'PreRegistrarRegisterDomain', 'registrant', { params: whmcsParams(4242, 'deadlock-once', 'com') }],
  ];

  // MySQL/MariaDB only: SQLite runs one writer at a time, so nothing deadlocks there and the dispatcher does not retry.
  const mysqlOnly = onMysql() ? it : it.skip;
  mysqlOnly.each(deadlockOnce)('%s whose transaction deadlocks once answers 200, its idempotency record and effects written once (MySQL/MariaDB only)', async (_what, hook, module, vars) => {
    const bound = t.suite.kernel.hooks.bindings.find((b) => b.hook === hook && b.module === module)!;
    const original = bound.handler;
    let thrown = 0;
    bound.handler = async (ctx) => {
      const ans = await original(ctx);
      if (thrown++ === 0) throw deadlock();
      return ans;
    };
    try {
      const failures = await count(t.suite, 'hook_failures');
      const r = await postHook(t.baseUrl, hook, secret, { brand: 'race', vars }, { headers: { 'idempotency-key': `deadlock-once-${hook}` } });
      expect([r.status, r.body.afterHookFailures ?? 0]).toEqual([200, 0]);
      expect(thrown).toBe(2);
      expect(await count(t.suite, 'hook_failures')).toBe(failures);
      expect(await t.suite.kernel.db('idempotency_keys').where({ idem_key: `deadlock-once-${hook}` })).toHaveLength(1);
      if (hook === 'ClientAdd') expect(await t.suite.kernel.db('subjects').where({ external_id: '4242', kind: 'client' })).toHaveLength(1);
      if (hook === 'PreRegistrarRegisterDomain') expect(await t.suite.kernel.db('registrant_domains').where({ domain: 'deadlock-once.com' })).toHaveLength(1);
    } finally {
      bound.handler = original;
    }
  });
});

