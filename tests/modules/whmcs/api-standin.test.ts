/** The WHMCS API stand-in answers as WHMCS's external API does: credentials, paging, list shapes, write rules, down mode. */
import { callWhmcs, listAll, type WhmcsApi } from '../../../modules/whmcs/api-client';
import { WhmcsApiStandin } from '../../helpers/whmcs-api-standin';

const whmcs = new WhmcsApiStandin();
let api: WhmcsApi;
const raw = async (fields: Record<string, string>) => {
  const res = await fetch(`${whmcs.url}/includes/api.php`, { method: 'POST', body: new URLSearchParams(fields) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  api = { apiUrl: await whmcs.start(), identifier: whmcs.identifier, secret: whmcs.secret, timeoutMs: 5000 };
  for (let i = 0; i < 60; i++) whmcs.addClient({ lastname: `Client${i}` });
  const first = 1;
  for (let i = 0; i < 30; i++) whmcs.addInvoice(first, { status: i % 2 ? 'Paid' : 'Unpaid' });
  whmcs.addContact(first);
  whmcs.addDomain(first, 'lovelace.example');
  whmcs.addTicket(first, 'Engine', 'It computes.', [{ name: 'Support', email: 'support@shop.example', message: 'Indeed.' }]);
  whmcs.addEmail(first, 'Welcome', 'Hello Ada');
});
afterAll(() => whmcs.stop());

it('wrong credentials answer result error "Authentication Failed"; an unknown action "Command Not Found"', async () => {
  const bad = await raw({ identifier: whmcs.identifier, secret: 'nope', action: 'GetClients', responsetype: 'json' });
  expect(bad).toEqual({ status: 200, body: { result: 'error', message: 'Authentication Failed' } });
  await expect(callWhmcs(api, 'NoSuchThing')).rejects.toThrow('WHMCS refused NoSuchThing: Command Not Found');
  expect(whmcs.calls.at(-1)).toMatchObject({ action: 'NoSuchThing', answered: 'error' });
  expect(JSON.stringify(whmcs.calls)).not.toContain(whmcs.secret);
});

it('lists page with limitstart/limitnum (25 by default) and report totalresults, startnumber, numreturned', async () => {
  const p1 = await callWhmcs(api, 'GetClients');
  expect(p1).toMatchObject({ result: 'success', totalresults: 60, startnumber: 0, numreturned: 25 });
  expect((p1.clients as { client: unknown[] }).client).toHaveLength(25);
  const last = await callWhmcs(api, 'GetClients', { limitstart: 50, limitnum: 25 });
  expect(last).toMatchObject({ startnumber: 50, numreturned: 10 });
  const all = await listAll<{ id: number }>(api, 'GetClients', {}, (a) => (a.clients as { client: { id: number }[] }).client, 7);
  expect(all.map((c) => c.id)).toEqual([...whmcs.clients.keys()]);
  const invoices = await callWhmcs(api, 'GetInvoices', { userid: 1 });
  expect(invoices).toMatchObject({ totalresults: 30, numreturned: 25 });
  expect(await callWhmcs(api, 'GetInvoices', { userid: 1, status: 'Paid' })).toMatchObject({ totalresults: 15 });
});

it('details, contacts, users, domains, tickets with replies and the email log', async () => {
  const user = whmcs.addUser([1, 2]);
  const d = await callWhmcs(api, 'GetClientsDetails', { clientid: 1 });
  expect(d).toMatchObject({ result: 'success', userid: 1, client: { id: 1, users: { user: [{ id: user.id, is_owner: true }] } } });
  expect(await callWhmcs(api, 'GetContacts', { userid: 1 })).toMatchObject({ totalresults: 1, contacts: { contact: [{ userid: 1 }] } });
  expect(await callWhmcs(api, 'GetUsers', { search: user.email })).toMatchObject({ totalresults: 1, users: [{ id: user.id, clients: [{ id: 1, isOwner: true }, { id: 2, isOwner: false }] }] });
  expect(await callWhmcs(api, 'GetClientsDomains', { clientid: 1 })).toMatchObject({ totalresults: 1, domains: { domain: [{ domainname: 'lovelace.example' }] } });
  const tickets = await callWhmcs(api, 'GetTickets', { clientid: 1 });
  const ticket = (tickets.tickets as { ticket: { id: number }[] }).ticket[0];
  const full = await callWhmcs(api, 'GetTicket', { ticketid: ticket.id });
  expect((full.replies as { reply: { message: string }[] }).reply.map((r) => r.message)).toEqual(['It computes.', 'Indeed.']);
  expect(await callWhmcs(api, 'GetEmails', { clientid: 1 })).toMatchObject({ totalresults: 1, emails: { email: [{ subject: 'Welcome' }] } });
  await expect(callWhmcs(api, 'GetClientsDetails', { clientid: 9999 })).rejects.toThrow('WHMCS refused GetClientsDetails: Client Not Found');
});

it('UpdateClient validates unless skipvalidation, records the opt-in history and fires ClientEdit with olddata; CloseClient cancels unpaid invoices', async () => {
  const hooks: { hook: string; vars: Record<string, unknown> }[] = [];
  whmcs.onHook = (h) => { hooks.push(h); };
  const taken = whmcs.clients.get(2)!.email;
  await expect(callWhmcs(api, 'UpdateClient', { clientid: 1, email: taken })).rejects.toThrow('Duplicate Email Address');
  await callWhmcs(api, 'UpdateClient', { clientid: 1, email: 'not-an-address', skipvalidation: true, marketingoptin: true });
  expect(whmcs.clients.get(1)).toMatchObject({ email: 'not-an-address', marketingOptIn: true });
  expect(whmcs.consent.at(-1)).toMatchObject({ userid: 1, optin: true, admin: true });
  expect(hooks).toEqual([{ hook: 'ClientEdit', vars: expect.objectContaining({ userid: 1, email: 'not-an-address', olddata: expect.objectContaining({ email: 'client1@example.org' }) }) }]);
  await callWhmcs(api, 'CloseClient', { clientid: 1 });
  expect(whmcs.clients.get(1)!.status).toBe('Closed');
  expect(new Set(whmcs.invoices.filter((i) => i.userid === 1).map((i) => i.status))).toEqual(new Set(['Paid', 'Cancelled']));
  expect(hooks.at(-1)).toEqual({ hook: 'ClientClose', vars: { userid: 1 } });
  whmcs.onHook = null;
});

it('DeleteClient removes the client with its invoices and is recorded; down answers 503 and records the call', async () => {
  const c = whmcs.addClient();
  whmcs.addInvoice(c.id);
  await callWhmcs(api, 'DeleteClient', { clientid: c.id });
  expect(whmcs.deleted).toEqual([c.id]);
  expect(whmcs.invoices.some((i) => i.userid === c.id)).toBe(false);
  whmcs.down = true;
  await expect(callWhmcs(api, 'GetClients')).rejects.toThrow('WHMCS GetClients failed: HTTP 503, no JSON answer');
  expect(whmcs.calls.at(-1)).toMatchObject({ action: 'GetClients', answered: 'down' });
  whmcs.down = false;
  await whmcs.stop();
  await expect(callWhmcs(api, 'GetClients')).rejects.toThrow(/^WHMCS GetClients failed: unreachable \(/);
});
