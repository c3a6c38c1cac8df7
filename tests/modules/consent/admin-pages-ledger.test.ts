/**
 * Issue 14: the consent ledger pages of the admin panel — find a subject by client id or e-mail (blind index), its
 * state and events (IP and user agent only for roles granted usage data, ESM-3), a receipt and whether it verifies,
 * and "verify the chain" (every role, CSRF, audited).
 */
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { createPanelUser, PanelClient } from '../../helpers/admin-browser';
import { clientAdd, consentBrand, CONTEXT, ledgerOf, publishTerms, subjectOf, type TestBrand } from './marketing-fixtures';
import { postHook } from '../../helpers/test-suite';

let t: TestSuite;
let acme: TestBrand;
let globex: TestBrand;
const LEDGER = '/admin/brands/acme/consent/ledger';

beforeAll(async () => {
  t = await startTestSuite();
  acme = await consentBrand(t.suite, 'acme', { model: 'opt-in', channels: ['email', 'sms'] });
  globex = await consentBrand(t.suite, 'globex', { model: 'opt-in', channels: ['email'] });
  await publishTerms(t.suite, acme.id, 'en', '2026-01');
  // Client 1: terms and e-mail offers at registration, then offers withdrawn in the client area.
  expect((await clientAdd(t.baseUrl, acme, 1, { accepttos: '1', marketing_emails_opt_in: '1' })).status).toBe(200);
  expect((await postHook(t.baseUrl, 'ClientEdit', acme.secret, { brand: acme.slug, vars: { userid: 1, email: 'grace1@example.org', emailoptout: '1' }, context: CONTEXT })).status).toBe(200);
  expect((await clientAdd(t.baseUrl, acme, 2, { firstname: '<script>alert(1)</script>', accepttos: '1' })).status).toBe(200);
  expect((await clientAdd(t.baseUrl, globex, 1, { accepttos: '1', marketing_emails_opt_in: '1' })).status).toBe(200);
  await createPanelUser(t.suite.kernel, 'admin@example.com', 'admin');
  await createPanelUser(t.suite.kernel, 'support@example.com', 'support');
  await createPanelUser(t.suite.kernel, 'auditor@example.com', 'auditor');
  await createPanelUser(t.suite.kernel, 'reseller@example.com', 'reseller', 'globex');
});
afterAll(() => t.close());

async function as(email: string, headers: Record<string, string> = {}): Promise<PanelClient> {
  return new PanelClient(t.baseUrl, headers).login(email);
}

/** The last `admin.view` audit entry of the ledger page. */
async function lastView(page = 'consent.ledger') {
  const entries = await t.suite.kernel.audit.list({ action: 'admin.view', limit: 50 });
  return entries.find((e) => (e.details as { page?: string }).page === page)!;
}

/** The event rows of a ledger page (`data-event` ids, newest first). */
function eventIds(html: string): number[] {
  return [...html.matchAll(/data-event="(\d+)"/g)].map((m) => Number(m[1]));
}

