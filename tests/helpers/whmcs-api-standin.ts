/**
 * A stand-in for WHMCS's external API (POST /includes/api.php, form-encoded, `responsetype=json`) over in-memory
 * clients, contacts, users, domains, invoices, tickets, the email log and the marketing opt-in history. It records
 * every call, can be taken down (503, as WHMCS in maintenance) and answers in WHMCS's own JSON form.
 *
 * WHMCS semantics copied here (from WHMCS's public API reference and ../shared/whmcs/CONNECTOR.md; no WHMCS code):
 * - Every request carries `identifier`, `secret`, `action` and `responsetype=json`; wrong credentials answer
 *   `{"result":"error","message":"Authentication Failed"}`, an unknown action `Command Not Found`.
 * - Answers carry `result` (`success` | `error`) and, on error, `message`; WHMCS answers HTTP 200 either way.
 * - Lists (GetClients, GetContacts, GetUsers, GetClientsProducts, GetClientsDomains, GetInvoices, GetTickets, GetEmails) page with
 *   `limitstart` (offset, default 0) and `limitnum` (default 25) and answer `totalresults`, `startnumber`,
 *   `numreturned` and the rows wrapped once more (`clients.client[]`, `contacts.contact[]`, `domains.domain[]`,
 *   `products.product[]`, `invoices.invoice[]`, `tickets.ticket[]`, `emails.email[]`; GetUsers: `users[]`).
 * - GetClientsProducts answers each service with its control-panel `username` and `password` in clear (as WHMCS does).
 * - UpdateTicket (`ticketid`; `subject`, `message`, `name`, `email`, `status` optional) changes what it is given and fires
 *   TicketSubjectChange when the subject changes; UpdateTicketReply (`replyid`, `message`, both required) changes a
 *   reply's message only (a reply's name and e-mail cannot be changed through the API). GetTicket lists the opening
 *   message as the first reply, `replyid` 0.
 * - Since WHMCS 8 logins are Users apart from Clients: a user may belong to several clients (`clients[]` with
 *   `isOwner`); GetClientsDetails lists the client's users under `client.users.user[]`.
 * - UpdateClient changes only the fields it is given; `skipvalidation` skips the required-field and e-mail checks
 *   (without it an e-mail another client uses is refused: "Duplicate Email Address"); `marketingoptin` sets the
 *   opt-in and adds a row to the opt-in history (tblmarketing_consent: user id, opt-in, admin flag, IP, time).
 * - CloseClient sets the client Closed and cancels its unpaid invoices; DeleteClient removes the client and ALL its
 *   data, invoices included (the suite must never call it; `deleted` records that it was).
 * - Writing through the API fires WHMCS's hooks (UpdateClient → ClientEdit …): `onHook` lets a test replay them.
 * - The connector addon's signed endpoint (`modules/addons/privacysuite/endpoint.php`, set `addonSecret`) answers
 *   `consent-history` from the opt-in history, paged like the API, `erase-email-log` {userid, before?} (deletes the
 *   client's email log, with `before` only rows dated before it) and `anonymise-consent-history` {userid, before?}
 *   (blanks the IPs, likewise); without the addon that URL answers 404.
 * - GetPayMethods (`clientid`) answers the client's stored pay methods unwrapped (`paymethods[]`: id, type,
 *   description, gateway_name, card_last_four, expiry_date, card_type, remote_token, …); a gateway's own token is
 *   `remote_token` (WHMCS's Stripe module: JSON `{"customer":"cus_…","method":"pm_…"}`, older installs the bare
 *   `cus_…`). DeletePayMethod (`clientid`, `paymethodid`) removes one; an unknown one is "Invalid Pay Method ID".
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyHookSignature } from '../../core/http/signature';
import { whmcsTime } from '../../modules/whmcs/whmcs-time';

export interface StandinClient {
  id: number; firstname: string; lastname: string; companyname: string; email: string; address1: string; address2: string; city: string;
  state: string; postcode: string; country: string; phonenumber: string; status: 'Active' | 'Inactive' | 'Closed'; language: string;
  marketingOptIn: boolean; datecreated: string; notes: string;
}
export interface StandinContact {
  id: number; userid: number; firstname: string; lastname: string; companyname: string; email: string; address1: string; address2: string;
  city: string; state: string; postcode: string; country: string; phonenumber: string;
}
export interface StandinUser { id: number; firstname: string; lastname: string; email: string; language: string; clients: { id: number; isOwner: boolean }[] }
export interface StandinService { id: number; userid: number; name: string; domain: string; status: string; regdate: string; nextduedate: string; username: string; password: string; dedicatedip: string }
export interface StandinDomain { id: number; userid: number; domainname: string; status: string; regdate: string; expirydate: string; registrar: string }
export interface StandinInvoice { id: number; userid: number; status: 'Unpaid' | 'Paid' | 'Cancelled' | 'Refunded'; date: string; duedate: string; datepaid: string; total: string; firstname: string; lastname: string; companyname: string }
export interface StandinReply { id: number; name: string; email: string; message: string; date: string }
export interface StandinTicket { id: number; tid: string; userid: number; name: string; email: string; subject: string; message: string; status: string; date: string; replies: StandinReply[] }
export interface StandinEmail { id: number; userid: number; subject: string; message: string; to: string; date: string }
export interface StandinConsent { id: number; userid: number; optin: boolean; admin: boolean; ip: string; date: string }
export interface StandinPayMethod { id: number; userid: number; type: string; description: string; gateway_name: string; card_last_four: string; expiry_date: string; card_type: string; remote_token: string }

/** The addon's `before` (ISO 8601 with an offset, as the PHP endpoint takes it) in epoch ms; null when malformed. */
function isoBefore(v: unknown): number | null {
  const ms = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/.test(v) ? Date.parse(v) : NaN;
  return Number.isFinite(ms) ? ms : null;
}

