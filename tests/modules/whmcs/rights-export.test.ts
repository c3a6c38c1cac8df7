/**
 * Access requests over what lives in WHMCS (issue 15 point 11, MS-8b / TOS-1.4): the zip holds the WHMCS client's
 * details, contacts, users, services, domains, invoices, tickets with replies and email log, read page by page from
 * WHMCS's API while the zip is written; credentials never; what could not be reached is named with the reason.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExportRecordSet } from '../../../core/modules/define-module';
import { RIGHTS_PROFILE, rightsBrand } from '../rights/fixtures';
import { entry, WHMCS_RECIPIENT, WhmcsRightsFixture } from './rights-fixtures';

const f = new WhmcsRightsFixture();
const { whmcs } = f;

beforeAll(() => f.start(['wx-shop', 'wx-down']));
afterAll(() => f.stop());
beforeEach(() => { whmcs.addonSecret = f.secrets['wx-shop']; });

describe('WHMCS-held data in an access request', () => {
  it('MS-8b: every WHMCS set is in data.json, the CSVs and index.html, tickets with their replies; no credentials', async () => {
    const { clientId, subjectId } = await f.knownClient('wx-shop', 2);
    const other = whmcs.addClient();
    whmcs.addUser([clientId], { email: 'login@example.org' });
    const service = whmcs.addService(clientId, { domain: 'ada-site.example', password: 'cp-secret-9f1' });
    whmcs.addService(other.id);
    whmcs.addDomain(clientId, 'ada.example');
    const invoice = whmcs.addInvoice(clientId, { status: 'Paid', total: '42.00' });
    const ticket = whmcs.addTicket(clientId, 'Server slow', 'My site at ada.example is slow', [{ name: 'Support', email: 'support@shop.example', message: 'We are looking into it' }, { name: 'Ada Lovelace', email: 'client1@example.org', message: 'Thank you' }]);
    whmcs.addTicket(other.id, 'Not hers', 'Someone else');
    whmcs.addEmail(clientId, 'Welcome', 'Welcome aboard');
    whmcs.addConsent(clientId, true, { ip: '203.0.113.50', date: '2024-02-01T09:00:00Z' });
    whmcs.addConsent(other.id, true, { ip: '192.0.2.1' });

    const { request, zip } = await f.exportZip('wx-shop', subjectId);
    expect(request.status).toBe('fulfilled');
    const data = JSON.parse(entry(zip, 'data.json'));
    expect(data.modules.whmcs).toEqual({
      source: { whmcs: new URL(whmcs.url).host, readAt: expect.any(Number) },
      notReached: [],
    });
    const rec = data.records.whmcs;
    expect(Object.keys(rec)).toEqual(['whmcs-client', 'whmcs-contacts', 'whmcs-users', 'whmcs-services', 'whmcs-domains', 'whmcs-invoices', 'whmcs-tickets', 'whmcs-emails', 'whmcs-marketing-history']);
    expect(rec['whmcs-client']).toMatchObject({ category: 'contact', rows: [{ id: clientId, email: whmcs.clients.get(clientId)!.email, address1: '12 Analytical Row' }] });
    expect(rec['whmcs-contacts'].rows).toHaveLength(2);
    expect(rec['whmcs-users'].rows).toEqual([expect.objectContaining({ email: 'login@example.org', is_owner: true })]);
    expect(rec['whmcs-services']).toMatchObject({ category: 'billing', rows: [{ id: service.id, domain: 'ada-site.example', username: service.username }] });
    expect(rec['whmcs-services'].rows[0]).not.toHaveProperty('password');
    expect(rec['whmcs-domains']).toMatchObject({ category: 'registration', rows: [{ domainname: 'ada.example' }] });
    expect(rec['whmcs-invoices'].rows).toEqual([expect.objectContaining({ id: invoice.id, total: '42.00' })]);
    expect(rec['whmcs-tickets'].category).toBe('correspondence');
    expect(rec['whmcs-tickets'].rows).toHaveLength(1);
    expect(rec['whmcs-tickets'].rows[0]).toMatchObject({ ticketid: ticket.id, subject: 'Server slow', replies: [{ message: 'My site at ada.example is slow' }, { message: 'We are looking into it' }, { message: 'Thank you' }] });
    expect(rec['whmcs-tickets'].rows[0]).not.toHaveProperty('c');
    expect(rec['whmcs-emails'].rows).toEqual([expect.objectContaining({ subject: 'Welcome', message: 'Welcome aboard' })]);
    expect(rec['whmcs-marketing-history']).toEqual({ category: 'usage', rows: [{ id: expect.any(Number), userid: clientId, optin: true, admin: false, ip: '203.0.113.50', date: '2024-02-01T09:00:00Z' }] });
    expect(entry(zip, 'data.json')).not.toContain('cp-secret-9f1');
    expect(entry(zip, 'data.json')).not.toContain('Not hers');

    expect(entry(zip, 'csv/correspondence.csv')).toContain('We are looking into it');
    expect(entry(zip, 'csv/billing.csv')).toContain('ada-site.example');
    const html = entry(zip, 'index.html');
    expect(html).toContain('Thank you');
    expect(html).toContain('Support tickets in WHMCS');
    expect(html).toContain('Marketing opt-in history in WHMCS');
    expect(entry(zip, 'csv/usage.csv')).toContain('203.0.113.50');
    expect(request.result.counts.whmcs).toMatchObject({ 'whmcs-tickets': 1, 'whmcs-contacts': 2 });
  });

  it('MS-8b: without the connector addon the opt-in history is named as not reached, with the reason, and the rest is there', async () => {
    const { clientId, subjectId } = await f.knownClient('wx-shop');
    whmcs.addConsent(clientId, true, { ip: '203.0.113.51' });
    whmcs.addonSecret = null;
    const { zip } = await f.exportZip('wx-shop', subjectId);
    const data = JSON.parse(entry(zip, 'data.json'));
    expect(data.modules.whmcs.notReached).toEqual([{ what: 'WHMCS connector addon: the marketing opt-in history', why: 'WHMCS refused consent-history: Not found' }]);
    // The set says so in its one row instead of silently being empty.
    expect(data.records.whmcs['whmcs-marketing-history'].rows).toEqual([{ notReached: 'WHMCS refused consent-history: Not found (the rows above are all that could be read)' }]);
    expect(data.records.whmcs['whmcs-client'].rows).toHaveLength(1);
    expect(entry(zip, 'index.html')).toContain('WHMCS refused consent-history: Not found');
  });

  it('MS-8b: a WHMCS contact exports its own contact record only', async () => {
    const { contactIds, contactSubjectIds } = await f.knownClient('wx-shop', 2);
    const { zip } = await f.exportZip('wx-shop', contactSubjectIds[1]);
    const data = JSON.parse(entry(zip, 'data.json'));
    expect(Object.keys(data.records.whmcs)).toEqual(['whmcs-contact']);
    expect(data.records.whmcs['whmcs-contact'].rows).toEqual([expect.objectContaining({ id: contactIds[1], email: whmcs.contacts.get(contactIds[1])!.email })]);
    expect(data.modules.whmcs.notReached).toEqual([]);
  });

  it('MS-8b: a client with 5,000 tickets is read in pages of 100, one page at a time as the zip is written', async () => {
    const { clientId, subjectId } = await f.knownClient('wx-shop');
    for (let i = 0; i < 5000; i++) whmcs.addTicket(clientId, `Ticket ${i}`, `Message ${i}`, [{ name: 'Support', email: 'support@shop.example', message: `Answer ${i}` }]);
    // The set is lazy: reading its first row has asked WHMCS for one page of tickets, not all of them.
    const mod = f.t.suite.kernel.modules.get('whmcs')!;
    const sets: ExportRecordSet[] = [];
    for await (const s of mod.personalData!.records!(subjectId, { kernel: f.t.suite.kernel })) sets.push(s);
    const before = whmcs.callsOf('GetTickets').length;
    const tickets = sets.find((s) => s.name === 'whmcs-tickets')!.rows[Symbol.asyncIterator]();
    expect((await tickets.next()).value).toMatchObject({ subject: 'Ticket 0', replies: [{ message: 'Message 0' }, { message: 'Answer 0' }] });
    expect(whmcs.callsOf('GetTickets').slice(before).map((c) => c.params)).toEqual([expect.objectContaining({ clientid: String(clientId), limitstart: '0', limitnum: '100' })]);
    await tickets.return?.(undefined);

    const start = whmcs.callsOf('GetTickets').length;
    const { request, zip } = await f.exportZip('wx-shop', subjectId);
    const pages = whmcs.callsOf('GetTickets').slice(start);
    expect(pages.map((c) => Number(c.params.limitstart))).toEqual(Array.from({ length: 50 }, (_, i) => i * 100));
    expect(pages.every((c) => c.params.limitnum === '100')).toBe(true);
    expect(request.result.counts.whmcs['whmcs-tickets']).toBe(5000);
    const rows = JSON.parse(entry(zip, 'data.json')).records.whmcs['whmcs-tickets'].rows as { subject: string }[];
    expect(rows.map((r) => r.subject)).toEqual(Array.from({ length: 5000 }, (_, i) => `Ticket ${i}`));
  }, 120_000);

  it('MS-8b: WHMCS down — the export is still produced and says what was not reached and why', async () => {
    const { subjectId } = await f.knownClient('wx-down');
    whmcs.down = true;
    try {
      const { request, zip } = await f.exportZip('wx-down', subjectId);
      expect(request.status).toBe('fulfilled');
      const data = JSON.parse(entry(zip, 'data.json'));
      expect(data.modules.whmcs.notReached).toEqual([
        { what: expect.stringMatching(/^WHMCS API: client details, contacts, users, services, domains, invoices, support tickets and the email log$/), why: 'WHMCS GetClientsDetails failed: HTTP 503, no JSON answer' },
        { what: 'WHMCS connector addon: the marketing opt-in history', why: 'WHMCS refused consent-history: down' },
      ]);
      for (const s of Object.values(data.records.whmcs) as { rows: unknown[] }[]) expect(s.rows).toEqual([{ notReached: expect.stringMatching(/^WHMCS (\w+ failed: HTTP 503, no JSON answer|refused consent-history: down) \(the rows above are all that could be read\)$/) }]);
      expect(data.subject.fields.length).toBeGreaterThan(0); // the suite's own data is there all the same
      expect(entry(zip, 'index.html')).toContain('WHMCS GetClientsDetails failed: HTTP 503, no JSON answer');
    } finally {
      whmcs.down = false;
    }
  });

  it('MS-8b: WHMCS not answering at all — the export waits for one timeout, not one per set, and says why', async () => {
    const hanging = http.createServer(() => { /* accepts, never answers */ });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
      f.secrets['wx-hang'] = await rightsBrand(f.t.suite, 'wx-hang', { recipients: [...RIGHTS_PROFILE.recipients, WHMCS_RECIPIENT], modules: { whmcs: { enabled: true, apiUrl: url, identifier: 'x', timeoutSeconds: 1 } } });
      const { subjectId } = await f.knownClient('wx-hang');
      const started = Date.now();
      const { request, zip } = await f.exportZip('wx-hang', subjectId);
      const took = Date.now() - started;
      expect(request.status).toBe('fulfilled');
      const data = JSON.parse(entry(zip, 'data.json'));
      const why = 'WHMCS GetClientsDetails failed: unreachable (TimeoutError)';
      expect(data.modules.whmcs.notReached).toEqual([expect.objectContaining({ what: expect.stringMatching(/^WHMCS API/), why }), expect.objectContaining({ what: expect.stringMatching(/addon/), why })]);
      const sets = Object.values(data.records.whmcs) as { rows: unknown[] }[];
      expect(sets).toHaveLength(9);
      for (const s of sets) expect(s.rows).toEqual([{ notReached: `${why} (the rows above are all that could be read)` }]);
      // One 1-second timeout (the probe), not eleven (probe, addon probe, nine sets).
      expect(took).toBeLessThan(5000);
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });

  it('MS-8b: a brand that does not write back to WHMCS exports nothing from it and calls nothing', async () => {
    const { subjectId } = await f.knownClient('wx-shop');
    await f.t.suite.kernel.brands.setProfile('wx-shop', { ...(await import('../rights/fixtures')).RIGHTS_PROFILE, modules: { whmcs: { enabled: false } } }, { type: 'cli', id: 'test' });
    const before = whmcs.calls.length;
    const { zip } = await f.exportZip('wx-shop', subjectId);
    const data = JSON.parse(entry(zip, 'data.json'));
    expect(data.records.whmcs).toBeUndefined();
    expect(data.modules.whmcs).toEqual({});
    expect(whmcs.calls.slice(before)).toEqual([]);
  });
});