describe('consent ledger page: find a subject, its state and events', () => {
  it('an admin finds a client by its panel id: current state per purpose, every event with method, collection point, document version, IP and user agent; audited with contact and usage', async () => {
    const b = await as('admin@example.com');
    const page = await b.get(`${LEDGER}?client=1`);
    expect(page.status).toBe(200);
    const sid = await subjectOf(t.suite, acme, 1);
    expect(page.html).toContain(`data-subject="${sid}"`);
    expect(page.html).toContain('Subject: client 1</h2>');
    expect(page.html).toContain('Status: active');
    expect(page.html).toContain('Grace');
    expect(page.html).toContain('grace1@example.org');
    expect(page.html).toMatch(/data-purpose="terms"[\s\S]*?data-action="given"/);
    expect(page.html).toMatch(/data-purpose="marketing:email"[\s\S]*?data-action="withdrawn"/);
    expect(page.html).toMatch(/data-channel="email"><th[^>]*><code>email<\/code><\/th><td><span class="state-off">No<\/span><\/td><td>address on the suppression list</);
    expect(page.html).toMatch(/data-channel="phone">[\s\S]*?channel not offered by this brand/);
    const rows = await ledgerOf(t.suite, sid);
    expect(rows.length).toBe(3);
    expect(eventIds(page.html)).toEqual(rows.map((r) => Number(r.id)).reverse());
    expect(page.html).toContain('2026-01');
    expect(page.html).toContain('<code>registration</code>');
    expect(page.html).toContain('<code>profile</code>');
    expect(page.html).toContain('data-column="ip"');
    expect(page.html).toContain(CONTEXT.ip);
    expect(page.html).toContain(CONTEXT.userAgent);
    expect(page.html).toContain(`href="${LEDGER}/receipts/${String(rows[0].receipt_id)}"`);
    expect(page.html).not.toContain('data-withheld');
    const view = await lastView();
    expect(view).toMatchObject({ actor: expect.stringMatching(/^user:\d+$/), target_type: 'subject', target_id: String(sid) });
    expect(view.details).toMatchObject({ categories: ['contact', 'usage'], withheld: [], role: 'admin' });
  });

  it('ESM-3: support (contact only) sees names but no IP or user agent column, with a withheld note; the audit entry names usage as withheld', async () => {
    const b = await as('support@example.com');
    const page = await b.get(`${LEDGER}?client=1`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('grace1@example.org');
    expect(eventIds(page.html)).toHaveLength(3);
    expect(page.html).not.toContain('data-column="ip"');
    expect(page.html).not.toContain(CONTEXT.ip);
    expect(page.html).not.toContain(CONTEXT.userAgent);
    expect(page.html).toContain('data-withheld="usage"');
    expect(page.html).toContain('withheld for your role (usage data)');
    expect((await lastView()).details).toMatchObject({ role: 'support', categories: ['contact'], withheld: ['usage'] });
  });

  it('ESM-3: an auditor (neither contact nor usage) sees the consent events only; names and IP are withheld and audited as such', async () => {
    const b = await as('auditor@example.com');
    const page = await b.get(`${LEDGER}?client=1`);
    expect(page.status).toBe(200);
    expect(eventIds(page.html)).toHaveLength(3);
    expect(page.html).not.toContain('grace1@example.org');
    expect(page.html).not.toContain(CONTEXT.ip);
    expect(page.html).toContain('data-withheld="contact"');
    expect(page.html).toContain('data-withheld="usage"');
    expect((await lastView()).details).toMatchObject({ role: 'auditor', categories: [], withheld: ['contact', 'usage'] });
    // An e-mail address is contact data: no e-mail search for this role, and its POST is refused.
    expect(page.html).not.toContain(`action="${LEDGER}/search"`);
    const search = await b.post(`${LEDGER}/search`, { _csrf: await b.csrf(LEDGER), email: 'grace1@example.org' });
    expect(search.status).toBe(403);
    expect(search.html).toContain('may not look subjects up by e-mail address');
    expect(search.html).not.toContain('data-subject=');
  });

  it('finds a subject by e-mail through the blind index (POST, the address stays out of the URL); no match says so; a bad address names the field', async () => {
    const b = await as('admin@example.com');
    const sid = await subjectOf(t.suite, acme, 1);
    expect((await b.get(LEDGER)).html).toContain('name="email" type="email" value=""'); // not the user's own address
    const found = await b.submit(LEDGER, `${LEDGER}/search`, { email: 'Grace1@example.org ' });
    expect(found.status).toBe(303);
    expect(found.location).toBe(`${LEDGER}?subject=${sid}`);
    expect(found.location).not.toContain('example.org');
    expect(eventIds((await b.get(found.location!)).html)).toHaveLength(3);

    const none = await b.submit(LEDGER, `${LEDGER}/search`, { email: 'nobody@example.org' });
    expect(none.status).toBe(200);
    expect(none.html).toContain('data-result="no-match"');
    expect(none.html).toContain('No subject of this brand matches.');
    expect(none.html).toContain('value="nobody@example.org"');
    // Another brand's client with the same address is not found from this brand.
    expect((await b.submit('/admin/brands/globex/consent/ledger', '/admin/brands/globex/consent/ledger/search', { email: 'grace2@example.org' })).html).toContain('data-result="no-match"');

    const bad = await b.submit(LEDGER, `${LEDGER}/search`, { email: 'not-an-address' });
    expect(bad.status).toBe(400);
    expect(bad.html).toMatch(/role="alert"[\s\S]*<code>email<\/code>: a valid e-mail address/);
    expect((await b.post(`${LEDGER}/search`, { email: 'grace1@example.org' })).status).toBe(403); // no CSRF token
  });

  it('an unknown client id says "no match"; a malformed one names the field (400); another brand\'s subject id is 404', async () => {
    const b = await as('admin@example.com');
    const none = await b.get(`${LEDGER}?client=999`);
    expect(none.status).toBe(200);
    expect(none.html).toContain('data-result="no-match"');
    expect(none.html).not.toContain('data-subject=');
    const bad = await b.get(`${LEDGER}?client=${encodeURIComponent('1 or 1=1')}`);
    expect(bad.status).toBe(400);
    expect(bad.html).toMatch(/<code>client<\/code>: a client id of letters/);
    const other = await subjectOf(t.suite, globex, 1);
    const cross = await b.get(`${LEDGER}?subject=${other}`);
    expect(cross.status).toBe(404);
    expect(cross.html).not.toContain('grace1@example.org');
    expect((await b.get(`${LEDGER}?subject=abc`)).status).toBe(400);
  });

  it('pages by row id: a limit shows that many events and an "older" link to the rest', async () => {
    const b = await as('admin@example.com');
    const sid = await subjectOf(t.suite, acme, 1);
    const ids = (await ledgerOf(t.suite, sid)).map((r) => Number(r.id)).reverse();
    const first = await b.get(`${LEDGER}?subject=${sid}&limit=2`);
    expect(eventIds(first.html)).toEqual(ids.slice(0, 2));
    const older = /href="([^"]+)" rel="next"/.exec(first.html)![1].replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
    expect(older).toBe(`${LEDGER}?subject=${sid}&before=${ids[1]}&limit=2`);
    const second = await b.get(older);
    expect(eventIds(second.html)).toEqual(ids.slice(2));
    expect(second.html).not.toContain('rel="next"');
  });

  it('escapes a client named <script>alert(1)</script>', async () => {
    const b = await as('admin@example.com');
    const page = await b.get(`${LEDGER}?client=2`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.html).not.toContain('<script>alert(1)</script>');
  });

  it('a reseller of another brand gets 403 on the ledger, a receipt and the verify button, audited as admin.brand.forbidden', async () => {
    const b = await as('reseller@example.com');
    expect((await b.get('/admin/brands/globex/consent/ledger?client=1')).status).toBe(200);
    const token = await b.csrf('/admin/brands/globex/consent/ledger');
    const receipt = String((await ledgerOf(t.suite, await subjectOf(t.suite, acme, 1)))[0].receipt_id);
    const before = (await t.suite.kernel.audit.list({ action: 'admin.brand.forbidden', limit: 100 })).length;
    const page = await b.get(`${LEDGER}?client=1`);
    expect(page.status).toBe(403);
    expect(page.html).not.toContain('grace1@example.org');
    expect((await b.get(`${LEDGER}/receipts/${receipt}`)).status).toBe(403);
    expect((await b.post(`${LEDGER}/verify`, { _csrf: token })).status).toBe(403);
    const refused = await t.suite.kernel.audit.list({ action: 'admin.brand.forbidden', limit: 100 });
    expect(refused.length).toBe(before + 3);
    expect(refused[0]).toMatchObject({ brand_id: acme.id, target_id: 'acme', actor: expect.stringMatching(/^user:\d+$/) });
  });
});

