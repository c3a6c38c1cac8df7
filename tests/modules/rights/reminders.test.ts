/** Overdue and near-due requests (MS-8c): the queue flags them, and the daily job emails ONE reminder per controller's queue, once per state. */
import type { Brand } from '../../../core/brands/brand';
import type { RightsService } from '../../../modules/rights/rights-service';
import { needsReminder } from '../../../modules/rights/jobs/due-reminder-job';
import { dueDate } from '../../../modules/rights/requests/due-date';
import { dueState } from '../../../modules/rights/requests/queue';
import { RightsSettings } from '../../../modules/rights/settings';
import { Leases } from '../../../core/scheduler/leases';
import { SmtpSink } from '../../helpers/smtp-sink';
import { count, drainOutbox, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, rightsBrand, rightsCall } from './fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are read field by field in assertions
type Json = Record<string, any>;

const DAY = 86_400_000;
const CONTROLLER = 'privacy@test-hosting.example';
const DESK = 'dsar-desk@second.example';
const sink = new SmtpSink();
let t: TestSuite;
let key: string;
let brand: Brand;
const ids: Record<string, number> = {};

const rights = () => t.suite.kernel.service<RightsService>('rights');
const open = async (b: Brand, email: string, receivedAt: number, type: 'access' | 'erase' | 'confirm' = 'access') =>
  (await rights().open(b, { type, email, name: 'Ada Lovelace' }, { source: 'admin', actor: { type: 'cli', id: 'test' }, now: receivedAt })).id;
const runJob = () => t.suite.scheduler.runJob('rights:due-reminder');

beforeAll(async () => {
  await sink.start();
  t = await startTestSuite({ config: { smtpUrl: sink.url, mailFrom: 'privacy@suite.example' } });
  await rightsBrand(t.suite, 'desk', { rights: { dueBusinessDays: 3 } });
  await rightsBrand(t.suite, 'second', { rights: { dueBusinessDays: 3 }, modules: { rights: { reminderEmail: DESK } } });
  key = await adminKey(t.suite);
  brand = await t.suite.kernel.brands.get('desk');
  const profile = await t.suite.kernel.brands.profile(brand);
  const settings = RightsSettings.parse(profile.modules.rights ?? {});
  const now = Date.now();
  // A receipt time that makes the request near due now (due within nearDueBusinessDays, not yet overdue).
  let nearAt = now;
  for (let k = 0; k < 10; k++) {
    const at = now - k * DAY;
    const s = dueState(profile, settings, { status: 'received', due_at: dueDate(profile, at) }, now);
    if (s.nearDue && !s.overdue) { nearAt = at; break; }
  }
  ids.overdue = await open(brand, 'late.person@example.org', now - 20 * DAY);
  ids.near = await open(brand, 'near.person@example.org', nearAt);
  ids.fresh = await open(brand, 'fresh.person@example.org', now + 0, 'erase');
  ids.closed = await open(brand, 'closed.person@example.org', now - 20 * DAY, 'confirm');
  await rightsCall(t.baseUrl, key, 'desk', 'POST', `/requests/${ids.closed}/reject`, { reason: 'Could not verify the requester' });
  ids.second = await open(await t.suite.kernel.brands.get('second'), 'other.person@example.org', now - 20 * DAY);
});
afterAll(async () => {
  await t?.close();
  await sink.stop();
});

