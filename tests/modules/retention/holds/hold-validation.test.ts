/**
 * MS-9 / WSM-27: a legal hold's expiry is a real date within range and its id is plain decimal. Before, an expiry past
 * what a date can hold was stored (a 500 on MariaDB's bigint, or stored on SQLite) and the holds list answered 500
 * from then on; `0x1` released hold 1.
 */
import { count, startTestSuite, type TestSuite } from '../../../helpers/test-suite';
import { adminKey } from '../../rights/fixtures';
import { retentionBrand, retentionCall } from '../fixtures';
import { HOLD_EXPIRY_MAX } from '../../../../modules/retention/holds/hold-store';

let t: TestSuite;
let owner: string;
let brandId: number;

beforeAll(async () => {
  t = await startTestSuite();
  owner = await adminKey(t.suite);
  brandId = await retentionBrand(t.suite, 'holds', []);
});
afterAll(async () => t?.close());

const call = (method: string, path: string, body?: unknown) => retentionCall(t.baseUrl, owner, 'holds', method, path, body);

describe('legal hold input (MS-9 / WSM-27)', () => {
  const bad: [string, unknown][] = [
    ['epoch ms past any date', 1e20],
    ['epoch ms one past what a date can show', 8.64e15 + 1],
    ['epoch ms after year 9999', HOLD_EXPIRY_MAX + 1],
    ['epoch ms that is not whole', Date.now() + 86_400_000.5],
    ['a calendar date that does not exist', '2031-02-31T00:00:00Z'],
    ['a date-time that is past year 9999 once its offset is applied', '9999-12-31T23:00:00-05:00'],
    ['a date without a time', '2031-01-01'],
    ['a number written as a string', String(Date.now() + 86_400_000)],
  ];

  it.each(bad)('MS-9: an expiry that is %s is a 400 naming expiresAt, and nothing is written', async (_what, expiresAt) => {
    const [holds, audit] = [await count(t.suite, 'retention_holds'), await count(t.suite, 'audit_log')];
    const r = await call('POST', '/holds', { scope: 'brand', reason: 'fraud', expiresAt });
    expect([r.status, r.body.code, r.body.fields?.map((f: { field: string }) => f.field)]).toEqual([400, 'SUITE_VALIDATION_FAILED', ['expiresAt']]);
    expect([await count(t.suite, 'retention_holds'), await count(t.suite, 'audit_log')]).toEqual([holds, audit]);
  });

  it('MS-9: the latest expiry a date can write (end of year 9999) is accepted and listed', async () => {
    const r = await call('POST', '/holds', { scope: 'brand', reason: 'dispute', expiresAt: '9999-12-31T23:59:59.999Z' });
    expect(r.status).toBe(201);
    expect(r.body.hold).toMatchObject({ expiresAt: '9999-12-31T23:59:59.999Z', active: true });
    const asNumber = await call('POST', '/holds', { scope: 'brand', reason: 'dispute', expiresAt: HOLD_EXPIRY_MAX });
    expect(asNumber.status).toBe(201);
  });

  it('MS-9: a hold stored before expiries were checked (past what a date can show) does not break the list', async () => {
    await t.suite.kernel.db('retention_holds').insert({
      brand_id: brandId, scope: 'brand', subject_id: null, root_id: null, category: null, reason: 'other', note_enc: null,
      expires_at: 1e17, created_by: 'cli:test', created_at: Date.now(), released_at: null, released_by: null,
    });
    const list = await call('GET', '/holds');
    expect(list.status).toBe(200);
    expect(list.body.holds[0]).toMatchObject({ expiresAt: '9999-12-31T23:59:59.999Z', active: true });
  });

  it('MS-9: a hold id is plain decimal: 0x1, 1e0, 01, +1 and " 1" release nothing', async () => {
    const first = (await call('GET', '/holds')).body.holds.at(-1) as { id: number };
    expect(first.id).toBe(1);
    for (const id of ['0x1', '1e0', '01', '+1', '%201', '1.0']) {
      const r = await call('POST', `/holds/${id}/release`);
      expect([id, r.status, r.body.code, r.body.fields?.[0]?.field]).toEqual([id, 400, 'SUITE_VALIDATION_FAILED', 'id']);
    }
    expect((await call('GET', '/holds')).body.holds.at(-1)).toMatchObject({ id: 1, active: true, releasedAt: null });
    expect((await call('POST', '/holds/1/release')).status).toBe(200);
  });
});