/** Whether a stand-in row's WHMCS date (the panel's clock, read as UTC) is before `before` (always, without one). */
const datedBefore = (date: string, before: number | undefined): boolean => before === undefined || (whmcsTime(date) ?? Infinity) < before;

/** One recorded API call: the action and its parameters (credentials removed). */
export interface StandinCall { action: string; params: Record<string, string>; at: number; answered: 'success' | 'error' | 'down' }

/** A hook WHMCS would fire after a write through the API (name and its variables, as hooks.json documents them). */
export interface StandinHook { hook: string; vars: Record<string, unknown> }

type Params = Record<string, string>;
type Answer = Record<string, unknown>;

const CLIENT_FIELDS = ['firstname', 'lastname', 'companyname', 'email', 'address1', 'address2', 'city', 'state', 'postcode', 'country', 'phonenumber', 'language', 'notes'] as const;
const CONTACT_FIELDS = ['firstname', 'lastname', 'companyname', 'email', 'address1', 'address2', 'city', 'state', 'postcode', 'country', 'phonenumber'] as const;
const today = (): string => new Date().toISOString().slice(0, 10);
const truthy = (v: string | undefined): boolean => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
const ok = (x: Answer = {}): Answer => ({ result: 'success', ...x });
const fail = (message: string): Answer => ({ result: 'error', message });

/** `limitstart` / `limitnum` paging as WHMCS does it (25 by default). */
function page<T>(rows: T[], p: Params): { totalresults: number; startnumber: number; numreturned: number; rows: T[] } {
  const start = Math.max(0, Number(p.limitstart ?? 0) || 0);
  const num = Math.max(1, Number(p.limitnum ?? 25) || 25);
  const slice = rows.slice(start, start + num);
  return { totalresults: rows.length, startnumber: start, numreturned: slice.length, rows: slice };
}

