/**
 * Erasure and rectification over what lives in WHMCS (issue 15 point 11, MS-8f / TOS-1.4 / MS-8e): an erased client's
 * tickets and replies are anonymised through WHMCS's API, its email log erased and its opt-in history's IPs blanked
 * through the connector addon; invoices stay; DeleteClient is never called; a retry finishes without writing twice;
 * an addon that is not there does not hold back the rest and is named. A correction reaches the client's own logins.
 */
import { eraseThroughAddon } from '../../../modules/whmcs/erase-steps';
import type { Json } from '../rights/fixtures';
import { WhmcsRightsFixture } from './rights-fixtures';

const f = new WhmcsRightsFixture();
const { whmcs } = f;
const ERASED_MESSAGE = 'This message was erased (data protection).';
const PLACEHOLDER = /^erased-[0-9a-f]{20}@invalid\.example$/;

beforeAll(() => f.start(['we-shop']));
afterAll(() => f.stop());
beforeEach(() => { whmcs.addonSecret = f.secrets['we-shop']; });

const audit = async (action: string, outboxId: number): Promise<Json> => {
  const row = await f.t.suite.kernel.db('audit_log').where({ action, target_id: String(outboxId) }).first();
  return typeof row.details === 'string' ? JSON.parse(row.details) : row.details;
};

/** A client with two tickets (replies by support and by the client), an email log, an opt-in history and invoices. */
async function seeded(): Promise<{ clientId: number; subjectId: number; others: { ticket: number; email: number; consent: number } }> {
  const c = await f.knownClient('we-shop', 1);
  whmcs.addTicket(c.clientId, 'Invoice question', 'Why is my invoice for ada.example so high?', [{ name: 'Support', email: 'support@shop.example', message: 'Dear Ada, see the attached breakdown' }, { name: 'Ada Lovelace', email: 'ada@example.org', message: 'Thanks, my phone is 0207 946 0018' }]);
  whmcs.addTicket(c.clientId, 'Cancel', 'Please cancel my hosting', [{ name: 'Support', email: 'support@shop.example', message: 'Done' }]);
  whmcs.addEmail(c.clientId, 'Welcome Ada', 'Your password reset link');
  whmcs.addEmail(c.clientId, 'Invoice', 'Invoice #1');
  whmcs.addConsent(c.clientId, true, { ip: '203.0.113.9' });
  whmcs.addConsent(c.clientId, false, { ip: '198.51.100.4' });
  whmcs.addInvoice(c.clientId, { status: 'Paid', total: '42.00' });
  const other = whmcs.addClient();
  const ticket = whmcs.addTicket(other.id, 'Other', 'Not to be touched', [{ name: 'Support', email: 'support@shop.example', message: 'Still here' }]).id;
  const email = whmcs.addEmail(other.id, 'Other', 'Kept').id;
  const consent = whmcs.addConsent(other.id, true, { ip: '192.0.2.77' }).id;
  return { ...c, others: { ticket, email, consent } };
}

