/**
 * SP-4: each collected record remembers the policy version in force when it was collected, and rules can differ per
 * version: a rule with `policyVersions` applies only to records collected under those versions and wins over the
 * general rule of the same category for them. Sign-up through the panel stamps the terms version on the fields.
 */
import type { PlatformService } from '../../../modules/platform';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, type Json } from '../rights/fixtures';
import { approveAll, DAY, NOW, retention, retentionBrand, seedClients, subjectState } from './fixtures';

let t: TestSuite;
const rulesOf = (out: Json): Json[] => out.run.report.brands[0].rules;
const usageAt = (at: number, version: string | null) => ({ fields: [{ field: 'email', category: 'contact', version }, { field: 'ip', category: 'usage', at, version }] });

beforeAll(async () => {
  t = await startTestSuite();
});
afterAll(async () => t?.close());

describe('version binding (SP-4)', () => {
  it('SP-4: a versioned rule applies only to its version\'s records and wins over the general rule for them', async () => {
    const id = await retentionBrand(t.suite, 'versions', [
      { category: 'usage', from: 'collected', days: 30, action: 'delete' },
      { id: 'usage-old-policy', category: 'usage', from: 'collected', days: 365, action: 'delete', policyVersions: ['2023-01'] },
    ]);
    await approveAll(t.suite, 'versions');
    const [oldYoung, oldAged, current, unversioned] = await seedClients(t.suite, id, [
      usageAt(NOW - 100 * DAY, '2023-01'), usageAt(NOW - 365 * DAY, '2023-01'), usageAt(NOW - 100 * DAY, '2024-06'), usageAt(NOW - 100 * DAY, null),
    ]);
    const out = await retention(t.suite).run({ brand: 'versions', now: NOW });
    expect(rulesOf(out).map((r) => [r.ruleId, r.policyVersions, r.processed])).toEqual([
      ['usage:collected:delete', null, 2],
      ['usage-old-policy', ['2023-01'], 1],
    ]);
    // Collected under 2023-01: the old policy's 365 days apply, not the general 30.
    expect((await subjectState(t.suite, oldYoung)).fields.usage).toEqual(['ip']);
    expect((await subjectState(t.suite, oldAged)).fields.usage).toBeUndefined();
    expect((await subjectState(t.suite, current)).fields.usage).toBeUndefined();
    expect((await subjectState(t.suite, unversioned)).fields.usage).toBeUndefined();
  });

  it('SP-4: a whole-subject rule bound to a version anonymises only subjects whose record was collected under it', async () => {
    const id = await retentionBrand(t.suite, 'versions-subject', [
      { category: 'contact', from: 'account-closed', days: 30, action: 'anonymise', policyVersions: ['2023-01'] },
    ]);
    await approveAll(t.suite, 'versions-subject');
    const contact = (version: string) => ({ closedAt: NOW - 60 * DAY, fields: [{ field: 'email', category: 'contact', version }, { field: 'city', category: 'contact', version }] });
    const [old, current] = await seedClients(t.suite, id, [contact('2023-01'), contact('2024-06')]);
    const out = await retention(t.suite).run({ brand: 'versions-subject', now: NOW });
    expect(rulesOf(out)[0]).toMatchObject({ ruleId: 'contact:account-closed:anonymise:v-2023-01', processed: 1 });
    expect((await subjectState(t.suite, old)).status).toBe('erased');
    expect((await subjectState(t.suite, current)).status).toBe('closed');
  });

  it('SP-4: a sign-up stamps the terms version in force on every field it collected; later edits keep the person\'s accepted version', async () => {
    await retentionBrand(t.suite, 'stamped', []);
    const owner = await adminKey(t.suite);
    const doc = await fetch(`${t.baseUrl}/api/v1/admin/brands/stamped/modules/consent/documents`, {
      method: 'POST', headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'terms', language: 'en', version: '2026-03', text: 'Terms of March.' }),
    });
    expect(doc.status).toBeLessThan(300);
    const platform = t.suite.kernel.service<PlatformService>('platform');
    const { clientId, subjectId } = await platform.signUp('stamped', { firstname: 'Grace', lastname: 'Hopper', email: 'grace@example.org', country: 'US', password: 'correct horse battery staple', accepttos: true }, { ip: '203.0.113.9' });
    const versions = (await t.suite.kernel.db('subject_fields').where({ subject_id: subjectId }).select('field', 'policy_version')) as { field: string; policy_version: string | null }[];
    expect(versions.length).toBeGreaterThan(3);
    expect(new Set(versions.map((v) => v.policy_version))).toEqual(new Set(['2026-03']));
    await platform.updateClient(clientId, { city: 'Arlington' });
    // The edit re-stored the city (the inventory writes it without a version); the consent capture stamps it again.
    expect((await t.suite.kernel.db('subject_fields').where({ subject_id: subjectId, field: 'city' }).first()).policy_version).toBe('2026-03');
  });
});