export class WhmcsApiStandin {
  readonly clients = new Map<number, StandinClient>();
  readonly contacts = new Map<number, StandinContact>();
  readonly users = new Map<number, StandinUser>();
  readonly domains: StandinDomain[] = [];
  readonly services: StandinService[] = [];
  readonly invoices: StandinInvoice[] = [];
  readonly tickets: StandinTicket[] = [];
  readonly emails: StandinEmail[] = [];
  readonly consent: StandinConsent[] = [];
  readonly payMethods: StandinPayMethod[] = [];
  private nextPayMethodId = 1;
  readonly calls: StandinCall[] = [];
  /** Client ids DeleteClient was called for (the suite must never). */
  readonly deleted: number[] = [];
  /** True: every request answers 503 (WHMCS down or in maintenance); recorded as 'down'. */
  down = false;
  /** The next this many API requests answer as if WHMCS were down (a short outage, counted down per request). */
  failNext = 0;
  /** Called with each hook WHMCS would fire after a write (ClientEdit, ContactEdit, ClientClose …). */
  onHook: ((h: StandinHook) => void | Promise<void>) | null = null;
  private server: http.Server | null = null;
  private nextId = { client: 1, contact: 1, user: 1, service: 1, domain: 1, invoice: 1, ticket: 1, reply: 1, email: 1, consent: 1 };

  constructor(readonly identifier = 'suite-writeback', readonly secret = 'whmcs-api-secret-for-tests') {}

  /** Starts listening on 127.0.0.1 (a random port); returns the WHMCS base URL (the API is at /includes/api.php). */
  async start(): Promise<string> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The recorded calls of one action. */
  callsOf(action: string): StandinCall[] {
    return this.calls.filter((c) => c.action === action);
  }

  // ---- seeding ----

  addClient(c: Partial<StandinClient> = {}): StandinClient {
    const id = c.id ?? this.nextId.client++;
    this.nextId.client = Math.max(this.nextId.client, id + 1);
    const client: StandinClient = {
      id, firstname: 'Ada', lastname: 'Lovelace', companyname: '', email: `client${id}@example.org`, address1: '12 Analytical Row', address2: '', city: 'London',
      state: '', postcode: 'NW1 6XE', country: 'GB', phonenumber: '+44.2079460018', status: 'Active', language: 'english', marketingOptIn: false, datecreated: today(), notes: '', ...c,
    };
    this.clients.set(id, client);
    return client;
  }

  addContact(userid: number, c: Partial<StandinContact> = {}): StandinContact {
    const id = c.id ?? this.nextId.contact++;
    this.nextId.contact = Math.max(this.nextId.contact, id + 1);
    const contact: StandinContact = {
      id, userid, firstname: 'Charles', lastname: 'Babbage', companyname: '', email: `contact${id}@example.org`, address1: '1 Dorset Street', address2: '',
      city: 'London', state: '', postcode: 'W1U 4EG', country: 'GB', phonenumber: '+44.2079460019', ...c,
    };
    this.contacts.set(id, contact);
    return contact;
  }

  /** A user (login) linked to clients; the first is the one it owns. */
  addUser(clientIds: number[], u: Partial<Omit<StandinUser, 'clients'>> = {}): StandinUser {
    const id = u.id ?? this.nextId.user++;
    this.nextId.user = Math.max(this.nextId.user, id + 1);
    const user: StandinUser = { id, firstname: 'Ada', lastname: 'Lovelace', email: `user${id}@example.org`, language: '', ...u, clients: clientIds.map((c, i) => ({ id: c, isOwner: i === 0 })) };
    this.users.set(id, user);
    return user;
  }

  /** A service (hosting product) of a client, with its control-panel login as WHMCS holds it. */
  addService(userid: number, s: Partial<StandinService> = {}): StandinService {
    const id = this.nextId.service++;
    const row: StandinService = { id, userid, name: 'Shared Hosting', domain: `site${id}.example`, status: 'Active', regdate: today(), nextduedate: today(), username: `user${id}`, password: `cp-pass-${id}`, dedicatedip: '', ...s };
    this.services.push(row);
    return row;
  }

