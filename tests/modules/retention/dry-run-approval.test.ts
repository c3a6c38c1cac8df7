/**
 * SP-8: a dry run lists what a run would do per brand and rule — counts, held counts and samples (subject ids and
 * dates, no personal values) — and changes nothing (a digest of every data table before and after); through the
 * real CLI and the admin API. The approval gate: an unapproved rule is reported and skipped, an approved one runs,
 * a changed rule needs approving again, and an approval may name the dry run it was based on.
 */
import { runCli } from '../../helpers/run-cli';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, RIGHTS_PROFILE, type Json } from '../rights/fixtures';
import { DAY, digestAll, NOW, retention, retentionBrand, retentionCall, seedClients, subjectState } from './fixtures';

let t: TestSuite;
let owner: string;
const RULES = [
  { category: 'contact', from: 'account-closed', days: 30, action: 'anonymise' },
  { category: 'usage', from: 'collected', days: 30, action: 'delete' },
  { category: 'billing', from: 'invoice-paid', days: 100, action: 'strip' },
  { category: 'usage', from: 'last-login', days: 10, action: 'strip' },
];
const usage = { fields: [{ field: 'email', category: 'contact' }, { field: 'ip', category: 'usage', at: NOW - 45 * DAY }] };
const billing = { fields: [{ field: 'email', category: 'contact' }, { field: 'tax_id', category: 'billing' }], paid: [NOW - 200 * DAY] };
const rulesOf = (out: Json): Json[] => out.run.report.brands[0].rules;

beforeAll(async () => {
  t = await startTestSuite();
  owner = await adminKey(t.suite);
});
afterAll(async () => t?.close());

