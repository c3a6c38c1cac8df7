/**
 * The privacy center's consent forms: cookie settings (one ledger event per category that changed, as the person's
 * own choice from the center) and withdrawing a consent in force (exactly one ledger event; processing opens the
 * service-suspension step). Bad input names the field and writes nothing; every form needs the session's CSRF token.
 */
import { PanelClient } from '../../helpers/admin-browser';
import { count, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { rightsBrand, signUp } from '../rights/fixtures';
import { centerClient } from '../rights/privacy-center-fixtures';
import { consentService } from './marketing-fixtures';

const XSS = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';
let t: TestSuite;
let secret: string;
const clients: Record<number, { clientId: number; subjectId: number }> = {};

beforeAll(async () => {
  t = await startTestSuite();
  secret = await rightsBrand(t.suite, 'pcc-shop', { branding: { name: `Shop ${XSS}` }, cookies: { mode: 'opt-in', categories: ['necessary', 'analytics', 'marketing'] } });
  for (const n of [1, 2, 3]) clients[n] = await signUp(t.suite, 'pcc-shop', n);
});
afterAll(() => t?.close());

const CENTER = '/b/pcc-shop/privacy';
const ledger = (subjectId: number) => t.suite.kernel.db('consent_ledger').where({ subject_id: subjectId }).orderBy('seq');
const enter = (n: number) => centerClient(t.baseUrl, 'pcc-shop', secret, clients[n].clientId);

describe('privacy center: cookie settings and withdrawal', () => {
  it('MS-1: cookie settings show the brand\'s categories and record one event per changed category, nothing when unchanged', async () => {
    const c = await enter(1);
    const sid = clients[1].subjectId;
    const page = await c.get(CENTER);
    expect(page.html).toContain('id="pc-cookie-analytics" name="analytics" value="on">');
    expect(page.html).toContain('id="pc-cookie-marketing"');
    expect(page.html).not.toContain('id="pc-cookie-social"');
    const before = (await ledger(sid)).length;
    const res = await c.submit(CENTER, `${CENTER}/cookies`, { analytics: 'on' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${CENTER}?saved=cookies`);
    const added = (await ledger(sid)).slice(before);
    expect(added).toEqual([expect.objectContaining({ purpose: 'cookies:analytics', action: 'given', method: 'checkbox', collection_point: 'privacy-center', channel: 'web' })]);
    const after = await c.get(`${CENTER}?saved=cookies`);
    expect(after.html).toContain('id="pc-cookie-analytics" name="analytics" value="on" checked>');
    expect(after.html).toContain('Your cookie settings have been saved.');
    // The same choice again writes nothing; switching analytics off is one withdrawal.
    await c.submit(CENTER, `${CENTER}/cookies`, { analytics: 'on' });
    expect((await ledger(sid)).length).toBe(before + 1);
    await c.submit(CENTER, `${CENTER}/cookies`, {});
    expect((await ledger(sid)).slice(before + 1)).toEqual([expect.objectContaining({ purpose: 'cookies:analytics', action: 'withdrawn' })]);
  });

  it('SP-6.1: a consent in force is withdrawn by its button with exactly one ledger event; withdrawing processing opens the suspension step', async () => {
    const c = await enter(2);
    const sid = clients[2].subjectId;
    await c.submit(CENTER, `${CENTER}/cookies`, { marketing: 'on' });
    const page = await c.get(CENTER);
    expect(page.html).toMatch(/<li data-purpose="cookies:marketing">[\s\S]*?name="purpose" value="cookies:marketing"/);
    const before = (await ledger(sid)).length;
    const res = await c.submit(CENTER, `${CENTER}/withdraw`, { purpose: 'cookies:marketing' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${CENTER}?saved=withdrawn`);
    expect((await ledger(sid)).slice(before)).toEqual([expect.objectContaining({ purpose: 'cookies:marketing', action: 'withdrawn', collection_point: 'privacy-center' })]);
    // Processing consent: recorded as given, then withdrawn from the center.
    const brand = await t.suite.kernel.brands.get('pcc-shop');
    await t.suite.kernel.db.transaction(async (trx) => consentService(t.suite).recordEvent(trx, await t.suite.kernel.brands.profile(brand), {
      brandId: brand.id, subjectId: sid, purpose: 'processing', action: 'given', method: 'checkbox', channel: 'web', collectionPoint: 'registration',
    }));
    const mid = (await ledger(sid)).length;
    expect((await c.submit(CENTER, `${CENTER}/withdraw`, { purpose: 'processing' })).status).toBe(303);
    expect((await ledger(sid)).slice(mid)).toEqual([expect.objectContaining({ purpose: 'processing', action: 'withdrawn' })]);
    expect(await t.suite.kernel.db('consent_withdrawals').where({ subject_id: sid, status: 'open' })).toHaveLength(1);
  });

  it('withdrawing what is not in force, or a policy accepted for the contract, names the field and writes nothing', async () => {
    const c = await enter(3);
    const sid = clients[3].subjectId;
    const before = (await ledger(sid)).length;
    for (const purpose of ['cookies:social', 'terms', 'nonsense']) {
      const res = await c.submit(CENTER, `${CENTER}/withdraw`, { purpose });
      expect(res.status).toBe(400);
      expect(res.html).toContain('<code>purpose</code>');
    }
    const bad = await c.submit(CENTER, `${CENTER}/cookies`, { analytics: 'yes-please' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('<code>analytics</code>');
    expect((await ledger(sid)).length).toBe(before);
  });

  it('the forms need the session\'s CSRF token (403, nothing written) and a session (401)', async () => {
    const c = await enter(3);
    const before = await count(t.suite, 'consent_ledger');
    expect((await c.post(`${CENTER}/cookies`, { analytics: 'on' })).status).toBe(403);
    expect((await c.post(`${CENTER}/withdraw`, { purpose: 'cookies:analytics' })).status).toBe(403);
    const anon = new PanelClient(t.baseUrl);
    const csrf = await anon.csrf(`${CENTER}/login`);
    expect((await anon.post(`${CENTER}/cookies`, { _csrf: csrf, analytics: 'on' })).status).toBe(401);
    expect(await count(t.suite, 'consent_ledger')).toBe(before);
  });

  it('the center links to my requests only while the rights module is on for the brand', async () => {
    const c = await enter(1);
    expect((await c.get(CENTER)).html).toContain('href="/b/pcc-shop/privacy/requests"');
    await t.suite.kernel.brands.setEnabled('pcc-shop', 'module', 'rights', false, { type: 'cli', id: 'test' });
    try {
      expect((await c.get(CENTER)).html).not.toContain('/privacy/requests');
      const before = await count(t.suite, 'rights_requests');
      expect((await c.get(`${CENTER}/requests`)).status).toBe(404);
      expect((await c.submit(CENTER, `${CENTER}/requests/access`, {})).status).toBe(404);
      expect(await count(t.suite, 'rights_requests')).toBe(before);
    } finally {
      await t.suite.kernel.brands.setEnabled('pcc-shop', 'module', 'rights', true, { type: 'cli', id: 'test' });
    }
  });

  it('the center and its refusal pages escape the brand\'s name', async () => {
    const c = await enter(3);
    const pages = [await c.get(CENTER), await c.submit(CENTER, `${CENTER}/withdraw`, { purpose: 'terms' }), await new PanelClient(t.baseUrl).get(`${CENTER}/sso?client=1&exp=1&sig=${'0'.repeat(64)}`)];
    for (const p of pages) {
      expect(p.html).toContain(ESCAPED);
      expect(p.html).not.toContain(XSS);
    }
  });
});
