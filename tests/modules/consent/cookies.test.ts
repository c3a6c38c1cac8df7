/** Cookie consent (MS-1): the embeddable banner and the endpoint that records each category choice in the consent ledger. */
import { startTestSuite, createBrand, count, PROVIDER_PROFILE, type TestSuite } from '../../helpers/test-suite';
import { consentChain } from '../../../modules/consent/ledger/consent-ledger';
import { createSignedLink } from '../../../core/links/signed-link';
import { COOKIE_SUBJECT_LINK } from '../../../modules/consent/cookies/cookie-choice';
import { runBanner } from './banner-dom';

let t: TestSuite;
const SHOP = 'https://shop.example';
const notice = { ...PROVIDER_PROFILE, cookies: { mode: 'notice-only', categories: ['necessary', 'analytics', 'marketing'] }, modules: { consent: { cookies: { allowedOrigins: [SHOP] } } } };
const optIn = { ...PROVIDER_PROFILE, languages: ['en', 'de', 'ar'], cookies: { mode: 'opt-in', categories: ['necessary', 'analytics', 'marketing', 'social'] }, modules: { consent: { cookies: { allowedOrigins: [SHOP], policyUrl: 'https://shop.example/cookies' } } } };

beforeAll(async () => {
  t = await startTestSuite();
  await createBrand(t.suite, 'notice', { profile: notice });
  await createBrand(t.suite, 'optin', { profile: optIn });
});
afterAll(() => t.close());

