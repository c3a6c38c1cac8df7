/** Global Privacy Control (WSM-11): Sec-GPC: 1 is recorded once as an opt-out of sale/sharing, refuses marketing cookies, and /.well-known/gpc.json declares support. */
import { startTestSuite, createBrand, PROVIDER_PROFILE, type TestSuite } from '../../helpers/test-suite';
import { consentChain, subjectKey } from '../../../modules/consent/ledger/consent-ledger';
import { GPC_LAST_UPDATE } from '../../../modules/consent/gpc/gpc-routes';
import { createSignedLink } from '../../../core/links/signed-link';
import { runBanner } from './banner-dom';

let t: TestSuite;
const profile = { ...PROVIDER_PROFILE, cookies: { mode: 'opt-in', categories: ['necessary', 'analytics', 'marketing', 'social'] } };

beforeAll(async () => {
  t = await startTestSuite();
  await createBrand(t.suite, 'gpc-brand', { profile });
  await createBrand(t.suite, 'no-gpc', { profile: { ...profile, cookies: { ...profile.cookies, honourGpc: false } } });
});
afterAll(() => t.close());

let n = 0;
const vid = (): string => `gpcvisitor${String(++n).padStart(8, '0')}`;
const choice = (visitorId: string, marketing = true) => ({ visitorId, choices: { analytics: true, marketing, social: true }, bannerVersion: 'abcdef0123456789' });
const post = async (brand: string, body: unknown, gpc = true) => {
  const res = await fetch(`${t.baseUrl}/b/${brand}/consent/cookies`, { method: 'POST', headers: { 'content-type': 'application/json', ...(gpc ? { 'sec-gpc': '1' } : {}) }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const rowsOf = async (brand: string, visitorId: string) => {
  const b = await t.suite.kernel.brands.get(brand);
  return t.suite.kernel.db('consent_ledger').where({ brand_id: b.id, subject_key: subjectKey(t.suite.kernel, b.id, { subjectId: null, visitorId }) }).orderBy('seq');
};

describe('Global Privacy Control', () => {
  it('WSM-11: a Sec-GPC: 1 request is recorded as an opt-out of sale/sharing with method gpc', async () => {
    const v = vid();
    const res = await post('gpc-brand', choice(v));
    expect(res.status).toBe(200);
    expect(res.body.saleSharing).toBe('withdrawn');
    const gpc = (await rowsOf('gpc-brand', v)).filter((r) => r.purpose === 'sale-sharing');
    expect(gpc).toHaveLength(1);
    expect(gpc[0]).toMatchObject({ action: 'withdrawn', method: 'gpc', collection_point: 'cookie-banner', channel: 'web' });
    expect(gpc[0].ip_enc).not.toBeNull();
    expect((await consentChain.verify(t.suite.kernel.db)).ok).toBe(true);
  });

  it('WSM-11: with GPC, marketing cookies are refused for that visitor whatever the body says', async () => {
    const v = vid();
    const res = await post('gpc-brand', choice(v, true));
    expect(res.body.categories).toMatchObject({ analytics: true, marketing: false, social: true });
    const marketing = (await rowsOf('gpc-brand', v)).filter((r) => r.purpose === 'cookies:marketing');
    expect(marketing.map((r) => r.action)).toEqual(['rejected']);
  });

  it('WSM-11: repeated GPC signals from one visitor do not add ledger entries', async () => {
    const v = vid();
    await post('gpc-brand', choice(v));
    const n0 = (await rowsOf('gpc-brand', v)).length;
    await post('gpc-brand', choice(v));
    const again = await fetch(`${t.baseUrl}/b/gpc-brand/consent/cookies?visitorId=${v}`, { headers: { 'sec-gpc': '1' } });
    expect(((await again.json()) as Record<string, unknown>).receipts).toEqual([]);
    expect((await rowsOf('gpc-brand', v)).length).toBe(n0);
    expect((await rowsOf('gpc-brand', v)).filter((r) => r.method === 'gpc')).toHaveLength(1);
  });

  it('WSM-11: reading a visitor\'s state with Sec-GPC: 1 records the opt-out too', async () => {
    const v = vid();
    const res = await fetch(`${t.baseUrl}/b/gpc-brand/consent/cookies?visitorId=${v}`, { headers: { 'sec-gpc': '1' } });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ saleSharing: 'withdrawn', categories: { marketing: false } });
    expect((await rowsOf('gpc-brand', v)).map((r) => [r.purpose, r.method])).toEqual([['sale-sharing', 'gpc']]);
  });

  it('WSM-11: without the header nothing about sale/sharing is recorded', async () => {
    const v = vid();
    const res = await post('gpc-brand', choice(v), false);
    expect(res.body.saleSharing).toBeNull();
    expect((await rowsOf('gpc-brand', v)).some((r) => r.purpose === 'sale-sharing')).toBe(false);
  });

  it('WSM-11: a brand whose profile turns honourGpc off records nothing from the signal', async () => {
    const v = vid();
    const res = await post('no-gpc', choice(v));
    expect(res.body.categories).toMatchObject({ marketing: true });
    expect((await rowsOf('no-gpc', v)).some((r) => r.method === 'gpc')).toBe(false);
  });

  it('WSM-11: the banner under GPC keeps marketing off and says why', async () => {
    const src = await (await fetch(`${t.baseUrl}/b/gpc-brand/consent/cookie-banner.js`)).text();
    const page = runBanner(src, `${t.baseUrl}/b/gpc-brand/consent/cookie-banner.js`, { gpc: true, blocked: ['marketing'] });
    expect(page.checkbox('marketing').disabled).toBe(true);
    expect(page.banner()!.innerText()).toContain('Global Privacy Control');
    page.button('accept').click();
    await page.settle();
    expect(page.window.PrivacySuiteConsent.get()).toMatchObject({ analytics: true, marketing: false, social: true, gpc: true });
    expect(page.activeScripts()).toEqual([]);
    expect(page.posts[0].body.choices).toEqual({ analytics: true, marketing: false, social: true });
    const visitor = page.cookies.get('ps_vid')!;
    expect((await rowsOf('gpc-brand', visitor)).map((r) => `${r.purpose}:${r.action}:${r.method}`)).toEqual([
      'sale-sharing:withdrawn:gpc', 'cookies:analytics:given:banner', 'cookies:marketing:rejected:banner', 'cookies:social:given:banner',
    ]);
  });

  it('WSM-11: any consent client route opened with a signed link and Sec-GPC: 1 records the opt-out for that customer, once', async () => {
    const k = t.suite.kernel;
    const brand = await k.brands.get('gpc-brand');
    const { id } = await k.db.transaction((trx) => k.subjects.upsert(trx, { brandId: brand.id, kind: 'client', externalId: 42, fields: { email: 'grace@example.org' } }));
    const token = createSignedLink(k, { brandId: brand.id, subjectId: id, purpose: 'receipt', expiresAt: Date.now() + 60_000 });
    const url = `${t.baseUrl}/b/gpc-brand/consent/receipt-key?token=${encodeURIComponent(token)}`;
    expect((await fetch(url)).status).toBe(200);
    expect(await k.db('consent_ledger').where({ subject_id: id })).toEqual([]); // no signal, nothing recorded
    expect((await fetch(url, { headers: { 'sec-gpc': '1' } })).status).toBe(200);
    await fetch(url, { headers: { 'sec-gpc': '1' } });
    const rows = await k.db('consent_ledger').where({ subject_id: id });
    expect(rows.map((r) => [r.purpose, r.action, r.method, r.collection_point])).toEqual([['sale-sharing', 'withdrawn', 'gpc', 'privacy-center']]);
    const other = (await k.db.transaction((trx) => k.subjects.upsert(trx, { brandId: brand.id, kind: 'client', externalId: 43, fields: {} }))).id;
    const forged = createSignedLink(k, { brandId: brand.id, subjectId: other, purpose: 'receipt', expiresAt: Date.now() + 60_000 }).slice(0, -3) + 'abc';
    expect((await fetch(`${t.baseUrl}/b/gpc-brand/consent/receipt-key?token=${encodeURIComponent(forged)}`, { headers: { 'sec-gpc': '1' } })).status).toBe(200);
    expect(await k.db('consent_ledger').where({ subject_id: other })).toEqual([]); // a forged link records nothing
  });

  it('WSM-11: /.well-known/gpc.json declares support', async () => {
    const res = await fetch(`${t.baseUrl}/.well-known/gpc.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ gpc: true, lastUpdate: GPC_LAST_UPDATE });
    expect(String(body.lastUpdate)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Number.isNaN(Date.parse(String(body.lastUpdate)))).toBe(false);
  });
});
