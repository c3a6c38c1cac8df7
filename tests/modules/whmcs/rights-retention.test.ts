/**
 * Retention over what lives in WHMCS (issue 15 point 11, MS-9 / SP-8): the whmcs module's `expire` queues outbox work
 * for the WHMCS side of the category — correspondence: tickets and replies anonymised and the email log erased; usage:
 * the opt-in history's IPs blanked (a dated rule: only what is dated up to its `until`); billing: nothing, invoices are
 * statutory — and the retention sweep reaches it like any module's records, also for a client the suite holds no
 * correspondence of: WHMCS's holdings (ClientAdd, TicketOpen) select it, and are cleared once expired.
 */
import type { Brand } from '../../../core/brands/brand';
import type { DataCategory } from '../../../core/profile/schema';
import type { RetentionService } from '../../../modules/retention/retention-service';
import { postHook } from '../../helpers/test-suite';
import { WhmcsRightsFixture } from './rights-fixtures';

const DAY = 86_400_000;
const ERASED_MESSAGE = 'This message was erased (data protection).';
const f = new WhmcsRightsFixture();
const { whmcs } = f;
let brand: Brand;

beforeAll(async () => {
  await f.start(['wr-shop'], {}, { retention: [{ category: 'correspondence', from: 'collected', days: 365, action: 'delete' }] });
  brand = await f.t.suite.kernel.brands.get('wr-shop');
  whmcs.addonSecret = f.secrets['wr-shop'];
});
afterAll(() => f.stop());

/** The whmcs provider's expire, in a transaction as the sweep calls it. */
async function expire(category: DataCategory, subjectIds: number[], until?: number): Promise<number> {
  const k = f.t.suite.kernel;
  return k.db.transaction((trx) => k.modules.get('whmcs')!.personalData!.expire!(category, subjectIds, { kernel: k, trx, brand, until }));
}

/** A known client with an old and a recent ticket (each with a reply), an old and a new email, an old and a new opt-in. */
async function client(): Promise<{ clientId: number; subjectId: number; old: number; recent: number }> {
  const c = await f.knownClient('wr-shop');
  const old = whmcs.addTicket(c.clientId, 'Old question', 'Back in 2020', [{ name: 'Support', email: 'support@shop.example', message: 'Old answer' }]);
  old.date = '2020-03-01 10:00:00';
  const recent = whmcs.addTicket(c.clientId, 'New question', 'This week', [{ name: 'Support', email: 'support@shop.example', message: 'New answer' }]);
  whmcs.addEmail(c.clientId, 'Welcome', 'Hello Ada');
  whmcs.addEmail(c.clientId, 'Old newsletter', 'Back in 2020').date = '2020-02-01 09:00:00';
  whmcs.addEmail(c.clientId, 'New year greeting', 'Sent at the stroke of 2021').date = '2021-01-01 00:00:00';
  whmcs.addConsent(c.clientId, true, { ip: '203.0.113.60' });
  whmcs.addConsent(c.clientId, false, { ip: '203.0.113.59', date: '2020-02-01T09:00:00Z' });
  whmcs.addInvoice(c.clientId, { status: 'Paid' });
  return { ...c, old: old.id, recent: recent.id };
}

const ticket = (id: number) => whmcs.tickets.find((t) => t.id === id)!;
const messages = (id: number) => [ticket(id).message, ...ticket(id).replies.map((r) => r.message)];

