/** The customer's privacy center: signed single-sign-on entry, a database session per brand, consents with receipts, marketing choices through the consent service. */
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { ssoSignature } from '../../../modules/consent/privacy-center/sso-link';
import { clientAdd, consentBrand, consentService, ledgerOf, subjectOf, type TestBrand } from './marketing-fixtures';

let t: TestSuite;
let shop: TestBrand;
let other: TestBrand;

beforeAll(async () => {
  t = await startTestSuite();
  shop = await consentBrand(t.suite, 'pc-shop', { model: 'opt-out', channels: ['email', 'sms'] }, { branding: { name: 'Shop <b>&amp; "Co"</b>', primaryColor: '#114477' } });
  other = await consentBrand(t.suite, 'pc-other', { model: 'opt-out', channels: ['email'] });
  await clientAdd(t.baseUrl, shop, 1);
  await clientAdd(t.baseUrl, other, 1, { email: 'other1@example.org' });
});
afterAll(() => t.close());

let fresh = 0;
/** A signed link as the WHMCS connector builds it (each a different expiry, so each a different single-use signature). */
function ssoUrl(b: TestBrand, client: number | string, expS = Math.floor(Date.now() / 1000) + 100 + fresh++, secret = b.secret): string {
  const sig = ssoSignature(secret, b.slug, String(client), String(expS));
  return `${t.baseUrl}/b/${b.slug}/privacy/sso?client=${client}&exp=${expS}&sig=${sig}`;
}

/** Follows a link into the center: the session cookie, or the refusal's response. */
async function enter(url: string, headers: Record<string, string> = {}): Promise<{ res: Response; cookie?: string }> {
  const res = await fetch(url, { redirect: 'manual', headers });
  const set = res.headers.getSetCookie().find((c) => c.startsWith('suite_privacy='));
  return { res, cookie: set?.split(';')[0] };
}

/** The center page and the cookies needed to post its forms (session and CSRF seed). */
async function openCenter(b: TestBrand, cookie: string): Promise<{ html: string; cookies: string; csrf: string; status: number }> {
  const res = await fetch(`${t.baseUrl}/b/${b.slug}/privacy`, { headers: { cookie }, redirect: 'manual' });
  const html = await res.text();
  const seed = res.headers.getSetCookie().find((c) => c.startsWith('suite_csrf='))?.split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return { html, cookies: [cookie, seed].filter(Boolean).join('; '), csrf, status: res.status };
}

const counts = async () => ({
  sessions: Number(((await t.suite.kernel.db('consent_center_sessions').count({ n: '*' }).first()) as { n: number }).n),
  used: Number(((await t.suite.kernel.db('consent_center_sso_used').count({ n: '*' }).first()) as { n: number }).n),
  ledger: Number(((await t.suite.kernel.db('consent_ledger').count({ n: '*' }).first()) as { n: number }).n),
});