  addDomain(userid: number, domainname: string, d: Partial<StandinDomain> = {}): StandinDomain {
    const row: StandinDomain = { id: this.nextId.domain++, userid, domainname, status: 'Active', regdate: today(), expirydate: today(), registrar: 'privacysuite', ...d };
    this.domains.push(row);
    return row;
  }

  addInvoice(userid: number, i: Partial<StandinInvoice> = {}): StandinInvoice {
    const c = this.clients.get(userid);
    const row: StandinInvoice = {
      id: this.nextId.invoice++, userid, status: 'Unpaid', date: today(), duedate: today(), datepaid: '0000-00-00 00:00:00', total: '10.00', firstname: c?.firstname ?? '', lastname: c?.lastname ?? '', companyname: c?.companyname ?? '', ...i,
    };
    if (row.status === 'Paid' && i.datepaid === undefined) row.datepaid = `${row.date} 12:00:00`;
    this.invoices.push(row);
    return row;
  }

  addTicket(userid: number, subject: string, message: string, replies: Omit<StandinReply, 'id' | 'date'>[] = []): StandinTicket {
    const c = this.clients.get(userid);
    const id = this.nextId.ticket++;
    const row: StandinTicket = {
      id, tid: `T${100000 + id}`, userid, name: c ? `${c.firstname} ${c.lastname}` : '', email: c?.email ?? '', subject, message, status: 'Open', date: today(),
      replies: replies.map((r) => ({ ...r, id: this.nextId.reply++, date: today() })),
    };
    this.tickets.push(row);
    return row;
  }

  addEmail(userid: number, subject: string, message: string): StandinEmail {
    const row: StandinEmail = { id: this.nextId.email++, userid, subject, message, to: this.clients.get(userid)?.email ?? '', date: today() };
    this.emails.push(row);
    return row;
  }

  addConsent(userid: number, optin: boolean, opts: { admin?: boolean; ip?: string; date?: string } = {}): StandinConsent {
    const row: StandinConsent = { id: this.nextId.consent++, userid, optin, admin: opts.admin ?? false, ip: opts.ip ?? '', date: opts.date ?? new Date().toISOString() };
    this.consent.push(row);
    return row;
  }

  /** A stored pay method (by default a card WHMCS's Stripe gateway saved, its token in the JSON form). */
  addPayMethod(userid: number, m: Partial<Omit<StandinPayMethod, 'id' | 'userid'>> = {}): StandinPayMethod {
    const row: StandinPayMethod = {
      id: this.nextPayMethodId++, userid, type: 'RemoteCreditCard', description: '', gateway_name: 'stripe', card_last_four: '4242', expiry_date: '12/30', card_type: 'Visa',
      remote_token: JSON.stringify({ customer: `cus_whmcs${userid}`, method: `pm_whmcs${userid}` }), ...m,
    };
    this.payMethods.push(row);
    return row;
  }

  /**
   * Many clients at once (the import benchmark's 100,000): client i gets a contact every `contactEvery`, a domain every
   * `domainEvery`, `paidInvoices` paid invoices and, every `optInEvery`, an opt-in history row (and the opt-in set).
   */
  seedBulk(n: number, opts: { contactEvery?: number; domainEvery?: number; paidInvoices?: number; optInEvery?: number } = {}): void {
    for (let i = 1; i <= n; i++) {
      const optIn = Boolean(opts.optInEvery && i % opts.optInEvery === 0);
      const c = this.addClient({ firstname: `First${i}`, lastname: `Last${i}`, email: `bulk${i}@example.org`, datecreated: '2020-01-01', marketingOptIn: optIn });
      if (opts.contactEvery && i % opts.contactEvery === 0) this.addContact(c.id, { email: `bulk${i}.contact@example.org` });
      if (opts.domainEvery && i % opts.domainEvery === 0) this.addDomain(c.id, `bulk${i}.example`, { regdate: '2020-01-01', expirydate: '2027-01-01' });
      for (let k = 0; k < (opts.paidInvoices ?? 0); k++) this.addInvoice(c.id, { status: 'Paid', date: `202${k % 6}-03-01` });
      if (optIn) this.addConsent(c.id, true, { date: '2021-05-01T10:00:00Z' });
    }
  }

