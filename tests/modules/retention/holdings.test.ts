/**
 * MS-9: a category rule also selects a subject by its holdings (data of the category another system holds about it,
 * core/subjects/subject-holdings.ts) — general rules only, a "collected" rule by the holding's since — and samples it
 * with that since as its event; a policy-versioned rule never selects by a holding.
 */
import type { Json } from '../rights/fixtures';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { approveAll, DAY, NOW, retention, retentionBrand, seedClients } from './fixtures';

let t: TestSuite;
const rulesOf = (out: Json): Json[] => out.run.report.brands[0].rules;

beforeAll(async () => {
  t = await startTestSuite({ http: false });
});
afterAll(async () => t?.close());

it('MS-9: a general correspondence rule selects by a holding at or before its cutoff, samples its since; a versioned one does not', async () => {
  const id = await retentionBrand(t.suite, 'held', [
    { category: 'correspondence', from: 'collected', days: 365, action: 'delete' },
    { id: 'corr-old-policy', category: 'correspondence', from: 'collected', days: 30, action: 'delete', policyVersions: ['2023-01'] },
  ]);
  await approveAll(t.suite, 'held');
  // Contact fields only (under 2023-01): nothing of correspondence in the suite.
  const contact = { fields: [{ field: 'email', category: 'contact', version: '2023-01' }] };
  const [aged, young, none] = await seedClients(t.suite, id, [contact, contact, contact]);
  const k = t.suite.kernel;
  await k.subjects.recordHoldings(k.db, [
    { subjectId: aged, holder: 'elsewhere', category: 'correspondence', since: NOW - 400 * DAY },
    { subjectId: young, holder: 'elsewhere', category: 'correspondence', since: NOW - 100 * DAY },
    { subjectId: none, holder: 'elsewhere', category: 'usage', since: NOW - 400 * DAY },
  ]);
  const dry = rulesOf(await retention(t.suite).run({ brand: 'held', now: NOW, dryRun: true }));
  expect(dry.map((r) => [r.ruleId, r.eligible])).toEqual([['correspondence:collected:delete', 1], ['corr-old-policy', 0]]);
  expect(dry[0].samples).toEqual([{ subjectId: aged, eventAt: new Date(NOW - 400 * DAY).toISOString() }]);
  // A year later the young holding is past the cutoff too; the usage holding never counts for correspondence.
  const later = rulesOf(await retention(t.suite).run({ brand: 'held', now: NOW + 300 * DAY, dryRun: true }));
  expect(later.map((r) => [r.ruleId, r.eligible])).toEqual([['correspondence:collected:delete', 2], ['corr-old-policy', 0]]);
});