describe('retention on the WHMCS side', () => {
  it('MS-9 / SP-8: correspondence with `until` anonymises the tickets last active at or before it and erases the emails dated at or before it; newer ones stay', async () => {
    const c = await client();
    expect(await expire('correspondence', [c.subjectId], Date.parse('2021-01-01T00:00:00Z'))).toBe(1);
    await f.drain('wr-shop');
    expect(ticket(c.old)).toMatchObject({ subject: 'Erased' });
    expect(messages(c.old)).toEqual([ERASED_MESSAGE, ERASED_MESSAGE]);
    expect(messages(c.recent)).toEqual(['This week', 'New answer']);
    expect(whmcs.emails.filter((e) => e.userid === c.clientId).map((e) => e.subject)).toEqual(['Welcome']);
    expect(whmcs.consent.filter((x) => x.userid === c.clientId).map((x) => x.ip)).toEqual(['203.0.113.60', '203.0.113.59']); // usage is another rule's
    const [msg] = await f.t.suite.kernel.db('outbox').where({ topic: 'whmcs.expire', subject_id: c.subjectId });
    expect(msg.state).toBe('delivered');
    expect(await f.t.suite.kernel.db('disclosure_log').where({ reference: msg.idempotency_key, subject_id: c.subjectId, recipient: 'whmcs' })).toHaveLength(1);
  });

  it('MS-9: correspondence without `until` anonymises every ticket and erases the email log through the addon', async () => {
    const c = await client();
    expect(await expire('correspondence', [c.subjectId])).toBe(1);
    await f.drain('wr-shop');
    expect([...messages(c.old), ...messages(c.recent)].every((m) => m === ERASED_MESSAGE)).toBe(true);
    expect(whmcs.emails.filter((e) => e.userid === c.clientId)).toEqual([]);
    expect(whmcs.consent.find((x) => x.userid === c.clientId)!.ip).toBe('203.0.113.60'); // usage is another rule's
  });

  it('MS-9: usage blanks the opt-in history IPs through the addon; a dated usage rule only those dated before its `until`', async () => {
    const c = await client();
    expect(await expire('usage', [c.subjectId], Date.parse('2021-01-01T00:00:00Z'))).toBe(1);
    await f.drain('wr-shop');
    expect(whmcs.consent.filter((x) => x.userid === c.clientId).map((x) => [x.optin, x.ip])).toEqual([[true, '203.0.113.60'], [false, '']]);
    expect(await expire('usage', [c.subjectId])).toBe(1);
    await f.drain('wr-shop');
    expect(whmcs.consent.filter((x) => x.userid === c.clientId).map((x) => [x.optin, x.ip])).toEqual([[true, ''], [false, '']]);
    expect(messages(c.recent)).toEqual(['This week', 'New answer']);
  });

  it('TOS-1.4: billing and the categories WHMCS does not hold queue nothing; invoices stay', async () => {
    const c = await client();
    const before = await f.t.suite.kernel.db('outbox').where({ subject_id: c.subjectId }).count({ n: '*' }).first();
    for (const cat of ['billing', 'identity-document', 'payment-token', 'mail-content', 'registration'] as DataCategory[]) expect(await expire(cat, [c.subjectId])).toBe(0);
    expect(await f.t.suite.kernel.db('outbox').where({ subject_id: c.subjectId }).count({ n: '*' }).first()).toEqual(before);
    expect(whmcs.invoices.filter((i) => i.userid === c.clientId).map((i) => i.status)).toEqual(['Paid']);
  });

  it('MS-9 / SP-8: the retention sweep reaches WHMCS: a correspondence rule (collected, 365 days) expires the old tickets there', async () => {
    const c = await client();
    const k = f.t.suite.kernel;
    await k.keyring.activeKeyId();
    await k.db('subject_fields').insert({ subject_id: c.subjectId, field: 'ticket_note', category: 'correspondence', value_enc: k.keyring.encryptSync('called about the invoice'), policy_version: null, updated_at: Date.now() - 400 * DAY });
    const retention = k.service<RetentionService>('retention');
    for (const r of await retention.rules(brand)) if (r.state === 'awaiting-approval') await retention.approve(brand, r.id, {}, { type: 'cli', id: 'test' });
    const out = await retention.run({ now: Date.now(), brand: 'wr-shop' });
    expect(out.ok).toBe(true);
    await f.drain('wr-shop');
    expect(messages(c.old)).toEqual([ERASED_MESSAGE, ERASED_MESSAGE]);
    expect(messages(c.recent)).toEqual(['This week', 'New answer']);
    expect(await k.db('subject_fields').where({ subject_id: c.subjectId, category: 'correspondence' })).toEqual([]);
  });

  it('MS-9: a client the suite holds no correspondence of is selected by WHMCS\'s holding, expired there through the outbox, then not again until a TicketOpen re-opens it', async () => {
    const k = f.t.suite.kernel;
    const retention = k.service<RetentionService>('retention');
    const c = await client();
    const held = async () => ((await k.db('subject_holdings').where({ subject_id: c.subjectId }).orderBy('category').select('holder', 'category')) as { holder: string; category: string }[]).map((h) => `${h.holder}:${h.category}`);
    const queued = async () => Number(((await k.db('outbox').where({ topic: 'whmcs.expire', subject_id: c.subjectId }).count({ n: '*' }).first()) as { n: number | string }).n);
    expect(await k.db('subject_fields').where({ subject_id: c.subjectId, category: 'correspondence' })).toEqual([]);
    expect(await held()).toEqual(['whmcs:correspondence', 'whmcs:usage']); // ClientAdd: WHMCS keeps an email log and opt-in history
    const later = Date.now() + 400 * DAY; // the holding (since the ClientAdd) is past the 365 days
    for (const r of await retention.rules(brand)) if (r.state === 'awaiting-approval') await retention.approve(brand, r.id, {}, { type: 'cli', id: 'test' });
    const dry = await retention.run({ now: later, brand: 'wr-shop', dryRun: true });
    // The dry run counts the client and samples it with the holding's since as its event (the oldest record).
    const since = Number((await k.db('subject_holdings').where({ subject_id: c.subjectId, category: 'correspondence' }).first('since')).since);
    const [rule] = (dry.run as { report: { brands: { rules: { category: string; eligible: number; samples: { subjectId: number; eventAt: string }[] }[] }[] } }).report.brands[0].rules.filter((r) => r.category === 'correspondence');
    expect(rule.eligible).toBeGreaterThanOrEqual(1);
    expect(rule.samples).toContainEqual({ subjectId: c.subjectId, eventAt: new Date(since).toISOString() });
    expect((await retention.run({ now: later, brand: 'wr-shop' })).ok).toBe(true);
    expect(await queued()).toBe(1);
    await f.drain('wr-shop');
    expect([...messages(c.old), ...messages(c.recent)].every((m) => m === ERASED_MESSAGE)).toBe(true);
    expect(whmcs.emails.filter((e) => e.userid === c.clientId)).toEqual([]);
    expect(await held()).toEqual(['whmcs:usage']); // cleared with the queueing; usage is another rule's
    // The next sweep finds nothing of the category left for this client: nothing queued again.
    expect((await retention.run({ now: later, brand: 'wr-shop' })).ok).toBe(true);
    expect(await queued()).toBe(1);
    // A new ticket: WHMCS holds correspondence again, and the sweep reaches it again.
    const tk = whmcs.addTicket(c.clientId, 'Another question', 'Hello again');
    const open = await postHook(f.t.baseUrl, 'TicketOpen', f.secrets['wr-shop'], { brand: 'wr-shop', vars: { ticketid: tk.id, ticketmask: tk.tid, userid: c.clientId, deptid: 1 } });
    expect(open.status).toBe(200);
    expect(await held()).toEqual(['whmcs:correspondence', 'whmcs:usage']);
    expect((await retention.run({ now: later, brand: 'wr-shop' })).ok).toBe(true);
    expect(await queued()).toBe(2);
    await f.drain('wr-shop');
    expect(messages(tk.id)).toEqual([ERASED_MESSAGE]);
  });

  it('MS-9: a dated rule leaves a holding opened after its `until`; TicketUserReply of an unknown or erased client records nothing', async () => {
    const k = f.t.suite.kernel;
    const c = await client();
    expect(await expire('correspondence', [c.subjectId], Date.now() - 365 * DAY)).toBe(1);
    expect(await k.db('subject_holdings').where({ subject_id: c.subjectId, category: 'correspondence' })).toHaveLength(1);
    const reply = (userid: number) => postHook(f.t.baseUrl, 'TicketUserReply', f.secrets['wr-shop'], { brand: 'wr-shop', vars: { ticketid: 1, replyid: 2, userid, deptid: 1 } });
    expect((await reply(987654)).status).toBe(200);
    await k.db.transaction((trx) => k.subjects.erase(trx, c.subjectId));
    expect((await reply(c.clientId)).status).toBe(200);
    expect(await k.db('subject_holdings').where({ subject_id: c.subjectId })).toEqual([]);
  });
});
