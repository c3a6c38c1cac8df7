/**
 * The privacy center's requests (/b/:brand/privacy/requests): download my data, correct it, restrict it, delete my
 * account — each form opens exactly one request through the rights intake, verified by the center's session, with
 * its due date shown in the reader's language; the ready export is offered through its one-time link.
 */
import type { RightsService } from '../../../modules/rights/public';
import { PanelClient } from '../../helpers/admin-browser';
import { count, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { unzip } from '../../helpers/unzip';
import { rightsBrand, signUp } from './fixtures';
import { centerClient } from './privacy-center-fixtures';

const XSS = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';

let t: TestSuite;
let secret: string;
let other: string;
let otherClient: number;
/** Panel client id of the n-th customer of the shop. */
const shopClient: Record<number, number> = {};

beforeAll(async () => {
  t = await startTestSuite();
  secret = await rightsBrand(t.suite, 'pcr-shop', { branding: { name: `Shop ${XSS}` } });
  other = await rightsBrand(t.suite, 'pcr-other');
  for (const n of [1, 2, 3, 4, 5, 6]) shopClient[n] = (await signUp(t.suite, 'pcr-shop', n)).clientId;
  otherClient = (await signUp(t.suite, 'pcr-other', 1)).clientId;
});
afterAll(() => t?.close());

const BASE = '/b/pcr-shop/privacy/requests';
const requestsOf = async (subjectId: number) => t.suite.kernel.db('rights_requests').where({ subject_id: subjectId }).orderBy('id');
const subjectOf = async (slug: string, n: number) => (await t.suite.kernel.subjects.findByExternal((await t.suite.kernel.brands.get(slug)).id, 'client', slug === 'pcr-shop' ? shopClient[n] : otherClient))!.id;
const enter = (n: number) => centerClient(t.baseUrl, 'pcr-shop', secret, shopClient[n]);

describe('privacy center: my requests', () => {
  it('MS-8b: download my data opens one access request verified by the sign-on session; once fulfilled the page offers the one-time download, a zip with data.json', async () => {
    const c = await enter(1);
    const sid = await subjectOf('pcr-shop', 1);
    const page = await c.get(BASE);
    expect(page.status).toBe(200);
    expect(page.html).toContain('You have not made any request yet.');
    const res = await c.submit(BASE, `${BASE}/access`, {});
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${BASE}?opened=access`);
    const rows = await requestsOf(sid);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'access', status: 'verified', source: 'public', verification_method: 'panel-session', brand_id: (await t.suite.kernel.brands.get('pcr-shop')).id });
    // A second click while the first is open writes nothing and names why.
    const again = await c.submit(BASE, `${BASE}/access`, {});
    expect(again.status).toBe(400);
    expect(again.html).toContain('you already have an open request of this kind');
    expect(await requestsOf(sid)).toHaveLength(1);

    const listed = await c.get(`${BASE}?opened=access`);
    expect(listed.html).toContain('We have received your request for a copy of your data.');
    expect(listed.html).toMatch(/<tr data-request="\d+"><td>Copy of my data<\/td><td>being handled<\/td>/);
    expect(listed.html).not.toContain('class="download"');

    const brand = await t.suite.kernel.brands.get('pcr-shop');
    await t.suite.kernel.service<RightsService>('rights').fulfil(brand, Number(rows[0].id), { type: 'cli', id: 'test' });
    const ready = await c.get(BASE);
    const href = /href="([^"]+)" class="download"/.exec(ready.html)?.[1].replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
    expect(href).toMatch(/^\/b\/pcr-shop\/rights\/exports\/\d+\?token=/);
    const zip = await fetch(`${t.baseUrl}${href}`);
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const files = unzip(Buffer.from(await zip.arrayBuffer()));
    expect(files.has('data.json')).toBe(true);
    // Downloaded once: the page no longer offers it.
    expect((await c.get(BASE)).html).not.toContain('class="download"');
  });

  it('MS-8e: correct my data sends only the filled fields; a bad value names its field and writes nothing', async () => {
    const c = await enter(2);
    const sid = await subjectOf('pcr-shop', 2);
    const bad = await c.submit(BASE, `${BASE}/rectify`, { lastname: 'Byron', country: 'XX' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('changes.country');
    expect(bad.html).toContain('<a href="/b/pcr-shop/privacy">Back to my privacy center</a>');
    const none = await c.submit(BASE, `${BASE}/rectify`, { lastname: '  ' });
    expect(none.status).toBe(400);
    expect(none.html).toContain('<code>changes</code>');
    expect(await requestsOf(sid)).toHaveLength(0);
    const ok = await c.submit(BASE, `${BASE}/rectify`, { lastname: XSS, city: 'London', firstname: '' });
    expect(ok.status).toBe(303);
    const rows = await requestsOf(sid);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'rectify', status: 'verified', verification_method: 'panel-session' });
    const requester = JSON.parse(await t.suite.kernel.keyring.decrypt(String(rows[0].requester_enc))) as { changes: Record<string, string> };
    expect(requester.changes).toEqual({ lastname: XSS, city: 'London' });
    // What was asked is shown back escaped, never as markup.
    const page = await c.get(BASE);
    expect(page.html).toContain(`Last name: ${ESCAPED}`);
    expect(page.html).not.toContain(XSS);
  });

  it('SP-5.1: restrict processing opens one restriction request', async () => {
    const c = await enter(3);
    const sid = await subjectOf('pcr-shop', 3);
    const res = await c.submit(BASE, `${BASE}/restrict`, { message: 'I contest the accuracy of my address.' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${BASE}?opened=restrict`);
    const rows = await requestsOf(sid);
    expect(rows.map((r: { type: string; status: string }) => [r.type, r.status])).toEqual([['restrict', 'verified']]);
  });

  it('MS-8f: delete my account is asked on a confirmation page; without the tick nothing is written, with it one erase request', async () => {
    const c = await enter(4);
    const sid = await subjectOf('pcr-shop', 4);
    const confirm = await c.get(`${BASE}/erase`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('This cannot be undone.');
    const unticked = await c.submit(`${BASE}/erase`, `${BASE}/erase`, {});
    expect(unticked.status).toBe(400);
    expect(unticked.html).toContain('<code>confirm</code>');
    expect(await requestsOf(sid)).toHaveLength(0);
    const res = await c.submit(`${BASE}/erase`, `${BASE}/erase`, { confirm: 'yes' });
    expect(res.status).toBe(303);
    expect((await requestsOf(sid)).map((r: { type: string }) => r.type)).toEqual(['erase']);
  });

  it('MS-8c: my requests show received and due dates in the reader\'s language', async () => {
    const c = await enter(5);
    await c.submit(BASE, `${BASE}/restrict`, {});
    const [row] = await requestsOf(await subjectOf('pcr-shop', 5));
    const due = new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Number(row.due_at)));
    const received = new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Number(row.created_at)));
    const de = await c.get(`${BASE}?lang=de`);
    expect(de.html).toContain(`<td>Einschränkung der Verarbeitung</td><td>in Bearbeitung</td><td>${received}</td><td>${due}</td>`);
    expect((await c.get(`${BASE}?lang=ar`)).html).toContain('<html lang="ar" dir="rtl">');
  });

  it('MS-8d: nothing is shown or opened without a session: pages send to the log-in, forms answer 401', async () => {
    const anon = new PanelClient(t.baseUrl);
    for (const p of [BASE, `${BASE}/erase`]) {
      const res = await anon.get(p);
      expect(res.status).toBe(303);
      expect(res.location).toBe('/b/pcr-shop/privacy/login');
    }
    const before = await count(t.suite, 'rights_requests');
    const csrf = await anon.csrf('/b/pcr-shop/privacy/login');
    for (const a of ['access', 'erase', 'restrict']) expect((await anon.post(`${BASE}/${a}`, { _csrf: csrf, confirm: 'yes' })).status).toBe(401);
    expect(await count(t.suite, 'rights_requests')).toBe(before);
  });

  it('a form without its CSRF token, or with another session\'s, is refused with 403 and writes nothing', async () => {
    const c = await enter(6);
    const mallory = await enter(5);
    const before = await count(t.suite, 'rights_requests');
    expect((await c.post(`${BASE}/access`, {})).status).toBe(403);
    expect((await c.post(`${BASE}/access`, { _csrf: await mallory.csrf(BASE) })).status).toBe(403);
    expect(await count(t.suite, 'rights_requests')).toBe(before);
  });

  it('a session of one brand opens nothing at another brand', async () => {
    const c = await enter(6);
    const before = await count(t.suite, 'rights_requests');
    const res = await c.get('/b/pcr-other/privacy/requests');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/b/pcr-other/privacy/login');
    const theirs = await centerClient(t.baseUrl, 'pcr-other', other, otherClient);
    expect((await theirs.get('/b/pcr-other/privacy/requests')).status).toBe(200);
    expect(await count(t.suite, 'rights_requests')).toBe(before);
  });

  it('escapes the brand\'s name on every request page', async () => {
    const c = await enter(6);
    for (const p of [BASE, `${BASE}/erase`]) {
      const { html } = await c.get(p);
      expect(html).toContain(ESCAPED);
      expect(html).not.toContain(XSS);
    }
  });
});
