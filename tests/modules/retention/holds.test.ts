/**
 * MS-9 / WSM-27: legal holds win. A held subject (its whole account), a held brand and a held category are never
 * touched by any rule; an expired or released hold no longer applies; the report counts what was held and names the
 * holds. Holds are placed and released through the admin API (write role, audited), validated at the edge.
 */
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey } from '../rights/fixtures';
import { approveAll, DAY, NOW, retention, retentionBrand, retentionCall, seedClients, subjectState } from './fixtures';

let t: TestSuite;
let owner: string;
const RULES = [
  { category: 'contact', from: 'account-closed', days: 30, action: 'anonymise' },
  { category: 'usage', from: 'collected', days: 30, action: 'delete' },
];
const closed = { closedAt: NOW - 60 * DAY };
const withUsage = { fields: [{ field: 'email', category: 'contact' }, { field: 'ip', category: 'usage', at: NOW - 60 * DAY }] };

beforeAll(async () => {
  t = await startTestSuite();
  owner = await adminKey(t.suite);
});
afterAll(async () => t?.close());

type Rule = { ruleId: string; state: string; processed: number; held: number; holdIds: number[]; eligible: number };
const rulesOf = (out: Record<string, unknown>): Rule[] => (out.run as { report: { brands: { rules: Rule[] }[] } }).report.brands[0].rules;

async function brand(slug: string): Promise<number> {
  const id = await retentionBrand(t.suite, slug, RULES);
  await approveAll(t.suite, slug);
  return id;
}

