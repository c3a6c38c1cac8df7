/**
 * Issue 14: the legal disclosures page of the admin panel (MS-5.2, WSM-15) — an admin records an authority's request
 * by form, the same user is refused the decision (four eyes, the service's coded error), a second admin approves
 * some fields and gets the values once, and the release is in the disclosure log shown below with its filters;
 * bad input names the field and writes nothing; read-only roles see no forms and are refused a POST; another brand's
 * user is refused (audited), another brand's request is 404, a POST without the CSRF token is 403, text is escaped.
 */
import { createPanelUser, PanelClient } from '../../helpers/admin-browser';
import { count, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { rightsBrand, signUp } from './fixtures';

let t: TestSuite;
let subjectId: number;
let otherSubject: number;
const XSS = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';
const PAGE = '/admin/brands/shop/rights/disclosures';
const login = (email: string): Promise<PanelClient> => new PanelClient(t.baseUrl).login(email);

const form = (extra: Record<string, string> = {}): Record<string, string> => ({
  subjectId: String(subjectId), authority: 'Metropolitan Police', contact: 'disclosures@met.example', officer: 'Inspector Lestrade',
  legalBasis: 'court order 2026/123', reference: 'MET-2026-0042', fields: 'email, lastname, phonenumber', recipient: 'authority', ...extra,
});

async function status(id: number): Promise<string> {
  return ((await t.suite.kernel.db('rights_disclosure_requests').where({ id }).first()) as { status: string }).status;
}

/** Records a request by form as `b`; returns its id. */
async function record(b: PanelClient, extra: Record<string, string> = {}): Promise<number> {
  const res = await b.submit(PAGE, PAGE, form(extra));
  expect(res.status).toBe(303);
  return Number(new URL(res.location!, t.baseUrl).searchParams.get('item'));
}

beforeAll(async () => {
  t = await startTestSuite();
  await rightsBrand(t.suite, 'shop');
  await rightsBrand(t.suite, 'other');
  ({ subjectId } = await signUp(t.suite, 'shop', 1));
  ({ subjectId: otherSubject } = await signUp(t.suite, 'other', 2));
  await createPanelUser(t.suite.kernel, 'first@example.com', 'admin');
  await createPanelUser(t.suite.kernel, 'second@example.com', 'admin');
  await createPanelUser(t.suite.kernel, 'auditor@example.com', 'auditor');
  await createPanelUser(t.suite.kernel, 'reseller@example.com', 'reseller', 'other');
});
afterAll(async () => t?.close());

describe('legal disclosures page', () => {
  it('MS-5.2: a request recorded by form is pending; its recorder is refused the decision (four eyes); a second admin approves some fields and sees the values once; the log shows the release', async () => {
    const first = await login('first@example.com');
    const res = await first.submit(PAGE, PAGE, form());
    expect(res.status).toBe(303);
    const id = Number(new URL(res.location!, t.baseUrl).searchParams.get('item'));
    let page = await first.get(res.location!);
    expect(page.html).toContain(`Disclosure request #${id} is recorded; another user must now decide on it.`);
    expect(page.html).toMatch(new RegExp(`<tr data-disclosure="${id}">[\\s\\S]*?Metropolitan Police[\\s\\S]*?data-status="pending"[\\s\\S]*?Recorded by user:\\d+`));
    expect(await status(id)).toBe('pending');

    const self = await first.submit(PAGE, `${PAGE}/${id}/decision`, { decision: 'approve', fields: ['email', 'lastname'] });
    expect(self.status).toBe(403);
    expect(self.html).toContain('SUITE_RIGHTS_FOUR_EYES');
    expect(self.html).toContain('another user must approve or refuse it (four-eyes rule)');
    expect(await status(id)).toBe('pending');
    const logBefore = await count(t.suite, 'disclosure_log');

    const second = await login('second@example.com');
    const ok = await second.submit(PAGE, `${PAGE}/${id}/decision`, { decision: 'approve', fields: ['email', 'lastname'], note: 'checked by phone' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toContain('no-store');
    expect(ok.html).toContain('shown only this once');
    expect(ok.html).toMatch(/<tr data-field="email">[\s\S]*?ada\.1@example\.org/);
    expect(ok.html).toMatch(/<tr data-field="lastname">[\s\S]*?Lovelace1/);
    expect(ok.html).not.toContain('data-field="phonenumber"');
    expect(await status(id)).toBe('approved');
    expect(await count(t.suite, 'disclosure_log')).toBe(logBefore + 1);
    const view = (await t.suite.kernel.audit.list({ action: 'admin.view', limit: 1 }))[0] as { details: { page: string; categories: string[] } };
    expect(view.details).toMatchObject({ page: 'rights.disclosure-package', categories: ['contact'] });

    page = await second.get(PAGE);
    expect(page.html).toMatch(new RegExp(`<tr data-disclosure="${id}">[\\s\\S]*?Released: email, lastname[\\s\\S]*?data-status="approved"`));
    expect(page.html).not.toContain('ada.1@example.org'); // the values are never shown again
    const log = /<tr data-log="\d+">[\s\S]*?<\/tr>/.exec(page.html)?.[0] ?? '';
    expect(log).toContain('authority');
    expect(log).toContain('legal');
    expect(log).toContain('email, lastname');
    expect(log).toContain('MET-2026-0042');
    expect(log).toContain(String(subjectId));

    // Filters of the log: by subject, by recipient.
    expect((await second.get(`${PAGE}?subject=${subjectId}`)).html).toContain('data-log=');
    expect((await second.get(`${PAGE}?subject=${otherSubject}`)).html).not.toContain('data-log=');
    expect((await second.get(`${PAGE}?recipient=partner`)).html).not.toContain('data-log=');
    expect((await second.get(`${PAGE}?status=pending`)).html).not.toContain(`data-disclosure="${id}"`);

    const again = await second.submit(PAGE, `${PAGE}/${id}/decision`, { decision: 'refuse' });
    expect(again.status).toBe(409);
    expect(again.html).toContain('SUITE_RIGHTS_WRONG_STATE');
  });

  it('a second admin refuses: nothing is released or logged', async () => {
    const id = await record(await login('first@example.com'));
    const logBefore = await count(t.suite, 'disclosure_log');
    const second = await login('second@example.com');
    const res = await second.submit(PAGE, `${PAGE}/${id}/decision`, { decision: 'refuse', note: 'no valid order' });
    expect(res.status).toBe(303);
    expect((await second.get(res.location!)).html).toContain(`Disclosure request #${id} is refused; nothing was released.`);
    expect(await status(id)).toBe('refused');
    expect(await count(t.suite, 'disclosure_log')).toBe(logBefore);
  });

  it('bad input names the fields, shows the form again with the values, and writes nothing', async () => {
    const b = await login('first@example.com');
    const before = await count(t.suite, 'rights_disclosure_requests');
    const res = await b.submit(PAGE, PAGE, form({ authority: '', legalBasis: 'short', fields: 'email, Not A Field' }));
    expect(res.status).toBe(400);
    expect(res.html).toContain('<code>requester.authority</code>');
    expect(res.html).toContain('<code>legalBasis</code>');
    expect(res.html).toContain('<code>fields.1</code>');
    expect(res.html).toContain('value="disclosures@met.example"');
    const unknown = await b.submit(PAGE, PAGE, form({ fields: 'email, shoe_size' }));
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain('&quot;shoe_size&quot; is not a field of the data inventory');
    const approveNone = await (await login('second@example.com')).submit(PAGE, `${PAGE}/${await record(b)}/decision`, { decision: 'approve' });
    expect(approveNone.status).toBe(400);
    expect(approveNone.html).toContain('<code>fields</code>');
    expect(await count(t.suite, 'rights_disclosure_requests')).toBe(before + 1);
    // Another brand's subject is not this brand's to disclose.
    expect((await b.submit(PAGE, PAGE, form({ subjectId: String(otherSubject) }))).status).toBe(404);
    expect(await count(t.suite, 'rights_disclosure_requests')).toBe(before + 1);
  });

  it('an authority named <script>alert(1)</script> appears escaped, never raw, also when the form is shown again', async () => {
    const b = await login('first@example.com');
    await record(b, { authority: XSS, officer: XSS });
    const page = await b.get(PAGE);
    expect(page.html).toContain(ESCAPED);
    expect(page.html).not.toContain(XSS);
    const again = await b.submit(PAGE, PAGE, form({ authority: XSS, legalBasis: '' }));
    expect(again.status).toBe(400);
    expect(again.html).toContain(`value="${ESCAPED}"`);
    expect(again.html).not.toContain(XSS);
  });
});

describe('who may see and act on disclosures', () => {
  it('the auditor sees the requests and the log without forms; a POST is 403 and writes nothing', async () => {
    const id = await record(await login('first@example.com'));
    const b = await login('auditor@example.com');
    const page = await b.get(PAGE);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`data-disclosure="${id}"`);
    expect(page.html).not.toContain('data-form=');
    const csrf = await b.csrf(PAGE);
    expect((await b.post(`${PAGE}/${id}/decision`, { _csrf: csrf, decision: 'approve', fields: 'email' })).status).toBe(403);
    const before = await count(t.suite, 'rights_disclosure_requests');
    expect((await b.post(PAGE, { _csrf: csrf, ...form() })).status).toBe(403);
    expect(await count(t.suite, 'rights_disclosure_requests')).toBe(before);
    expect(await status(id)).toBe('pending');
  });

  it('a reseller user of another brand gets 403, audited as admin.brand.forbidden', async () => {
    const b = await login('reseller@example.com');
    expect((await b.get('/admin/brands/other/rights/disclosures')).status).toBe(200);
    const before = (await t.suite.kernel.audit.list({ action: 'admin.brand.forbidden', limit: 100 })).length;
    const res = await b.get(PAGE);
    expect(res.status).toBe(403);
    expect(res.html).not.toContain('Metropolitan Police');
    const after = await t.suite.kernel.audit.list({ action: 'admin.brand.forbidden', limit: 100 });
    expect(after.length).toBe(before + 1);
    expect(after[0]).toMatchObject({ target_id: 'shop' });
  });

  it('another brand\'s disclosure request is 404 and stays undecided', async () => {
    const other = await login('second@example.com');
    const res = await other.submit('/admin/brands/other/rights/disclosures', '/admin/brands/other/rights/disclosures', form({ subjectId: String(otherSubject) }));
    const id = Number(new URL(res.location!, t.baseUrl).searchParams.get('item'));
    const b = await login('first@example.com');
    expect((await b.submit(PAGE, `${PAGE}/${id}/decision`, { decision: 'refuse' })).status).toBe(404);
    expect(await status(id)).toBe('pending');
  });

  it('a POST without the CSRF token is 403 and writes nothing', async () => {
    const id = await record(await login('first@example.com'));
    const b = await login('second@example.com');
    const before = await count(t.suite, 'rights_disclosure_requests');
    expect((await b.post(PAGE, form())).status).toBe(403);
    expect((await b.post(`${PAGE}/${id}/decision`, { decision: 'refuse' })).status).toBe(403);
    expect(await count(t.suite, 'rights_disclosure_requests')).toBe(before);
    expect(await status(id)).toBe('pending');
  });
});