const scriptUrl = (brand: string): string => `${t.baseUrl}/b/${brand}/consent/cookie-banner.js`;
const script = async (brand: string): Promise<string> => (await fetch(scriptUrl(brand))).text();
const post = async (brand: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${t.baseUrl}/b/${brand}/consent/cookies`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'TestAgent/2.0', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
};
const ledgerOf = (brand: string) => t.suite.kernel.db('consent_ledger').join('brands', 'brands.id', 'consent_ledger.brand_id').where('brands.slug', brand).orderBy('seq').select('consent_ledger.*');
const versionOf = (src: string): string => /"bannerVersion":"([a-f0-9]+)"/.exec(src)![1];
let n = 0;
const vid = (): string => `visitor${String(++n).padStart(12, '0')}`;

describe('cookie banner script', () => {
  it('MS-1: the banner script is small plain JS, without eval, carrying the brand\'s categories, mode and strings', async () => {
    const res = await fetch(scriptUrl('optin'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    const src = await res.text();
    expect(Buffer.byteLength(src)).toBeLessThan(14 * 1024); // source + three languages of strings
    expect(Buffer.byteLength(src.slice(0, src.lastIndexOf('})(') + 3))).toBeLessThan(6 * 1024);
    expect(src).not.toMatch(/\beval\(|new Function|innerHTML|document\.write/);
    expect(src).toContain('"mode":"opt-in"');
    expect(src).toContain('"categories":["analytics","marketing","social"]');
    expect(src).toContain('Alle akzeptieren');
  });

  it('MS-1: the banner version is a stable hash of the banner config and strings', async () => {
    const a = versionOf(await script('notice'));
    expect(versionOf(await script('notice'))).toBe(a);
    expect(versionOf(await script('optin'))).not.toBe(a);
    await createBrand(t.suite, 'notice-2', { profile: { ...notice, cookies: { ...notice.cookies, categories: ['necessary', 'analytics'] } } });
    expect(versionOf(await script('notice-2'))).not.toBe(a);
  });

  it('MS-1: in notice-only mode the banner informs and the choice is still recorded server-side', async () => {
    const page = runBanner(await script('notice'), scriptUrl('notice'), { blocked: ['analytics'] });
    expect(page.window.PrivacySuiteConsent.get()).toMatchObject({ necessary: true, analytics: true, marketing: true, decided: false });
    expect(page.activeScripts()).toEqual(['analytics']); // nothing is blocked
    const banner = page.banner()!;
    expect(banner.all().filter((e) => e.tagName === 'BUTTON').map((b) => b.textContent)).toEqual(['OK']);
    expect(banner.all().find((e) => e.tagName === 'A')?.href).toContain('/b/notice/consent/documents/cookies');
    const visitor = page.cookies.get('ps_vid')!;
    expect(visitor).toMatch(/^[a-f0-9]{32}$/);
    page.button('ok').click();
    await page.settle();
    expect(page.banner()).toBeUndefined();
    const rows = await t.suite.kernel.db('consent_ledger').where({ subject_key: t.suite.kernel.keyring.blindIndex(`${(await t.suite.kernel.brands.get('notice')).id}:${visitor}`, 'consent-visitor') }).orderBy('seq');
    expect(rows.map((r) => [r.purpose, r.action, r.method, r.collection_point])).toEqual([
      ['cookies:analytics', 'given', 'implied', 'cookie-banner'],
      ['cookies:marketing', 'given', 'implied', 'cookie-banner'],
    ]);
    expect(rows[0].banner_version).toBe(page.window.PrivacySuiteConsent.version);
    expect(t.suite.kernel.keyring.decryptSync(rows[0].ua_enc)).toBe('FakeBrowser/1.0 (banner test)');
    expect(t.suite.kernel.keyring.decryptSync(rows[0].ip_enc)).toMatch(/127\.0\.0\.1/);
    const again = runBanner(await script('notice'), scriptUrl('notice'), { cookies: Object.fromEntries(page.cookies) });
    expect(again.banner()).toBeUndefined(); // the choice is remembered
  });

  it('MS-1: in opt-in mode nothing but necessary cookies is allowed until the visitor chooses', async () => {
    const page = runBanner(await script('optin'), scriptUrl('optin'), { blocked: ['analytics', 'marketing', 'social'] });
    expect(page.window.PrivacySuiteConsent.get()).toMatchObject({ necessary: true, analytics: false, marketing: false, social: false, decided: false });
    expect(page.activeScripts()).toEqual([]);
    expect([...page.cookies.keys()]).toEqual(['ps_vid']);
    const visitor = page.cookies.get('ps_vid')!;
    const before = (await (await fetch(`${t.baseUrl}/b/optin/consent/cookies?visitorId=${visitor}`)).json()) as Record<string, unknown>;
    expect(before).toMatchObject({ decided: false, categories: { necessary: true, analytics: false, marketing: false, social: false } });

    page.checkbox('analytics').checked = true;
    page.button('save').click();
    await page.settle();
    expect(page.activeScripts()).toEqual(['analytics']);
    expect(page.events.find((e) => e.type === 'privacysuite:consent')?.detail).toMatchObject({ analytics: true, marketing: false, social: false, decided: true });
    const after = (await (await fetch(`${t.baseUrl}/b/optin/consent/cookies?visitorId=${visitor}`)).json()) as Record<string, unknown>;
    expect(after).toMatchObject({ decided: true, mode: 'opt-in', categories: { necessary: true, analytics: true, marketing: false, social: false } });
    const rows = (await ledgerOf('optin')).filter((r) => r.collection_point === 'cookie-banner').slice(-3);
    expect(rows.map((r) => [r.purpose, r.action, r.method])).toEqual([
      ['cookies:analytics', 'given', 'banner'], ['cookies:marketing', 'rejected', 'banner'], ['cookies:social', 'rejected', 'banner'],
    ]);
  });

  it('MS-1: the banner speaks the page\'s language, right to left for Arabic, and links the brand\'s cookie policy', async () => {
    const src = await script('optin');
    const de = runBanner(src, scriptUrl('optin'), { lang: 'de-DE' });
    expect(de.button('accept').textContent).toBe('Alle akzeptieren');
    const ar = runBanner(src, scriptUrl('optin'), { lang: 'ar' });
    expect(ar.banner()!.dir).toBe('rtl');
    expect(ar.button('reject').textContent).toBe('رفض الكل');
    expect(ar.banner()!.all().find((e) => e.tagName === 'A')?.href).toBe('https://shop.example/cookies');
    const fr = runBanner(src, scriptUrl('optin'), { lang: 'fr' }); // not a brand language: the brand's default
    expect(fr.button('accept').textContent).toBe('Accept all');
  });
});

describe('cookie endpoint', () => {
  it('MS-1: each category choice is recorded with the banner version shown, the IP and the user agent', async () => {
    const v = vid();
    const res = await post('optin', { visitorId: v, choices: { analytics: true, marketing: true, social: false }, bannerVersion: 'abcdef0123456789' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, visitorId: v, decided: true, categories: { analytics: true, marketing: true, social: false } });
    expect((res.body.receipts as string[]).length).toBe(3);
    const rows = (await ledgerOf('optin')).slice(-3);
    expect(rows.map((r) => r.banner_version)).toEqual(['abcdef0123456789', 'abcdef0123456789', 'abcdef0123456789']);
    expect(rows.every((r) => r.subject_id === null && r.channel === 'web')).toBe(true);
    expect(t.suite.kernel.keyring.decryptSync(rows[2].ua_enc)).toBe('TestAgent/2.0');
    expect((await consentChain.verify(t.suite.kernel.db)).ok).toBe(true);
  });

  it('MS-1: the same choice again adds nothing; a changed choice is recorded as a withdrawal', async () => {
    const v = vid();
    const body = { visitorId: v, choices: { analytics: true, marketing: false, social: false }, bannerVersion: 'abcdef0123456789' };
    await post('optin', body);
    const n0 = await count(t.suite, 'consent_ledger');
    expect((await post('optin', body)).body.receipts).toEqual([]);
    expect(await count(t.suite, 'consent_ledger')).toBe(n0);
    const changed = await post('optin', { ...body, choices: { analytics: false, marketing: false, social: false } });
    expect(changed.body.categories).toMatchObject({ analytics: false });
    const last = (await ledgerOf('optin')).at(-1)!;
    expect([last.purpose, last.action]).toEqual(['cookies:analytics', 'withdrawn']);
  });

  it('MS-1: categories the brand does not offer are not recorded', async () => {
    const res = await post('notice', { visitorId: vid(), choices: { analytics: true, marketing: false, social: true }, bannerVersion: 'abcdef0123456789' });
    expect((res.body.receipts as string[]).length).toBe(2);
    expect((await ledgerOf('notice')).slice(-2).map((r) => r.purpose)).toEqual(['cookies:analytics', 'cookies:marketing']);
    expect(res.body.categories).toMatchObject({ social: false });
  });

  it('MS-1: a bad body answers 400 naming the field, and nothing is written', async () => {
    const n0 = await count(t.suite, 'consent_ledger');
    const bad = await post('optin', { visitorId: vid(), choices: { analytics: 'yes', marketing: false, social: false }, bannerVersion: 'abcdef0123456789' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('SUITE_VALIDATION_FAILED');
    expect(bad.body.fields).toEqual([expect.objectContaining({ field: 'choices.analytics' })]);
    expect((await post('optin', { choices: { analytics: true, marketing: true, social: true }, bannerVersion: 'abcdef0123456789' })).body.fields).toEqual([expect.objectContaining({ field: 'visitorId' })]);
    const text = await fetch(`${t.baseUrl}/b/optin/consent/cookies`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(text.status).toBe(400);
    expect((await fetch(`${t.baseUrl}/b/optin/consent/cookies?visitorId=x`)).status).toBe(400);
    expect(await count(t.suite, 'consent_ledger')).toBe(n0);
  });

  it('MS-1: only origins in cookies.allowedOrigins get CORS headers, never a wildcard or credentials', async () => {
    const pre = await fetch(`${t.baseUrl}/b/optin/consent/cookies`, { method: 'OPTIONS', headers: { origin: SHOP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await fetch(`${t.baseUrl}/b/optin/consent/cookies`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const res = await post('optin', { visitorId: vid(), choices: { analytics: true, marketing: true, social: true }, bannerVersion: 'abcdef0123456789' }, { origin: SHOP });
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(res.headers.get('vary')).toMatch(/Origin/);
  });

  it('MS-1: a subject token ties the choice to the known customer; a forged or foreign token is refused', async () => {
    const brand = await t.suite.kernel.brands.get('optin');
    const { id } = await t.suite.kernel.db.transaction((trx) => t.suite.kernel.subjects.upsert(trx, { brandId: brand.id, kind: 'client', externalId: 7, fields: { email: 'ada@example.org' } }));
    const token = createSignedLink(t.suite.kernel, { brandId: brand.id, subjectId: id, purpose: COOKIE_SUBJECT_LINK, expiresAt: Date.now() + 60_000 });
    const res = await post('optin', { visitorId: vid(), choices: { analytics: true, marketing: false, social: false }, bannerVersion: 'abcdef0123456789', subjectToken: token });
    expect(res.status).toBe(200);
    expect((await ledgerOf('optin')).slice(-3).every((r) => Number(r.subject_id) === id)).toBe(true);
    const forged = await post('optin', { visitorId: vid(), choices: { analytics: true, marketing: false, social: false }, bannerVersion: 'abcdef0123456789', subjectToken: `${token.slice(0, -2)}xx` });
    expect(forged.status).toBe(400);
    expect(forged.body.fields).toEqual([expect.objectContaining({ field: 'subjectToken' })]);
    const foreign = await post('notice', { visitorId: vid(), choices: { analytics: true, marketing: false, social: false }, bannerVersion: 'abcdef0123456789', subjectToken: token });
    expect(foreign.status).toBe(400);
  });

  it('MS-1: the routes answer 404 where the consent module is switched off for the brand', async () => {
    await t.suite.kernel.brands.setEnabled('notice-2', 'module', 'consent', false, { type: 'cli', id: 'test' });
    expect((await fetch(scriptUrl('notice-2'))).status).toBe(404);
  });
});