describe('erasure over what lives in WHMCS', () => {
  it('MS-8f / TOS-1.4: tickets and replies anonymised, email log erased, opt-in IPs blanked; invoices stay; never DeleteClient', async () => {
    const { clientId, subjectId, others } = await seeded();
    const invoicesBefore = JSON.stringify(whmcs.invoices.filter((i) => i.userid === clientId && i.status === 'Paid'));
    const request = await f.fulfil('we-shop', { type: 'erase', subjectId });
    expect(request.status).toBe('fulfilled');
    const kept = request.result.kept.filter((k: Json) => k.module === 'whmcs').map((k: Json) => k.what);
    expect(kept).toEqual([expect.stringMatching(/^invoices in WHMCS/), expect.stringMatching(/ticket reply written without a client login/), expect.stringMatching(/email log and the IP addresses of the marketing opt-in history if the connector addon/)]);
    await f.drain('we-shop');

    const mine = whmcs.tickets.filter((t) => t.userid === clientId);
    for (const t of mine) {
      expect(t).toMatchObject({ subject: 'Erased', message: ERASED_MESSAGE, name: 'Erased' });
      expect(t.email).toMatch(PLACEHOLDER);
      expect(t.replies.map((r) => r.message)).toEqual(t.replies.map(() => ERASED_MESSAGE));
    }
    expect(JSON.stringify(whmcs.tickets.filter((t) => t.userid === clientId))).not.toMatch(/ada\.example|0207 946|breakdown|cancel my hosting/);
    const updates = whmcs.callsOf('UpdateTicket').map((c) => c.params);
    expect(updates.map((p) => Number(p.ticketid)).sort()).toEqual(mine.map((t) => t.id).sort());
    expect(updates[0]).toEqual({ ticketid: expect.any(String), subject: 'Erased', message: ERASED_MESSAGE, name: 'Erased', email: expect.stringMatching(PLACEHOLDER) });
    expect(whmcs.callsOf('UpdateTicketReply').map((c) => Object.keys(c.params).sort())).toEqual([['message', 'replyid'], ['message', 'replyid'], ['message', 'replyid']]);
    expect(f.fired.filter((h) => h.hook === 'TicketSubjectChange')).toHaveLength(2);

    expect(whmcs.emails.filter((e) => e.userid === clientId)).toEqual([]);
    expect(whmcs.consent.filter((c) => c.userid === clientId).map((c) => [c.optin, c.ip])).toEqual([[true, ''], [false, '']]);
    expect(whmcs.calls.filter((c) => c.action.startsWith('addon:erase') || c.action.startsWith('addon:anonymise')).map((c) => [c.action, c.answered])).toEqual([['addon:erase-email-log', 'success'], ['addon:anonymise-consent-history', 'success']]);

    // Someone else's tickets, email log and opt-in history are untouched; invoices stay; nothing was deleted.
    expect(whmcs.tickets.find((t) => t.id === others.ticket)).toMatchObject({ message: 'Not to be touched', replies: [{ message: 'Still here' }] });
    expect(whmcs.emails.map((e) => e.id)).toContain(others.email);
    expect(whmcs.consent.find((c) => c.id === others.consent)!.ip).toBe('192.0.2.77');
    expect(JSON.stringify(whmcs.invoices.filter((i) => i.userid === clientId && i.status === 'Paid'))).toBe(invoicesBefore);
    expect(whmcs.callsOf('DeleteClient')).toEqual([]);
    expect(whmcs.deleted).toEqual([]);

    const [msg] = await f.t.suite.kernel.db('outbox').where({ topic: 'whmcs.erase-client', subject_id: subjectId });
    expect(msg.state).toBe('delivered');
    expect(await audit('whmcs.client.anonymised', msg.id)).toMatchObject({ client: 1, contacts: 1, tickets: 2, replies: 3, closed: 1, emails: 2, consentIps: 2 });
  });

  it('MS-8f: a retry after WHMCS went down part-way finishes the job without writing anything twice', async () => {
    const { clientId, subjectId } = await seeded();
    const before = whmcs.calls.length;
    const onHook = whmcs.onHook;
    whmcs.onHook = (h) => {
      // WHMCS is down for one request right after the first ticket was anonymised.
      if (h.hook === 'TicketSubjectChange') { whmcs.failNext = 1; whmcs.onHook = onHook; }
      return onHook?.(h);
    };
    await f.fulfil('we-shop', { type: 'erase', subjectId });
    await f.drain('we-shop');

    const calls = whmcs.calls.slice(before).filter((c) => c.answered === 'success');
    const count = (action: string) => calls.filter((c) => c.action === action).length;
    expect({ client: count('UpdateClient'), tickets: count('UpdateTicket'), replies: count('UpdateTicketReply'), close: count('CloseClient') }).toEqual({ client: 1, tickets: 2, replies: 3, close: 1 });
    expect(whmcs.tickets.filter((t) => t.userid === clientId).every((t) => t.message === ERASED_MESSAGE && t.replies.every((r) => r.message === ERASED_MESSAGE))).toBe(true);
    expect(whmcs.calls.slice(before).filter((c) => c.answered === 'down')).toHaveLength(1);
    const [msg] = await f.t.suite.kernel.db('outbox').where({ topic: 'whmcs.erase-client', subject_id: subjectId });
    expect(msg).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('MS-8f: without the connector addon the API-side erasure completes and what stays (email log, opt-in IPs) is named with the reason', async () => {
    const { clientId, subjectId } = await seeded();
    whmcs.addonSecret = null; // the addon is not installed: its URL answers 404
    await f.fulfil('we-shop', { type: 'erase', subjectId });
    await f.drain('we-shop');
    const [msg] = await f.t.suite.kernel.db('outbox').where({ topic: 'whmcs.erase-client', subject_id: subjectId });
    expect(msg.state).toBe('delivered');
    expect(whmcs.tickets.filter((t) => t.userid === clientId).every((t) => t.subject === 'Erased')).toBe(true);
    expect(whmcs.clients.get(clientId)!.status).toBe('Closed');
    expect(whmcs.emails.filter((e) => e.userid === clientId)).toHaveLength(2);
    const details = await audit('whmcs.client.anonymised', msg.id);
    expect(details).toMatchObject({ tickets: 2, replies: 3, notReached: 'WHMCS refused erase-email-log: Not found' });
    expect(details).not.toHaveProperty('emails');
  });

  it('MS-8f: an addon that is down is retried, not skipped (the step throws, naming why)', async () => {
    const { clientId } = await seeded();
    const brand = await f.t.suite.kernel.brands.get('we-shop');
    whmcs.down = true;
    try {
      await expect(eraseThroughAddon(f.t.suite.kernel, brand, clientId, { emailLog: true, consentIps: true })).rejects.toThrow('WHMCS refused erase-email-log: down');
    } finally {
      whmcs.down = false;
    }
    expect(whmcs.emails.filter((e) => e.userid === clientId)).toHaveLength(2);
    expect(await eraseThroughAddon(f.t.suite.kernel, brand, clientId, { emailLog: true, consentIps: true })).toEqual({ emails: 2, consentIps: 2 });
  });
});

describe('rectification over what lives in WHMCS', () => {
  it('MS-8e: a corrected name and e-mail reach the client and the logins that reach it alone; a shared login is left', async () => {
    const { clientId, subjectId } = await f.knownClient('we-shop');
    const own = whmcs.addUser([clientId], { email: 'ada.login@example.org' });
    const other = whmcs.addClient();
    const shared = whmcs.addUser([other.id, clientId], { email: 'agency@example.org' });
    const request = await f.fulfil('we-shop', { type: 'rectify', subjectId, changes: { lastname: 'King', email: 'ada.king@example.org', city: 'Ockham' } });
    expect(request.status).toBe('fulfilled');
    await f.drain('we-shop');
    expect(whmcs.clients.get(clientId)).toMatchObject({ lastname: 'King', email: 'ada.king@example.org', city: 'Ockham' });
    expect(whmcs.callsOf('UpdateUser').map((c) => c.params)).toEqual([{ user_id: String(own.id), lastname: 'King', email: 'ada.king@example.org' }]);
    expect(whmcs.users.get(own.id)).toMatchObject({ lastname: 'King', email: 'ada.king@example.org' });
    expect(whmcs.users.get(shared.id)).toMatchObject({ email: 'agency@example.org' });
  });

  it('MS-8e: a correction of the address alone changes no login', async () => {
    const { clientId, subjectId } = await f.knownClient('we-shop');
    whmcs.addUser([clientId]);
    const before = whmcs.callsOf('UpdateUser').length;
    await f.fulfil('we-shop', { type: 'rectify', subjectId, changes: { address1: '1 New Road' } });
    await f.drain('we-shop');
    expect(whmcs.clients.get(clientId)!.address1).toBe('1 New Road');
    expect(whmcs.callsOf('UpdateUser').length).toBe(before);
  });
});
