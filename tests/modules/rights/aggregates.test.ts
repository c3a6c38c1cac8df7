/** Aggregate reports through the admin API (WSM-8, WSM-14): counts by country, status, kind, month — no group below k. */
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, RIGHTS_PROFILE, rightsBrand, rightsCall } from './fixtures';

let t: TestSuite;
let key: string;
let next = 1;

async function addSubjects(brand: string, country: string, n: number, opts: { restricted?: boolean; erased?: boolean; kind?: 'client' | 'contact' } = {}): Promise<void> {
  const k = t.suite.kernel;
  const b = await k.brands.get(brand);
  await k.keyring.activeKeyId();
  const made: number[] = [];
  await k.db.transaction(async (trx) => {
    for (let i = 0; i < n; i++) {
      const { id } = await k.subjects.upsert(trx, { brandId: b.id, kind: opts.kind ?? 'client', externalId: next++, fields: { email: `c${next}@example.org`, country } });
      made.push(id);
      if (opts.restricted) await k.subjects.setRestricted(trx, id, true);
      if (opts.erased) await k.subjects.erase(trx, id);
    }
  });
}

beforeAll(async () => {
  t = await startTestSuite();
  await rightsBrand(t.suite, 'stats');
  key = await adminKey(t.suite, 'auditor');
  await addSubjects('stats', 'GB', 25);
  await addSubjects('stats', 'DE', 12);
  await addSubjects('stats', 'FR', 3);
  // Neither restricted nor erased subjects are counted.
  await addSubjects('stats', 'GB', 2, { restricted: true });
  await addSubjects('stats', 'FR', 1, { erased: true });
});
afterAll(async () => t?.close());

describe('aggregate reports', () => {
  it('WSM-8: with 25 subjects in GB, 12 in DE and 3 in FR, FR is suppressed and cannot be derived (DE is hidden with it)', async () => {
    const r = await rightsCall(t.baseUrl, key, 'stats', 'GET', '/aggregates?by=country');
    expect(r.status).toBe(200);
    expect(r.body.report).toEqual({
      by: ['country'], k: 10, groups: [{ country: 'GB', count: 25 }], other: { label: 'other (suppressed)', count: 15 }, total: 40, suppressed: true,
    });
    expect(JSON.stringify(r.body)).not.toContain('FR');
    const audit = (await t.suite.kernel.db('audit_log').where({ action: 'rights.aggregates.read' }).orderBy('seq', 'desc').first()) as { details: string };
    expect(JSON.parse(audit.details)).toMatchObject({ by: ['country'], k: 10, suppressed: true });
  });

  it('WSM-14: the profile\'s k decides; a query may raise k but never lower it', async () => {
    await addSubjects('stats', 'NL', 6);
    const ten = await rightsCall(t.baseUrl, key, 'stats', 'GET', '/aggregates?by=country');
    expect(ten.body.report).toMatchObject({ k: 10, groups: [{ country: 'GB', count: 25 }], other: { count: 21 }, total: 46 });
    await t.suite.kernel.brands.setProfile('stats', { ...RIGHTS_PROFILE, aggregates: { kAnonymity: 5 } }, { type: 'cli', id: 'test' });
    const five = await rightsCall(t.baseUrl, key, 'stats', 'GET', '/aggregates?by=country');
    expect(five.body.report).toMatchObject({ k: 5, groups: [{ country: 'GB', count: 25 }, { country: 'DE', count: 12 }], other: { count: 9 }, total: 46 });
    const lower = await rightsCall(t.baseUrl, key, 'stats', 'GET', '/aggregates?by=country&k=2');
    expect(lower.body.report).toMatchObject({ k: 5, groups: five.body.report.groups });
    const higher = await rightsCall(t.baseUrl, key, 'stats', 'GET', '/aggregates?by=country&k=30');
    expect(higher.body.report).toMatchObject({ k: 30, groups: [], other: { count: 46 }, total: 46 });
  });

  it('WSM-8: plain dimensions and cross tables publish no figure below k', async () => {
    const status = await rightsCall(t.baseUrl, key, 'stats', 'GET', '/aggregates?by=status');
    expect(status.body.report).toMatchObject({ groups: [{ status: 'active', count: 46 }], other: null, total: 46, suppressed: false });
    const month = await rightsCall(t.baseUrl, key, 'stats', 'GET', '/aggregates?by=signup-month');
    const now = new Date();
    expect(month.body.report.groups).toEqual([{ 'signup-month': `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`, count: 46 }]);
    await addSubjects('stats', 'GB', 7, { kind: 'contact' });
    await addSubjects('stats', 'DE', 9, { kind: 'contact' });
    const cross = await rightsCall(t.baseUrl, key, 'stats', 'GET', '/aggregates?by=country&by2=kind');
    expect(cross.status).toBe(200);
    expect(cross.body.report.total).toBe(62);
    for (const g of cross.body.report.groups) expect(g.count).toBeGreaterThanOrEqual(5);
    const published = cross.body.report.groups.reduce((a: number, g: { count: number }) => a + g.count, 0);
    expect(published + cross.body.report.other.count).toBe(62);
    expect(cross.body.report.groups).not.toContainEqual(expect.objectContaining({ country: 'FR' }));
  });

  it('bad queries name the parameter', async () => {
    const r = await rightsCall(t.baseUrl, key, 'stats', 'GET', '/aggregates?by=email');
    expect(r.status).toBe(400);
    expect(r.body.fields.map((f: { field: string }) => f.field)).toEqual(['by']);
    const same = await rightsCall(t.baseUrl, key, 'stats', 'GET', '/aggregates?by=kind&by2=kind');
    expect(same.body.fields.map((f: { field: string }) => f.field)).toEqual(['by2']);
  });
});
