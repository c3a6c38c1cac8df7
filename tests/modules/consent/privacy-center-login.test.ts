/**
 * The privacy center's log-in by emailed code: the same answer whether or not the address is a customer's, a code only
 * to the address on record through the outbox and the mailer, limited tries, expiry, single use, CSRF and a per-IP
 * limit; a right code opens the same session as the signed link, and requests opened from it are verified by 'email-code'.
 */
import { LOGIN_LIMITS } from '../../../modules/consent/privacy-center/login-routes';
import { CODE_MAX_ATTEMPTS } from '../../../modules/consent/privacy-center/center-codes';
import { PanelClient } from '../../helpers/admin-browser';
import { SmtpSink } from '../../helpers/smtp-sink';
import { count, drainOutbox, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { rightsBrand, signUp } from '../rights/fixtures';

const XSS = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';
const sink = new SmtpSink();
let t: TestSuite;

beforeAll(async () => {
  await sink.start();
  t = await startTestSuite({ config: { smtpUrl: sink.url, mailFrom: 'privacy@test-hosting.example', outboxBaseDelayMs: 5, outboxMaxAttempts: 2 } });
  await rightsBrand(t.suite, 'pcl-shop', { branding: { name: `Shop ${XSS}` } });
  await rightsBrand(t.suite, 'pcl-limit');
  for (const n of [1, 2, 3, 4]) await signUp(t.suite, 'pcl-shop', n);
});
afterAll(async () => {
  await t?.close();
  await sink.stop();
});

const LOGIN = '/b/pcl-shop/privacy/login';

/** Asks for a code for `email` with a fresh browser; answers the browser and the response. */
async function askCode(email: string, slug = 'pcl-shop') {
  const c = new PanelClient(t.baseUrl);
  const page = await c.get(`/b/${slug}/privacy/login`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.html)![1];
  const res = await c.post(`/b/${slug}/privacy/login`, { _csrf: csrf, email });
  // The cookies this browser now holds (CSRF seed and the code ticket), for replaying a step by hand.
  const held = [...page.headers.getSetCookie(), ...res.headers.getSetCookie()].map((x) => x.split(';')[0]).join('; ');
  return { c, res, held, csrf };
}

/** The code in the latest email to `to`, without its space. */
async function codeFor(to: string): Promise<string> {
  await drainOutbox(t.suite);
  const mail = sink.to(to).at(-1);
  if (!mail) throw new Error(`no mail to ${to}`);
  return /(\d{4} \d{4})/.exec(mail.text)![1].replace(' ', '');
}

const wrongOf = (code: string) => String((Number(code) + 1) % 1e8).padStart(8, '0');

describe('privacy center log-in by emailed code', () => {
  it('WSM-20: a customer\'s address and an unknown one get the same answer; only the customer is sent a code, to the address on record', async () => {
    const codesBefore = await count(t.suite, 'consent_center_codes');
    const known = await askCode('ada.1@example.org');
    const unknown = await askCode('nobody@example.org');
    for (const r of [known.res, unknown.res]) {
      expect(r.status).toBe(303);
      expect(r.location).toBe('/b/pcl-shop/privacy/login/code');
    }
    const names = (h: Headers) => h.getSetCookie().map((c) => c.split('=')[0]).sort();
    expect(names(known.res.headers)).toEqual(names(unknown.res.headers));
    const strip = (html: string) => html.replace(/value="[^"]+"/g, '').replace(/nonce="[^"]+"/g, '');
    const [a, b] = [await known.c.get('/b/pcl-shop/privacy/login/code'), await unknown.c.get('/b/pcl-shop/privacy/login/code')];
    expect(a.status).toBe(200);
    expect(strip(a.html)).toBe(strip(b.html));
    expect(await count(t.suite, 'consent_center_codes')).toBe(codesBefore + 2);
    const queued = await t.suite.kernel.db('outbox').where({ topic: 'consent.center-code' });
    expect(queued).toHaveLength(1);
    await drainOutbox(t.suite);
    expect(sink.to('ada.1@example.org')).toHaveLength(1);
    expect(sink.to('nobody@example.org')).toHaveLength(0);
    // The table keeps hashes only: neither the code nor the ticket cookie is stored.
    const code = await codeFor('ada.1@example.org');
    const rows = JSON.stringify(await t.suite.kernel.db('consent_center_codes'));
    expect(rows).not.toContain(code);
    // An unknown address's ticket never opens anything, whatever code is tried.
    expect((await unknown.c.submit('/b/pcl-shop/privacy/login/code', '/b/pcl-shop/privacy/login/code', { code })).status).toBe(401);
  });

  it('MS-8d: the emailed code opens the center; a wrong code is refused first, a used code cannot be used again, and requests opened are verified by email-code', async () => {
    const { c, held, csrf } = await askCode('ada.2@example.org');
    const code = await codeFor('ada.2@example.org');
    const wrong = await c.submit('/b/pcl-shop/privacy/login/code', '/b/pcl-shop/privacy/login/code', { code: wrongOf(code) });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('This code is wrong or no longer valid.');
    expect((await c.get('/b/pcl-shop/privacy')).status).toBe(303);
    const ok = await c.submit('/b/pcl-shop/privacy/login/code', '/b/pcl-shop/privacy/login/code', { code: `${code.slice(0, 4)} ${code.slice(4)}` });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/b/pcl-shop/privacy');
    const center = await c.get('/b/pcl-shop/privacy');
    expect(center.status).toBe(200);
    expect(center.html).toContain('My consents');
    const session = await t.suite.kernel.db('consent_center_sessions').orderBy('created_at', 'desc').first();
    expect(session.method).toBe('email-code');
    // The same ticket and code a second time open nothing.
    const again = await fetch(`${t.baseUrl}/b/pcl-shop/privacy/login/code`, {
      method: 'POST', redirect: 'manual', headers: { cookie: held, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, code }).toString(),
    });
    expect(again.status).toBe(401);
    expect(again.headers.getSetCookie().join()).not.toContain('suite_privacy=');
    // A request opened from this session records how the person was verified.
    expect((await c.submit('/b/pcl-shop/privacy/requests', '/b/pcl-shop/privacy/requests/access', {})).status).toBe(303);
    const sid = (await t.suite.kernel.subjects.findByEmail([(await t.suite.kernel.brands.get('pcl-shop')).id], 'ada.2@example.org'))[0].id;
    expect(await t.suite.kernel.db('rights_requests').where({ subject_id: sid })).toEqual([expect.objectContaining({ type: 'access', verification_method: 'email-code' })]);
  });

  it(`a code dies after ${CODE_MAX_ATTEMPTS} wrong tries, even for the right code after them`, async () => {
    const { c } = await askCode('ada.3@example.org');
    const code = await codeFor('ada.3@example.org');
    for (let i = 0; i < CODE_MAX_ATTEMPTS; i++) expect((await c.submit('/b/pcl-shop/privacy/login/code', '/b/pcl-shop/privacy/login/code', { code: wrongOf(code) })).status).toBe(401);
    expect((await c.submit('/b/pcl-shop/privacy/login/code', '/b/pcl-shop/privacy/login/code', { code })).status).toBe(401);
    expect((await c.get('/b/pcl-shop/privacy')).status).toBe(303);
  });

  it('an expired code is refused', async () => {
    const { c } = await askCode('ada.4@example.org');
    const code = await codeFor('ada.4@example.org');
    await t.suite.kernel.db('consent_center_codes').where({ subject_id: (await t.suite.kernel.subjects.findByEmail([(await t.suite.kernel.brands.get('pcl-shop')).id], 'ada.4@example.org'))[0].id })
      .update({ expires_at: Date.now() - 1 });
    expect((await c.submit('/b/pcl-shop/privacy/login/code', '/b/pcl-shop/privacy/login/code', { code })).status).toBe(401);
    expect((await c.get('/b/pcl-shop/privacy')).status).toBe(303);
  });

  it('a malformed address names the field and writes nothing; a form without CSRF is 403 and writes nothing', async () => {
    const before = await count(t.suite, 'consent_center_codes');
    const bad = await askCode('not-an-address');
    expect(bad.res.status).toBe(400);
    expect(bad.res.html).toContain('id="pc-email-error"');
    expect(bad.res.html).toContain('aria-invalid="true"');
    const c = new PanelClient(t.baseUrl);
    await c.get(LOGIN);
    expect((await c.post(LOGIN, { email: 'ada.1@example.org' })).status).toBe(403);
    expect((await c.post(`${LOGIN}/code`, { code: '12345678' })).status).toBe(403);
    expect(await count(t.suite, 'consent_center_codes')).toBe(before);
  });

  it('code requests are rate-limited per IP and brand', async () => {
    const c = new PanelClient(t.baseUrl);
    const csrf = await c.csrf('/b/pcl-limit/privacy/login');
    const statuses: number[] = [];
    for (let i = 0; i <= LOGIN_LIMITS.request.max; i++) statuses.push((await c.post('/b/pcl-limit/privacy/login', { _csrf: csrf, email: `x${i}@example.org` })).status);
    expect(statuses.slice(0, LOGIN_LIMITS.request.max).every((s) => s === 303)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('the log-in pages escape the brand\'s name and read right to left in Arabic', async () => {
    const { c } = await askCode('nobody2@example.org');
    for (const p of [LOGIN, `${LOGIN}/code`]) {
      const { html } = await c.get(p);
      expect(html).toContain(ESCAPED);
      expect(html).not.toContain(XSS);
    }
    const ar = await c.get(`${LOGIN}?lang=ar`);
    expect(ar.html).toContain('<html lang="ar" dir="rtl">');
    expect(ar.html).toContain('تسجيل الدخول إلى مركز الخصوصية');
  });
});