describe('MS-8c: overdue requests surface and alert', () => {
  it('MS-8c: the queue flags overdue and near-due open requests, open ones first by due date, closed ones after', async () => {
    const q = await rightsCall(t.baseUrl, key, 'desk', 'GET', '/requests');
    expect(q.status).toBe(200);
    const byId = new Map<number, Json>(q.body.requests.map((r: { id: number }) => [r.id, r]));
    expect(byId.get(ids.overdue)).toMatchObject({ overdue: true, nearDue: false });
    expect(byId.get(ids.overdue)!.businessDaysLeft).toBeLessThan(0);
    expect(byId.get(ids.near)).toMatchObject({ overdue: false, nearDue: true });
    expect(byId.get(ids.fresh)).toMatchObject({ overdue: false, nearDue: false, businessDaysLeft: 3 });
    expect(byId.get(ids.closed)).toMatchObject({ status: 'rejected', overdue: false, nearDue: false, businessDaysLeft: null });
    expect(q.body.requests.map((r: { id: number }) => r.id)).toEqual([ids.overdue, ids.near, ids.fresh, ids.closed]);
    const overdueOnly = await rightsCall(t.baseUrl, key, 'desk', 'GET', '/requests?overdue=1');
    expect(overdueOnly.body.requests.map((r: { id: number }) => r.id)).toEqual([ids.overdue]);
  });

  it('MS-8c: the job emails ONE reminder per controller, with ids, types and due dates and nothing about the requesters', async () => {
    const run = await runJob();
    expect(run).toMatchObject({ ran: true });
    expect(run.error).toBeUndefined();
    expect((run.result as { queues: unknown[] }).queues).toEqual(expect.arrayContaining([{ brand: 'desk', requests: 2 }, { brand: 'second', requests: 1 }]));
    await drainOutbox(t.suite);
    const mails = sink.to(CONTROLLER);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.subject).toContain('1 overdue and 1 soon due');
    expect(mail.text).toContain(`#${ids.overdue}`);
    expect(mail.text).toContain(`#${ids.near}`);
    expect(mail.text).not.toContain(`#${ids.fresh} `);
    expect(mail.text).not.toContain(`#${ids.closed} `);
    expect(mail.text).toMatch(/OVERDUE/);
    expect(mail.text).toMatch(new RegExp(`#${ids.overdue}  access  due `));
    const dueLine = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date((await rightsCall(t.baseUrl, key, 'desk', 'GET', `/requests/${ids.overdue}`)).body.request.dueAt));
    expect(mail.text).toContain(dueLine);
    for (const personal of ['late.person@example.org', 'near.person@example.org', 'Ada', 'Lovelace']) {
      expect(mail.raw).not.toContain(personal);
    }
    // The other brand's reminder goes to its own reminderEmail.
    expect(sink.to(DESK)).toHaveLength(1);
    expect(sink.to(DESK)[0].text).toContain(`#${ids.second}`);
    const row = await t.suite.kernel.db('outbox').where({ topic: 'rights.due-reminder', brand_id: brand.id }).first();
    expect(row).toMatchObject({ recipient: 'email', subject_id: null, state: 'delivered' });
    expect(await t.suite.kernel.keyring.decrypt(row.payload_enc)).not.toMatch(/person@example\.org/);
  });

  it('MS-8c: running the job again sends nothing new', async () => {
    const before = await count(t.suite, 'outbox');
    const run = await runJob();
    expect((run.result as { queues: unknown[] }).queues).toEqual([]);
    await drainOutbox(t.suite);
    expect(await count(t.suite, 'outbox')).toBe(before);
    expect(sink.to(CONTROLLER)).toHaveLength(1);
  });

  it('MS-8c: a request reminded while near due is reminded once more when it becomes overdue', async () => {
    // Time passes: shift the near-due request's clock so that its due date was an hour ago.
    const row = await t.suite.kernel.db('rights_requests').where({ id: ids.near }).first();
    const shift = Number(row.due_at) - (Date.now() - 3_600_000);
    expect(row.reminded_at).not.toBeNull();
    await t.suite.kernel.db('rights_requests').where({ id: ids.near }).update({
      due_at: Number(row.due_at) - shift, original_due_at: Number(row.original_due_at) - shift, created_at: Number(row.created_at) - shift, reminded_at: Number(row.reminded_at) - shift,
    });
    await runJob();
    await drainOutbox(t.suite);
    const mails = sink.to(CONTROLLER);
    expect(mails).toHaveLength(2);
    expect(mails[1].text).toContain(`#${ids.near}`);
    expect(mails[1].text).not.toContain(`#${ids.overdue} `);
    expect(mails[1].subject).toContain('1 overdue and 0 soon due');
  });

  it('MS-8c: after an extension the request is reminded again when it is due again', async () => {
    const ext = await rightsCall(t.baseUrl, key, 'desk', 'POST', `/requests/${ids.overdue}/extend`, { businessDays: 2, reason: 'Archive retrieval takes longer' });
    expect(ext.status).toBe(200);
    // Received twenty days ago: three business days plus two more are still past.
    expect(ext.body.request.dueAt).toBeLessThan(Date.now());
    await runJob();
    await drainOutbox(t.suite);
    const mails = sink.to(CONTROLLER);
    expect(mails).toHaveLength(3);
    expect(mails[2].text).toContain(`#${ids.overdue}`);
    const again = await runJob();
    expect((again.result as { queues: unknown[] }).queues).toEqual([]);
  });

  it('MS-8c: the reminder rule: once when near due, once more when overdue', () => {
    const due = Date.now();
    expect(needsReminder({ reminded_at: null, due_at: due }, false)).toBe(true);
    expect(needsReminder({ reminded_at: due - DAY, due_at: due }, false)).toBe(false);
    expect(needsReminder({ reminded_at: due - DAY, due_at: due }, true)).toBe(true);
    expect(needsReminder({ reminded_at: due + DAY, due_at: due }, true)).toBe(false);
  });

  it('the job is registered with its daily schedule and does not run while another instance holds its lease', async () => {
    const job = t.suite.scheduler.jobs().find((j) => j.name === 'rights:due-reminder');
    expect(job?.spec.schedule).toBe('0 7 * * *');
    const other = new Leases(t.suite.kernel.db, 'i_other-instance');
    expect(await other.acquire('rights:due-reminder', 60_000)).toBe(true);
    expect(await runJob()).toMatchObject({ ran: false, reason: 'lease held by another instance' });
    await other.release('rights:due-reminder');
    expect(await runJob()).toMatchObject({ ran: true });
  });
});
