/**
 * SP-8: runs through the admin API — POST …/runs starts a real run in the background (202, write role, the sweep's
 * lease first: 409 while another run holds it), GET …/runs and …/runs/:id show the report, each brand only its own
 * runs; bad input is a 400 naming the field.
 */
import { Leases } from '../../../core/scheduler/leases';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey } from '../rights/fixtures';
import { approveAll, DAY, retention, retentionBrand, retentionCall, seedClients, subjectState } from './fixtures';

let t: TestSuite;
let owner: string;

beforeAll(async () => {
  t = await startTestSuite();
  owner = await adminKey(t.suite);
});
afterAll(async () => t?.close());

describe('runs through the admin API (SP-8)', () => {
  it('SP-8: POST …/runs answers 202 and runs in the background; GET …/runs/:id shows the finished report; other brands do not see it', async () => {
    const id = await retentionBrand(t.suite, 'api-run', [{ category: 'contact', from: 'account-closed', days: 30, action: 'anonymise' }]);
    await retentionBrand(t.suite, 'api-other', []);
    await approveAll(t.suite, 'api-run');
    const subjects = await seedClients(t.suite, id, Array.from({ length: 50 }, () => ({ closedAt: Date.now() - 60 * DAY })));
    const started = await retentionCall(t.baseUrl, owner, 'api-run', 'POST', '/runs', {});
    expect(started.status).toBe(202);
    expect(started.body.run).toMatchObject({ dryRun: false, state: expect.stringMatching(/^(running|finished)$/) });
    await retention(t.suite).settle();
    const run = await retentionCall(t.baseUrl, owner, 'api-run', 'GET', `/runs/${started.body.run.runId}`);
    expect(run.body.run).toMatchObject({ state: 'finished', totals: { processed: 50, failed: 0 } });
    for (const s of subjects) expect((await subjectState(t.suite, s)).status).toBe('erased');
    expect((await retentionCall(t.baseUrl, owner, 'api-other', 'GET', `/runs/${started.body.run.runId}`)).status).toBe(404);
    expect((await retentionCall(t.baseUrl, owner, 'api-other', 'GET', '/runs')).body.runs).toEqual([]);
    expect(await t.suite.kernel.db('audit_log').where({ action: 'retention.run.finished', target_id: String(started.body.run.runId) }).first()).toBeTruthy();
  });

  it('SP-8: while another instance holds the sweep\'s lease, POST …/runs is a 409 and starts nothing', async () => {
    await retentionBrand(t.suite, 'api-busy', []);
    const other = new Leases(t.suite.kernel.db, 'i_other_instance');
    expect(await other.acquire('retention:sweep', 60_000)).toBe(true);
    try {
      const before = Number(((await t.suite.kernel.db('retention_runs').count({ n: '*' }).first()) as { n: number }).n);
      const r = await retentionCall(t.baseUrl, owner, 'api-busy', 'POST', '/runs', {});
      expect([r.status, r.body.code]).toEqual([409, 'SUITE_RETENTION_BUSY']);
      expect(Number(((await t.suite.kernel.db('retention_runs').count({ n: '*' }).first()) as { n: number }).n)).toBe(before);
      // A dry run needs no lease: it changes nothing.
      expect((await retentionCall(t.baseUrl, owner, 'api-busy', 'POST', '/runs', { dryRun: true })).status).toBe(201);
      // The scheduled job, too, finds it held.
      expect(await t.suite.scheduler.runJob('retention:sweep')).toMatchObject({ ran: false, reason: 'lease held by another instance' });
    } finally {
      await other.release('retention:sweep');
    }
  });

  it('SP-8: POST …/runs validates its body and needs a write role', async () => {
    await retentionBrand(t.suite, 'api-input', []);
    const bad = await retentionCall(t.baseUrl, owner, 'api-input', 'POST', '/runs', { dryRun: 'yes' });
    expect([bad.status, bad.body.fields[0].field]).toEqual([400, 'dryRun']);
    expect((await retentionCall(t.baseUrl, owner, 'api-input', 'POST', '/runs', { dry: true })).status).toBe(400);
    const auditor = await adminKey(t.suite, 'auditor');
    expect((await retentionCall(t.baseUrl, auditor, 'api-input', 'POST', '/runs', { dryRun: true })).status).toBe(403);
    expect((await retentionCall(t.baseUrl, auditor, 'api-input', 'GET', '/rules')).status).toBe(200);
  });
});