  // ---- the connector addon's endpoint (modules/addons/privacysuite/endpoint.php, docs/whmcs.md) ----

  /** The brand's hook secret the addon signs with; null: the addon is not installed (its URL answers 404). */
  addonSecret: string | null = null;

  /** The addon's signed JSON endpoint: `consent-history` pages through the opt-in history, ordered by id; the erasing actions. */
  private addon(raw: string, headers: http.IncomingHttpHeaders): { status: number; answer: Answer; action: string } {
    let body: { action?: string; params?: Record<string, unknown> } = {};
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return { status: 400, answer: fail('Invalid JSON'), action: '' };
    }
    const action = `addon:${body.action ?? ''}`;
    if (!this.addonSecret) return { status: 404, answer: fail('Not found'), action };
    const signed = verifyHookSignature(String(headers['x-suite-signature'] ?? ''), [this.addonSecret], String(headers['x-suite-timestamp'] ?? ''), Buffer.from(raw));
    if (!signed) return { status: 401, answer: fail('Invalid signature'), action };
    const p = body.params ?? {};
    if (body.action === 'erase-email-log' || body.action === 'anonymise-consent-history') {
      if (p.userid === undefined) return { status: 400, answer: fail('userid is required'), action };
      const before = p.before === undefined || p.before === null ? undefined : isoBefore(p.before);
      if (before === null) return { status: 400, answer: fail('before must be an ISO 8601 date-time with an offset'), action };
      return { status: 200, answer: ok(body.action === 'erase-email-log' ? { erased: this.eraseEmails(Number(p.userid), before) } : { anonymised: this.blankConsentIps(Number(p.userid), before) }), action };
    }
    if (body.action !== 'consent-history') return { status: 400, answer: fail('Unknown action'), action };
    const rows = this.consent.filter((c) => p.userid === undefined || c.userid === Number(p.userid));
    const pg = page(rows, { limitstart: String(p.limitstart ?? 0), limitnum: String(Math.min(1000, Number(p.limitnum ?? 100))) });
    return { status: 200, answer: ok({ totalresults: pg.totalresults, startnumber: pg.startnumber, numreturned: pg.numreturned, history: pg.rows }), action };
  }

  private eraseEmails(userid: number, before?: number): number {
    const count = this.emails.length;
    for (let i = this.emails.length - 1; i >= 0; i--) if (this.emails[i].userid === userid && datedBefore(this.emails[i].date, before)) this.emails.splice(i, 1);
    return count - this.emails.length;
  }

  private blankConsentIps(userid: number, before?: number): number {
    const rows = this.consent.filter((c) => c.userid === userid && c.ip !== '' && datedBefore(c.date, before));
    for (const c of rows) c.ip = '';
    return rows.length;
  }

  // ---- the API ----

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.url?.startsWith('/modules/addons/privacysuite/endpoint.php')) {
      const a = this.down ? { status: 503, answer: fail('down'), action: 'addon' } : this.addon(Buffer.concat(chunks).toString('utf8'), req.headers);
      this.calls.push({ action: a.action, params: {}, at: Date.now(), answered: this.down ? 'down' : a.answer.result === 'success' ? 'success' : 'error' });
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.answer));
      return;
    }
    const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) as Params;
    const { identifier, secret, action = '', responsetype, ...rest } = params;
    void responsetype;
    const record = (answered: StandinCall['answered']) => this.calls.push({ action, params: rest, at: Date.now(), answered });
    if (this.down || this.failNext > 0) {
      if (this.failNext > 0) this.failNext -= 1;
      record('down');
      res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Down for maintenance</h1>');
      return;
    }
    let answer: Answer;
    let hooks: StandinHook[] = [];
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/includes/api.php') answer = fail('Invalid request');
    else if (identifier !== this.identifier || secret !== this.secret) answer = fail('Authentication Failed');
    else ({ answer, hooks } = this.dispatch(action, rest));
    record(answer.result === 'success' ? 'success' : 'error');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    for (const h of hooks) await this.onHook?.(h);
  }

  private dispatch(action: string, p: Params): { answer: Answer; hooks: StandinHook[] } {
    const hooks: StandinHook[] = [];
    const answer = ((): Answer => {
      switch (action) {
        case 'GetClients': return this.getClients(p);
        case 'GetClientsDetails': return this.getClientsDetails(p);
        case 'UpdateClient': return this.updateClient(p, hooks);
        case 'CloseClient': return this.closeClient(p, hooks);
        case 'DeleteClient': return this.deleteClient(p);
        case 'GetContacts': return this.getContacts(p);
        case 'UpdateContact': return this.updateContact(p, hooks);
        case 'GetUsers': return this.getUsers(p);
        case 'UpdateUser': return this.updateUser(p);
        case 'GetClientsProducts': return this.list(this.services.filter((x) => !p.clientid || x.userid === Number(p.clientid)), p, 'products', 'product', { clientid: p.clientid ?? '' });
        case 'GetClientsDomains': return this.list(this.domains.filter((d) => !p.clientid || d.userid === Number(p.clientid)), p, 'domains', 'domain', { clientid: p.clientid ?? '' });
        case 'GetInvoices': return this.list(this.invoices.filter((i) => (!p.userid || i.userid === Number(p.userid)) && (!p.status || i.status === p.status)), p, 'invoices', 'invoice');
        case 'GetTickets': return this.list(this.tickets.filter((t) => !p.clientid || t.userid === Number(p.clientid)).map(({ replies, ...t }) => ({ ...t, replies: replies.length })), p, 'tickets', 'ticket');
        case 'GetTicket': return this.getTicket(p);
        case 'UpdateTicket': return this.updateTicket(p, hooks);
        case 'UpdateTicketReply': return this.updateTicketReply(p);
        case 'GetEmails': return this.list(this.emails.filter((e) => e.userid === Number(p.clientid)), p, 'emails', 'email');
        case 'GetPayMethods': return this.getPayMethods(p);
        case 'DeletePayMethod': return this.deletePayMethod(p);
        default: return fail('Command Not Found');
      }
    })();
    return { answer, hooks };
  }

  private getPayMethods(p: Params): Answer {
    if (!this.clients.has(Number(p.clientid))) return fail('Client Not Found');
    const rows = this.payMethods.filter((m) => m.userid === Number(p.clientid) && (!p.paymethodid || m.id === Number(p.paymethodid)));
    return ok({ clientid: Number(p.clientid), paymethods: rows.map(({ userid: _userid, ...m }) => ({ ...m, contact_type: 'Client', contact_id: 0, start_date: '', issue_number: '', last_updated: today() })) });
  }

  private deletePayMethod(p: Params): Answer {
    const i = this.payMethods.findIndex((m) => m.userid === Number(p.clientid) && m.id === Number(p.paymethodid));
    if (i < 0) return fail('Invalid Pay Method ID');
    this.payMethods.splice(i, 1);
    return ok({ paymethodid: Number(p.paymethodid) });
  }

  private list<T>(rows: T[], p: Params, outer: string, inner: string, extra: Answer = {}): Answer {
    const pg = page(rows, p);
    return ok({ ...extra, totalresults: pg.totalresults, startnumber: pg.startnumber, numreturned: pg.numreturned, [outer]: { [inner]: pg.rows } });
  }

  private getClients(p: Params): Answer {
    const search = (p.search ?? '').toLowerCase();
    const all = [...this.clients.values()];
    const rows = p.status || search ? all.filter((c) => (!p.status || c.status === p.status) && (!search || `${c.firstname} ${c.lastname} ${c.companyname} ${c.email}`.toLowerCase().includes(search))) : all;
    // Paged before the rows are shaped (the import bench pages through 100,000 clients).
    const pg = page(rows, p);
    const shaped = pg.rows.map((c) => ({ id: c.id, firstname: c.firstname, lastname: c.lastname, companyname: c.companyname, email: c.email, datecreated: c.datecreated, groupid: 0, status: c.status }));
    return ok({ totalresults: pg.totalresults, startnumber: pg.startnumber, numreturned: pg.numreturned, clients: { client: shaped } });
  }

  private clientOf(p: Params): StandinClient | undefined {
    if (p.clientid) return this.clients.get(Number(p.clientid));
    if (p.email) return [...this.clients.values()].find((c) => c.email.toLowerCase() === p.email.toLowerCase());
    return undefined;
  }

  private usersOf(clientId: number): { id: number; name: string; email: string; is_owner: boolean }[] {
    return [...this.users.values()].filter((u) => u.clients.some((c) => c.id === clientId))
      .map((u) => ({ id: u.id, name: `${u.firstname} ${u.lastname}`, email: u.email, is_owner: u.clients.some((c) => c.id === clientId && c.isOwner) }));
  }

  private clientView(c: StandinClient): Answer {
    const { marketingOptIn, ...rest } = c;
    return { ...rest, userid: c.id, client_id: c.id, fullname: `${c.firstname} ${c.lastname}`, marketing_emails_opt_in: marketingOptIn, email_verified: false };
  }

  private getClientsDetails(p: Params): Answer {
    const c = this.clientOf(p);
    if (!c) return fail('Client Not Found');
    const view = this.clientView(c);
    return ok({ ...view, client: { ...view, users: { user: this.usersOf(c.id) } } });
  }

  private updateClient(p: Params, hooks: StandinHook[]): Answer {
    const c = this.clientOf(p);
    if (!c) return fail('Client ID Not Found');
    if (!truthy(p.skipvalidation)) {
      if (p.email !== undefined && [...this.clients.values()].some((o) => o.id !== c.id && o.email.toLowerCase() === p.email.toLowerCase())) return fail('Duplicate Email Address');
      if (p.email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(p.email)) return fail('Invalid Email Address');
    }
    const olddata = this.clientView(c);
    for (const f of CLIENT_FIELDS) if (p[f] !== undefined) c[f] = p[f];
    if (p.status === 'Active' || p.status === 'Inactive' || p.status === 'Closed') c.status = p.status;
    if (p.marketingoptin !== undefined && truthy(p.marketingoptin) !== c.marketingOptIn) {
      c.marketingOptIn = truthy(p.marketingoptin);
      this.addConsent(c.id, c.marketingOptIn, { admin: true });
    }
    hooks.push({ hook: 'ClientEdit', vars: { ...this.clientView(c), olddata } });
    return ok({ clientid: c.id });
  }

  private closeClient(p: Params, hooks: StandinHook[]): Answer {
    const c = this.clientOf(p);
    if (!c) return fail('Client ID Not Found');
    c.status = 'Closed';
    for (const i of this.invoices) if (i.userid === c.id && i.status === 'Unpaid') i.status = 'Cancelled';
    hooks.push({ hook: 'ClientClose', vars: { userid: c.id } });
    return ok({ clientid: c.id });
  }

  private deleteClient(p: Params): Answer {
    const c = this.clientOf(p);
    if (!c) return fail('Client ID Not Found');
    this.deleted.push(c.id);
    this.clients.delete(c.id);
    for (const [id, k] of this.contacts) if (k.userid === c.id) this.contacts.delete(id);
    for (let i = this.invoices.length - 1; i >= 0; i--) if (this.invoices[i].userid === c.id) this.invoices.splice(i, 1);
    return ok({ clientid: c.id });
  }

  private getContacts(p: Params): Answer {
    const rows = [...this.contacts.values()].filter((k) => (!p.userid || k.userid === Number(p.userid)) && (!p.email || k.email === p.email));
    return this.list(rows, p, 'contacts', 'contact');
  }

  private updateContact(p: Params, hooks: StandinHook[]): Answer {
    const k = this.contacts.get(Number(p.contactid));
    if (!k) return fail('Contact ID Not Found');
    const olddata = { ...k };
    for (const f of CONTACT_FIELDS) if (p[f] !== undefined) k[f] = p[f];
    hooks.push({ hook: 'ContactEdit', vars: { ...k, contactid: k.id, olddata } });
    return ok({ contactid: k.id });
  }

  private getUsers(p: Params): Answer {
    const search = (p.search ?? '').toLowerCase();
    const rows = [...this.users.values()].filter((u) => !search || `${u.firstname} ${u.lastname} ${u.email}`.toLowerCase().includes(search))
      .map((u) => ({ id: u.id, firstname: u.firstname, lastname: u.lastname, email: u.email, datecreated: today(), validationdata: '', clients: u.clients.map((c) => ({ id: c.id, isOwner: c.isOwner })) }));
    const pg = page(rows, p);
    return ok({ totalresults: pg.totalresults, startnumber: pg.startnumber, numreturned: pg.numreturned, users: pg.rows });
  }

  private updateUser(p: Params): Answer {
    const u = this.users.get(Number(p.user_id));
    if (!u) return fail('User Not Found');
    if (p.email !== undefined && [...this.users.values()].some((o) => o.id !== u.id && o.email.toLowerCase() === p.email.toLowerCase())) return fail('Email address already in use');
    for (const f of ['firstname', 'lastname', 'email', 'language'] as const) if (p[f] !== undefined) u[f] = p[f];
    return ok({ user_id: u.id });
  }

  private getTicket(p: Params): Answer {
    const t = this.tickets.find((x) => (p.ticketid && x.id === Number(p.ticketid)) || (p.ticketnum && x.tid === p.ticketnum));
    if (!t) return fail('Ticket ID Not Found');
    const { id, replies, ...rest } = t;
    const first = { replyid: 0, userid: t.userid, name: t.name, email: t.email, date: t.date, message: t.message };
    const all = [first, ...replies.map((r) => ({ replyid: r.id, userid: t.userid, name: r.name, email: r.email, date: r.date, message: r.message }))];
    return ok({ ticketid: id, ...rest, replies: { reply: p.repliessort === 'DESC' ? all.reverse() : all }, notes: '' });
  }

  private updateTicket(p: Params, hooks: StandinHook[]): Answer {
    const t = this.tickets.find((x) => x.id === Number(p.ticketid));
    if (!t) return fail('Ticket ID Not Found');
    const oldSubject = t.subject;
    for (const f of ['subject', 'message', 'name', 'email', 'status'] as const) if (p[f] !== undefined) t[f] = p[f];
    if (t.subject !== oldSubject) hooks.push({ hook: 'TicketSubjectChange', vars: { ticketid: t.id, subject: t.subject } });
    return ok({ ticketid: t.id });
  }

  private updateTicketReply(p: Params): Answer {
    if (p.message === undefined) return fail('Message is required');
    const r = this.tickets.flatMap((t) => t.replies).find((x) => x.id === Number(p.replyid));
    if (!r) return fail('Reply ID Not Found');
    r.message = p.message;
    return ok({ replyid: r.id });
  }
}
