/**
 * MS-9 / WSM-27: retention rules fire exactly at their boundary. With "now" fixed, a subject whose event is `days`
 * ago is processed and one whose event is a day later is kept — for a whole-subject anonymisation (account closed)
 * and a field-level delete (usage collected: inventory fields, the platform's activity log, the consent ledger's IP).
 */
import type { PlatformService } from '../../../modules/platform';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { approveAll, DAY, NOW, retention, retentionBrand, seedClients, subjectState } from './fixtures';

let t: TestSuite;
let brandId: number;
const RULES = [
  { category: 'contact', from: 'account-closed', days: 365, action: 'anonymise' },
  { category: 'usage', from: 'collected', days: 180, action: 'delete' },
];
const usage = (at: number) => [
  { field: 'email', category: 'contact' }, { field: 'firstname', category: 'contact' },
  { field: 'ip', category: 'usage', at }, { field: 'user_agent', category: 'usage', at },
];

beforeAll(async () => {
  t = await startTestSuite({ http: false });
  brandId = await retentionBrand(t.suite, 'edge', RULES);
  await approveAll(t.suite, 'edge');
});
afterAll(async () => t?.close());

async function count(table: string, where: Record<string, unknown>): Promise<number> {
  return Number(((await t.suite.kernel.db(table).where(where).count({ n: '*' }).first()) as { n: number | string }).n);
}

describe('rule boundaries (MS-9 / WSM-27)', () => {
  it('MS-9/WSM-27: account closed exactly 365 days ago is anonymised, 364 days ago is kept; usage collected exactly 180 days ago is deleted, 179 kept', async () => {
    const [onDay, dayBefore, active, usedOnDay, usedDayBefore] = await seedClients(t.suite, brandId, [
      { closedAt: NOW - 365 * DAY, paid: [NOW - 400 * DAY] },
      { closedAt: NOW - 364 * DAY },
      { status: 'active' },
      { fields: usage(NOW - 180 * DAY), activity: [NOW - 180 * DAY, NOW - 179 * DAY] },
      { fields: usage(NOW - 179 * DAY), activity: [NOW - 179 * DAY] },
    ]);
    const out = await retention(t.suite).run({ now: NOW, brand: 'edge' });
    expect(out.ok).toBe(true);

    // Whole subject: anonymised through the rights erasure — tombstone, no fields, platform record sealed, invoice kept.
    expect(await subjectState(t.suite, onDay)).toEqual({ status: 'erased', fields: {} });
    const client = await t.suite.kernel.db('platform_clients').where({ id: Number((await t.suite.kernel.subjects.get(onDay)).externalId) }).first();
    expect(client.personal_enc).toBeNull();
    expect(await count('platform_invoices', { client_id: client.id })).toBe(1);
    expect(await t.suite.kernel.db('rights_erasures').where({ subject_id: onDay, state: 'done' }).first()).toBeTruthy();
    expect(await t.suite.kernel.db('rights_statutory_records').where({ subject_id: onDay }).first()).toBeTruthy();
    expect((await subjectState(t.suite, dayBefore)).status).toBe('closed');
    expect((await subjectState(t.suite, dayBefore)).fields.contact).toHaveLength(6);
    expect((await subjectState(t.suite, active)).status).toBe('active');

    // Field level: only the usage fields go; per record, the activity row of day 180 goes and the one of day 179 stays.
    expect(await subjectState(t.suite, usedOnDay)).toEqual({ status: 'active', fields: { contact: ['email', 'firstname'] } });
    expect(await subjectState(t.suite, usedDayBefore)).toEqual({ status: 'active', fields: { contact: ['email', 'firstname'], usage: ['ip', 'user_agent'] } });
    const cid = Number((await t.suite.kernel.subjects.get(usedOnDay)).externalId);
    expect(((await t.suite.kernel.db('platform_activity_log').where({ client_id: cid }).pluck('created_at')) as number[]).map(Number)).toEqual([NOW - 179 * DAY]);
    const cid2 = Number((await t.suite.kernel.subjects.get(usedDayBefore)).externalId);
    expect(await count('platform_activity_log', { client_id: cid2 })).toBe(1);

    const report = out.run!.report.brands[0].rules;
    expect(report.map((r) => [r.ruleId, r.state, r.eligible, r.processed, r.failed])).toEqual([
      ['contact:account-closed:anonymise', 'done', 1, 1, 0],
      ['usage:collected:delete', 'done', 1, 1, 0],
    ]);
    expect(report[0].cutoff).toBe(new Date(NOW - 365 * DAY).toISOString());
  });

  it('MS-9/WSM-27: the consent ledger loses IP and user agent exactly 180 days after collection; the entry stays as proof', async () => {
    const platform = t.suite.kernel.service<PlatformService>('platform');
    const { subjectId } = await platform.signUp('edge', { firstname: 'Ada', lastname: 'Byron', email: 'ada.byron@example.org', country: 'GB', password: 'correct horse battery staple', accepttos: true, marketing_emails_opt_in: true }, { ip: '198.51.100.4', userAgent: 'Mozilla/5.0 (test)' });
    const rows = (await t.suite.kernel.db('consent_ledger').where({ subject_id: subjectId }).select('id', 'created_at', 'ip_enc')) as { id: number; created_at: number; ip_enc: string | null }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.ip_enc !== null)).toBe(true);
    const oldest = Math.min(...rows.map((r) => Number(r.created_at)));

    await retention(t.suite).run({ now: oldest + 179 * DAY, brand: 'edge' });
    expect(await count('consent_ledger', { subject_id: subjectId, ip_enc: null })).toBe(0);

    const latest = Math.max(...rows.map((r) => Number(r.created_at)));
    await retention(t.suite).run({ now: latest + 180 * DAY, brand: 'edge' });
    const after = (await t.suite.kernel.db('consent_ledger').where({ subject_id: subjectId }).select('ip_enc', 'ua_enc', 'hash')) as { ip_enc: string | null; ua_enc: string | null }[];
    expect(after).toHaveLength(rows.length);
    expect(after.every((r) => r.ip_enc === null && r.ua_enc === null)).toBe(true);
    // Proof kept: the chain still verifies.
    const { consentChain } = await import('../../../modules/consent/ledger/consent-ledger');
    expect((await consentChain.verify(t.suite.kernel.db)).ok).toBe(true);
  });
});