describe('dry run (SP-8)', () => {
  it('SP-8: `retention run --dry-run` (real CLI) and POST …/runs {dryRun:true} report counts and samples per rule and change nothing', async () => {
    const id = await retentionBrand(t.suite, 'dry', RULES);
    const closed = await seedClients(t.suite, id, [{ closedAt: NOW - 60 * DAY }, { closedAt: NOW - 40 * DAY }, { closedAt: NOW - 10 * DAY }]);
    const used = await seedClients(t.suite, id, [usage, usage]);
    await seedClients(t.suite, id, [billing]);
    const before = await digestAll(t.suite);

    const cli = await runCli(t.db, ['retention', 'run', '--dry-run', '--brand', 'dry', '--json']);
    expect([cli.code, cli.stderr]).toEqual([0, '']);
    const body = JSON.parse(cli.stdout) as Json;
    expect(body.run).toMatchObject({ dryRun: true, state: 'finished' });
    const rules = rulesOf(body);
    expect(rules.map((r) => [r.ruleId, r.state, r.eligible, r.held])).toEqual([
      ['contact:account-closed:anonymise', 'awaiting-approval', 2, 0],
      ['usage:collected:delete', 'awaiting-approval', 2, 0],
      ['usage:last-login:strip', 'invalid', 0, 0],
      ['billing:invoice-paid:strip', 'awaiting-approval', 1, 0],
    ]);
    expect(rules[2].reason).toBe('strip-only-for-billing');
    expect(rules[0].samples).toEqual([
      { subjectId: closed[0], eventAt: new Date(NOW - 60 * DAY).toISOString() },
      { subjectId: closed[1], eventAt: new Date(NOW - 40 * DAY).toISOString() },
    ]);
    expect(rules[1].samples.map((s: Json) => s.subjectId)).toEqual(used);
    // No personal value anywhere in the report.
    expect(cli.stdout).not.toMatch(/example\.org|Noether|192\.0\.2/);
    expect(await digestAll(t.suite)).toEqual(before);

    const api = await retentionCall(t.baseUrl, owner, 'dry', 'POST', '/runs', { dryRun: true });
    expect(api.status).toBe(201);
    expect(rulesOf(api.body).map((r) => r.eligible)).toEqual([2, 2, 0, 1]);
    expect(await digestAll(t.suite)).toEqual(before);
    const listed = await retentionCall(t.baseUrl, owner, 'dry', 'GET', '/runs');
    expect(listed.body.runs.map((r: Json) => [r.runId, r.dryRun])).toEqual([[api.body.run.runId, true], [body.run.runId, true]]);
    expect((await retentionCall(t.baseUrl, owner, 'dry', 'GET', `/runs/${api.body.run.runId}`)).body.run.report.brands[0].rules[0].samples).toHaveLength(2);
  });

  it('SP-8: the approval gate — unapproved rules are skipped and reported; an approved rule runs; a changed rule needs a new approval', async () => {
    const id = await retentionBrand(t.suite, 'gate', RULES.slice(0, 2));
    const [c1, c2] = await seedClients(t.suite, id, [{ closedAt: NOW - 60 * DAY }, { closedAt: NOW - 60 * DAY }]);
    const [u1] = await seedClients(t.suite, id, [usage]);
    // A real run takes the sweep's lease (job_leases); nothing else may change while no rule is approved.
    const before = await digestAll(t.suite, ['job_leases']);

    const unapproved = await retention(t.suite).run({ brand: 'gate', now: NOW });
    expect(rulesOf(unapproved).map((r) => [r.state, r.processed])).toEqual([['awaiting-approval', 0], ['awaiting-approval', 0]]);
    expect(unapproved.run!.totals.awaitingApproval).toEqual(['gate/contact:account-closed:anonymise', 'gate/usage:collected:delete']);
    expect(await digestAll(t.suite, ['job_leases'])).toEqual(before);

    const listed = await retentionCall(t.baseUrl, owner, 'gate', 'GET', '/rules');
    expect(listed.body.rules.map((r: Json) => [r.id, r.state])).toEqual([['contact:account-closed:anonymise', 'awaiting-approval'], ['usage:collected:delete', 'awaiting-approval']]);
    expect(listed.body.rules[0]).toMatchObject({ schedule: '0 3 * * *', nextRunAt: expect.stringMatching(/T\d\d:\d\d:00\.000Z$/), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(new Date(listed.body.rules[0].nextRunAt).getTime() - Date.now()).toBeLessThanOrEqual(DAY);

    const dry = await retentionCall(t.baseUrl, owner, 'gate', 'POST', '/runs', { dryRun: true });
    const auditor = await adminKey(t.suite, 'auditor');
    expect((await retentionCall(t.baseUrl, auditor, 'gate', 'POST', '/rules/contact:account-closed:anonymise/approve', { dryRunId: dry.body.run.runId })).status).toBe(403);
    expect((await retentionCall(t.baseUrl, owner, 'gate', 'POST', '/rules/contact:account-closed:anonymise/approve', { dryRunId: unapproved.run!.runId })).body.code).toBe('SUITE_RETENTION_DRY_RUN_MISMATCH');
    expect((await retentionCall(t.baseUrl, owner, 'gate', 'POST', '/rules/nope/approve', {})).status).toBe(404);
    const ok = await retentionCall(t.baseUrl, owner, 'gate', 'POST', '/rules/contact:account-closed:anonymise/approve', { dryRunId: dry.body.run.runId });
    expect(ok.status).toBe(200);
    expect(ok.body.rule).toMatchObject({ state: 'approved', approval: { dryRunId: dry.body.run.runId, approvedBy: expect.stringMatching(/^apikey:/) } });
    expect(await t.suite.kernel.db('audit_log').where({ action: 'retention.rule.approved', target_id: 'contact:account-closed:anonymise' }).first()).toBeTruthy();

    const approved = await retention(t.suite).run({ brand: 'gate', now: NOW });
    expect(rulesOf(approved).map((r) => [r.state, r.processed])).toEqual([['done', 2], ['awaiting-approval', 0]]);
    expect([(await subjectState(t.suite, c1)).status, (await subjectState(t.suite, c2)).status]).toEqual(['erased', 'erased']);
    expect((await subjectState(t.suite, u1)).fields.usage).toEqual(['ip']);

    // The rule changes (60 → 20 days): a new definition, a new approval.
    await t.suite.kernel.brands.setProfile('gate', { ...RIGHTS_PROFILE, retention: [{ ...RULES[0], days: 20 }, RULES[1]] }, { type: 'cli', id: 'test' });
    const [c3] = await seedClients(t.suite, id, [{ closedAt: NOW - 25 * DAY }]);
    const changed = await retention(t.suite).run({ brand: 'gate', now: NOW });
    expect(rulesOf(changed)[0]).toMatchObject({ ruleId: 'contact:account-closed:anonymise', state: 'awaiting-approval', processed: 0 });
    expect((await subjectState(t.suite, c3)).status).toBe('closed');
    expect((await retentionCall(t.baseUrl, owner, 'gate', 'GET', '/rules')).body.rules[0].state).toBe('awaiting-approval');
    // The old dry run showed the old definition: it cannot back the new approval.
    expect((await retentionCall(t.baseUrl, owner, 'gate', 'POST', '/rules/contact:account-closed:anonymise/approve', { dryRunId: dry.body.run.runId })).body.code).toBe('SUITE_RETENTION_DRY_RUN_MISMATCH');
    expect((await retentionCall(t.baseUrl, owner, 'gate', 'POST', '/rules/contact:account-closed:anonymise/approve', {})).status).toBe(200);
    const again = await retention(t.suite).run({ brand: 'gate', now: NOW });
    expect(rulesOf(again)[0]).toMatchObject({ state: 'done', processed: 1 });
    expect((await subjectState(t.suite, c3)).status).toBe('erased');
  });

  it('SP-8: an invalid rule cannot be approved (409) and never runs', async () => {
    await retentionBrand(t.suite, 'invalid', [RULES[3]]);
    const r = await retentionCall(t.baseUrl, owner, 'invalid', 'POST', '/rules/usage:last-login:strip/approve', {});
    expect([r.status, r.body.code]).toEqual([409, 'SUITE_RETENTION_RULE_INVALID']);
    expect(rulesOf(await retention(t.suite).run({ brand: 'invalid' }))[0]).toMatchObject({ state: 'invalid', reason: 'strip-only-for-billing' });
  });
});