describe('legal holds (MS-9 / WSM-27)', () => {
  it('MS-9/WSM-27: a subject hold keeps the whole account (a hold on a contact keeps its client); an expired hold no longer applies; the report names the holds', async () => {
    const id = await brand('hold-subject');
    const [held, viaContact, expiring, free] = await seedClients(t.suite, id, [closed, { ...closed, contacts: 1 }, closed, closed]);
    const contact = viaContact + 1;
    const h1 = await retentionCall(t.baseUrl, owner, 'hold-subject', 'POST', '/holds', { scope: 'subject', subjectId: held, reason: 'dispute', note: 'case 2026-114' });
    expect(h1.status).toBe(201);
    expect(h1.body.hold).toMatchObject({ scope: 'subject', subjectId: held, reason: 'dispute', note: 'case 2026-114', active: true, releasedAt: null });
    const h2 = await retentionCall(t.baseUrl, owner, 'hold-subject', 'POST', '/holds', { scope: 'subject', subjectId: contact, reason: 'fraud' });
    const expiresAt = new Date(NOW + 10 * DAY).toISOString();
    const h3 = await retentionCall(t.baseUrl, owner, 'hold-subject', 'POST', '/holds', { scope: 'subject', subjectId: expiring, reason: 'authority-request', expiresAt });
    expect(h3.status).toBe(201);
    // The note is stored encrypted.
    expect(String((await t.suite.kernel.db('retention_holds').where({ id: h1.body.hold.id }).first()).note_enc)).not.toContain('2026-114');

    const first = await retention(t.suite).run({ brand: 'hold-subject', now: NOW });
    const [contactRule] = rulesOf(first);
    expect(contactRule).toMatchObject({ state: 'done', eligible: 1, processed: 1, held: 3 });
    expect(contactRule.holdIds).toEqual([h1.body.hold.id, h2.body.hold.id, h3.body.hold.id]);
    expect((await subjectState(t.suite, held)).status).toBe('closed');
    expect((await subjectState(t.suite, viaContact)).status).toBe('closed');
    expect((await subjectState(t.suite, contact)).status).toBe('active');
    expect((await subjectState(t.suite, expiring)).status).toBe('closed');
    expect((await subjectState(t.suite, free)).status).toBe('erased');

    // Eleven days later the third hold has expired: that subject goes, the others stay held.
    const later = await retention(t.suite).run({ brand: 'hold-subject', now: NOW + 11 * DAY });
    expect(rulesOf(later)[0]).toMatchObject({ processed: 1, held: 2, holdIds: [h1.body.hold.id, h2.body.hold.id] });
    expect((await subjectState(t.suite, expiring)).status).toBe('erased');
    expect((await subjectState(t.suite, held)).status).toBe('closed');

    // Released: the next run processes it (release is audited).
    const rel = await retentionCall(t.baseUrl, owner, 'hold-subject', 'POST', `/holds/${h1.body.hold.id}/release`);
    expect(rel.status).toBe(200);
    expect(rel.body.hold).toMatchObject({ active: false, releasedBy: expect.stringMatching(/^apikey:/) });
    expect((await retentionCall(t.baseUrl, owner, 'hold-subject', 'POST', `/holds/${h1.body.hold.id}/release`)).body.code).toBe('SUITE_RETENTION_HOLD_RELEASED');
    await retention(t.suite).run({ brand: 'hold-subject', now: NOW + 12 * DAY });
    expect((await subjectState(t.suite, held)).status).toBe('erased');
    expect((await subjectState(t.suite, viaContact)).status).toBe('closed');
    const actions = (await t.suite.kernel.db('audit_log').where('action', 'like', 'retention.hold.%').pluck('action')) as string[];
    expect(actions.filter((a) => a === 'retention.hold.created')).toHaveLength(3);
    expect(actions.filter((a) => a === 'retention.hold.released')).toHaveLength(1);
    const listed = await retentionCall(t.baseUrl, owner, 'hold-subject', 'GET', '/holds?active=1');
    // In real time the third hold has not expired yet; the released one is no longer active.
    expect(listed.body.holds.map((h: { id: number }) => h.id)).toEqual([h3.body.hold.id, h2.body.hold.id]);
  });

  it('MS-9/WSM-27: a brand hold keeps every rule of the brand out; the report says held with the hold id', async () => {
    const id = await brand('hold-brand');
    const [a, b] = await seedClients(t.suite, id, [closed, withUsage]);
    const h = await retentionCall(t.baseUrl, owner, 'hold-brand', 'POST', '/holds', { scope: 'brand', reason: 'authority-request', note: 'order 77/2026' });
    const out = await retention(t.suite).run({ brand: 'hold-brand', now: NOW });
    expect(rulesOf(out).map((r) => [r.state, r.processed, r.held, r.holdIds])).toEqual([['held', 0, 1, [h.body.hold.id]], ['held', 0, 1, [h.body.hold.id]]]);
    expect(await subjectState(t.suite, a)).toMatchObject({ status: 'closed' });
    expect(await subjectState(t.suite, b)).toEqual({ status: 'active', fields: { contact: ['email'], usage: ['ip'] } });
    const rules = await retentionCall(t.baseUrl, owner, 'hold-brand', 'GET', '/rules');
    expect(rules.body.rules.map((r: { heldBy: number[] }) => r.heldBy)).toEqual([[h.body.hold.id], [h.body.hold.id]]);
  });

  it('MS-9/WSM-27: a category hold keeps that category (and whole-subject anonymisation of subjects holding it) while other rules run', async () => {
    const id = await brand('hold-category');
    const [closedWithUsage, closedPlain, activeWithUsage] = await seedClients(t.suite, id, [{ ...closed, ...withUsage }, closed, withUsage]);
    const h = await retentionCall(t.baseUrl, owner, 'hold-category', 'POST', '/holds', { scope: 'category', category: 'usage', reason: 'dispute' });
    const out = await retention(t.suite).run({ brand: 'hold-category', now: NOW });
    const [contactRule, usageRule] = rulesOf(out);
    expect(contactRule).toMatchObject({ state: 'done', processed: 1, held: 1, holdIds: [h.body.hold.id] });
    expect(usageRule).toMatchObject({ state: 'held', processed: 0, held: 2, holdIds: [h.body.hold.id] });
    expect((await subjectState(t.suite, closedPlain)).status).toBe('erased');
    expect(await subjectState(t.suite, closedWithUsage)).toEqual({ status: 'closed', fields: { contact: ['email'], usage: ['ip'] } });
    expect((await subjectState(t.suite, activeWithUsage)).fields.usage).toEqual(['ip']);
  });

  it('MS-9/WSM-27: holds are validated at the edge (400 naming the field, nothing written) and need a write role', async () => {
    await brand('hold-input');
    const before = Number(((await t.suite.kernel.db('retention_holds').count({ n: '*' }).first()) as { n: number }).n);
    const cases: [unknown, string][] = [
      [{ scope: 'subject', reason: 'dispute' }, 'subjectId'],
      [{ scope: 'category', reason: 'dispute' }, 'category'],
      [{ scope: 'brand', reason: 'because' }, 'reason'],
      [{ scope: 'subject', subjectId: 999_999, reason: 'fraud' }, 'subjectId'],
      [{ scope: 'brand', reason: 'fraud', expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt'],
    ];
    for (const [body, field] of cases) {
      const r = await retentionCall(t.baseUrl, owner, 'hold-input', 'POST', '/holds', body);
      expect([r.status, r.body.code, r.body.fields?.[0]?.field]).toEqual([400, 'SUITE_VALIDATION_FAILED', field]);
    }
    const auditor = await adminKey(t.suite, 'auditor');
    expect((await retentionCall(t.baseUrl, auditor, 'hold-input', 'POST', '/holds', { scope: 'brand', reason: 'fraud' })).status).toBe(403);
    expect(Number(((await t.suite.kernel.db('retention_holds').count({ n: '*' }).first()) as { n: number }).n)).toBe(before);
  });
});