describe('privacy center', () => {
  it('a valid link opens a database session (HttpOnly, SameSite=Lax, scoped to the brand\'s center) and the page shows the consents with receipts', async () => {
    const { res, cookie } = await enter(ssoUrl(shop, 1));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/b/pc-shop/privacy');
    const set = res.headers.getSetCookie().find((c) => c.startsWith('suite_privacy='))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    expect(set).toMatch(/Path=\/b\/pc-shop\/privacy/);
    expect((await counts()).sessions).toBeGreaterThan(0);
    const page = await openCenter(shop, cookie!);
    expect(page.status).toBe(200);
    expect(page.html).toContain('My consents');
    expect(page.html).toContain('Offers by email');
    expect(page.html).toMatch(/href="\/b\/pc-shop\/consent\/receipts\/[^"?]+\?token(=|&#x3D;)/);
    expect(page.html).toContain('#114477');
    // The receipt link works for this person.
    const receiptHref = /href="(\/b\/pc-shop\/consent\/receipts\/[^"]+)"/.exec(page.html)![1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    expect((await fetch(`${t.baseUrl}${receiptHref}`)).status).toBe(200);
  });

  it('bad, expired, too long-lived and reused links are refused in the reader\'s language, and nothing is written but the failure\'s audit', async () => {
    const before = await counts();
    const bad = await enter(ssoUrl(shop, 1, undefined, 'not-the-secret'), { 'accept-language': 'de' });
    expect(bad.res.status).toBe(401);
    expect(await bad.res.text()).toContain('Dieser Link ist ungültig');
    const expired = await enter(ssoUrl(shop, 1, Math.floor(Date.now() / 1000) - 5));
    expect(expired.res.status).toBe(410);
    expect((await enter(ssoUrl(shop, 1, Math.floor(Date.now() / 1000) + 3600))).res.status).toBe(401);
    expect((await enter(`${t.baseUrl}/b/pc-shop/privacy/sso?client=1&exp=x&sig=zz`)).res.status).toBe(401);
    expect((await enter(ssoUrl(shop, 999))).res.status).toBe(401);
    // Another brand's secret does not open this brand's center.
    expect((await enter(ssoUrl(shop, 1, undefined, other.secret))).res.status).toBe(401);
    for (const r of [bad, expired]) expect(r.cookie).toBeUndefined();
    expect(await counts()).toEqual(before);
    const url = ssoUrl(shop, 1);
    // A link checker's HEAD does not spend the link.
    expect((await fetch(url, { method: 'HEAD', redirect: 'manual' })).status).toBe(204);
    expect(await counts()).toEqual(before);
    expect((await enter(url)).res.status).toBe(303);
    const mid = await counts();
    const reused = await enter(url, { 'accept-language': 'fr' });
    expect(reused.res.status).toBe(410);
    expect(await reused.res.text()).toContain('Ce lien a déjà été utilisé');
    expect(reused.cookie).toBeUndefined();
    expect(await counts()).toEqual(mid);
    const audits = await t.suite.kernel.db('audit_log').where({ action: 'auth.failed' }).select('target_id');
    expect(audits.map((a: { target_id: string }) => a.target_id)).toContain('/b/pc-shop/privacy/sso');
  });

  it('without a session the center shows nothing and sends the reader to the log-in, which explains how to get in', async () => {
    const res = await fetch(`${t.baseUrl}/b/pc-shop/privacy`, { headers: { 'accept-language': 'es' }, redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/b/pc-shop/privacy/login');
    expect(await res.text()).not.toContain('Grace');
    const login = await fetch(`${t.baseUrl}/b/pc-shop/privacy/login`, { headers: { 'accept-language': 'es' } });
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('Mi privacidad');
  });

  it('withdrawing marketing email by the form records it in the ledger with IP and user agent and suppresses the address', async () => {
    const sid = await subjectOf(t.suite, shop, 1);
    const svc = consentService(t.suite);
    expect(await svc.canSendMarketing(shop.slug, sid, 'email')).toBe(true);
    const { cookie } = await enter(ssoUrl(shop, 1));
    const page = await openCenter(shop, cookie!);
    const res = await fetch(`${t.baseUrl}/b/pc-shop/privacy/marketing`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: page.cookies, 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'PrivacyCenterTest/1.0' },
      body: new URLSearchParams({ _csrf: page.csrf, channel: 'email', choice: 'withdrawn' }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/b/pc-shop/privacy?saved=1');
    expect(await svc.canSendMarketing(shop.slug, sid, 'email')).toBe(false);
    const last = (await ledgerOf(t.suite, sid)).at(-1)!;
    expect(last).toMatchObject({ purpose: 'marketing:email', action: 'withdrawn', method: 'checkbox', collection_point: 'privacy-center', channel: 'web' });
    expect(await t.suite.kernel.keyring.decrypt(String(last.ua_enc))).toBe('PrivacyCenterTest/1.0');
    expect(await t.suite.kernel.keyring.decrypt(String(last.ip_enc))).toMatch(/127\.0\.0\.1|::1/);
    expect(await t.suite.kernel.db('consent_suppression').where({ brand_id: shop.id, address_hash: t.suite.kernel.keyring.blindIndex('grace1@example.org') })).toHaveLength(1);
    const after = await openCenter(shop, cookie!);
    expect(after.html).toContain('Receive offers by Email');
  });

  it('a form without its CSRF token is refused with 403 and changes nothing', async () => {
    const { cookie } = await enter(ssoUrl(shop, 1));
    const page = await openCenter(shop, cookie!);
    const before = await counts();
    for (const token of [undefined, 'forged']) {
      const body = new URLSearchParams({ channel: 'sms', choice: 'withdrawn', ...(token ? { _csrf: token } : {}) });
      const res = await fetch(`${t.baseUrl}/b/pc-shop/privacy/marketing`, {
        method: 'POST', redirect: 'manual', headers: { cookie: page.cookies, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString(),
      });
      expect(res.status).toBe(403);
    }
    expect((await counts()).ledger).toBe(before.ledger);
  });

  it('a session of one brand never shows or changes another brand\'s data', async () => {
    const { cookie } = await enter(ssoUrl(shop, 1));
    const mine = await openCenter(shop, cookie!);
    // The same cookie sent to the other brand's center is no session there.
    const theirs = await fetch(`${t.baseUrl}/b/pc-other/privacy`, { headers: { cookie: cookie! }, redirect: 'manual' });
    expect(theirs.status).toBe(303);
    const otherSid = await subjectOf(t.suite, other, 1);
    const before = (await ledgerOf(t.suite, otherSid)).length;
    const res = await fetch(`${t.baseUrl}/b/pc-other/privacy/marketing`, {
      method: 'POST', redirect: 'manual', headers: { cookie: mine.cookies, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: mine.csrf, channel: 'email', choice: 'withdrawn' }).toString(),
    });
    expect(res.status).toBe(401);
    expect(await ledgerOf(t.suite, otherSid)).toHaveLength(before);
    expect(await consentService(t.suite).canSendMarketing(other.slug, otherSid, 'email')).toBe(true);
  });

  it('a session ends for a person the inventory has erased', async () => {
    await clientAdd(t.baseUrl, shop, 2);
    const { cookie } = await enter(ssoUrl(shop, 2));
    expect((await openCenter(shop, cookie!)).status).toBe(200);
    await t.suite.kernel.db('subjects').where({ id: await subjectOf(t.suite, shop, 2) }).update({ status: 'erased' });
    expect((await openCenter(shop, cookie!)).status).toBe(303);
    expect((await enter(ssoUrl(shop, 2))).res.status).toBe(401);
  });

  it('signing out ends the session in the database and clears the cookie', async () => {
    const { cookie } = await enter(ssoUrl(shop, 1));
    const page = await openCenter(shop, cookie!);
    const res = await fetch(`${t.baseUrl}/b/pc-shop/privacy/logout`, {
      method: 'POST', headers: { cookie: page.cookies, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: page.csrf }).toString(),
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('You have signed out');
    expect(html).toContain('<a href="/b/pc-shop/privacy/login">Sign in to your privacy center</a>');
    expect(res.headers.getSetCookie().join('\n')).toMatch(/suite_privacy=;.*Path=\/b\/pc-shop\/privacy/);
    expect((await openCenter(shop, cookie!)).status).toBe(303);
  });

  it('escapes the brand\'s name and every value it shows', async () => {
    const { cookie } = await enter(ssoUrl(shop, 1));
    const page = await openCenter(shop, cookie!);
    expect(page.html).not.toContain('<b>&amp; "Co"</b>');
    expect(page.html).toContain('Shop &lt;b&gt;&amp;amp; &quot;Co&quot;&lt;/b&gt;');
  });

  it('the Arabic center reads right to left', async () => {
    const { cookie } = await enter(ssoUrl(shop, 1));
    const res = await fetch(`${t.baseUrl}/b/pc-shop/privacy?lang=ar`, { headers: { cookie: cookie! } });
    const html = await res.text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('موافقاتي');
  });
});