describe('consent receipts and the chain', () => {
  it('a receipt page shows the signed receipt and that it verifies; after a ledger row is changed in the database it does not', async () => {
    const b = await as('admin@example.com');
    const [row] = await ledgerOf(t.suite, await subjectOf(t.suite, acme, 1));
    const path = `${LEDGER}/receipts/${String(row.receipt_id)}`;
    const ok = await b.get(path);
    expect(ok.status).toBe(200);
    expect(ok.html).toContain('data-receipt="ok"');
    expect(ok.html).toContain('Signature valid (Ed25519');
    expect(ok.html).toContain(`&quot;receiptId&quot;: &quot;${String(row.receipt_id)}&quot;`);
    expect(ok.html).toContain('ISO/IEC TS 27560:2023');
    expect(ok.html).toContain(CONTEXT.ip);
    expect((await lastView('consent.receipt')).details).toMatchObject({ categories: ['usage'], withheld: [] });

    const support = await (await as('support@example.com')).get(path);
    expect(support.status).toBe(200);
    expect(support.html).not.toContain(CONTEXT.ip);
    expect(support.html).toContain('data-withheld="usage"');

    await t.suite.kernel.db('consent_ledger').where({ id: row.id }).update({ action: 'withdrawn' });
    try {
      const tampered = await b.get(path);
      expect(tampered.status).toBe(200);
      expect(tampered.html).toContain('data-receipt="broken"');
      expect(tampered.html).toContain('The ledger record was changed after it was written');
    } finally {
      await t.suite.kernel.db('consent_ledger').where({ id: row.id }).update({ action: row.action as string });
    }
    expect((await b.get(path)).html).toContain('data-receipt="ok"');
  });

  it('another brand\'s receipt and a malformed receipt id are 404', async () => {
    const b = await as('admin@example.com');
    const [other] = await ledgerOf(t.suite, await subjectOf(t.suite, globex, 1));
    expect((await b.get(`${LEDGER}/receipts/${String(other.receipt_id)}`)).status).toBe(404);
    expect((await b.get(`${LEDGER}/receipts/nope`)).status).toBe(404);
  });

  it('verify the chain: any role may run it (POST with CSRF), audited consent.chain.verify; a changed ledger field shows the first broken row', async () => {
    const b = await as('auditor@example.com');
    const total = Number(((await t.suite.kernel.db('consent_ledger').count({ n: '*' }).first()) as { n: number | string }).n);
    const ok = await b.submit(LEDGER, `${LEDGER}/verify`, {});
    expect(ok.status).toBe(200);
    expect(ok.html).toContain('data-verdict="ok"');
    expect(ok.html).toContain(`The consent ledger chain holds: ${total} records checked.`);
    const audit = (await t.suite.kernel.audit.list({ action: 'consent.chain.verify', limit: 1 }))[0];
    expect(audit).toMatchObject({ brand_id: acme.id, target_type: 'chain', target_id: 'consent_ledger', actor: expect.stringMatching(/^user:\d+$/) });
    expect(audit.details).toMatchObject({ ok: true, checked: total });

    const [row] = await ledgerOf(t.suite, await subjectOf(t.suite, acme, 2));
    await t.suite.kernel.db('consent_ledger').where({ id: row.id }).update({ method: 'implied' });
    try {
      const broken = await b.submit(LEDGER, `${LEDGER}/verify`, {});
      expect(broken.html).toContain('data-verdict="broken"');
      expect(broken.html).toContain(`The chain is broken at record ${String(row.id)} (sequence ${String(row.seq)})`);
      expect(broken.html).toContain('Its content was changed after it was written.');
      expect((await t.suite.kernel.audit.list({ action: 'consent.chain.verify', limit: 1 }))[0].details).toMatchObject({ ok: false, brokenAt: { id: Number(row.id) } });
    } finally {
      await t.suite.kernel.db('consent_ledger').where({ id: row.id }).update({ method: row.method as string });
    }
  });

  it('verify without the CSRF token (or a wrong one) is 403 and records nothing', async () => {
    const b = await as('admin@example.com');
    const before = (await t.suite.kernel.audit.list({ action: 'consent.chain.verify', limit: 100 })).length;
    expect((await b.post(`${LEDGER}/verify`, {})).status).toBe(403);
    expect((await b.post(`${LEDGER}/verify`, { _csrf: 'x'.repeat(64) })).status).toBe(403);
    expect((await t.suite.kernel.audit.list({ action: 'consent.chain.verify', limit: 100 })).length).toBe(before);
  });

  it('the page is in the reader\'s language: Arabic right to left', async () => {
    const b = await as('admin@example.com', { 'accept-language': 'ar' });
    const page = await b.get(`${LEDGER}?client=1`);
    expect(page.html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(page.html).toContain('سجل الموافقات');
  });
});
