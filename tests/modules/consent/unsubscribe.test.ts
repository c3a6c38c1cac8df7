/** One-click unsubscribe without login (WSM-19, RFC 8058): the page, the one-click POST, the headers, and invalid links. */
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { unsubscribeHeaders } from '../../../modules/consent/marketing/unsubscribe';
import { createSignedLink } from '../../../core/links/signed-link';
import { clientAdd, consentBrand, consentService, ledgerOf, subjectOf, type TestBrand } from './marketing-fixtures';

let t: TestSuite;
let shop: TestBrand;
let other: TestBrand;

const oneClick = (url: string, body = 'List-Unsubscribe=One-Click') =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

beforeAll(async () => {
  t = await startTestSuite();
  shop = await consentBrand(t.suite, 'unsub-shop', { model: 'opt-out', channels: ['email', 'sms'] }, { modules: { consent: { publicUrl: 'https://privacy.unsub-shop.example/' } } });
  other = await consentBrand(t.suite, 'unsub-other', { model: 'opt-out' });
});
afterAll(() => t.close());

/** The header URL rewritten to the test server. */
function local(headerValue: string): string {
  const u = new URL(headerValue.slice(1, -1));
  return `${t.baseUrl}${u.pathname}${u.search}`;
}

describe('one-click unsubscribe', () => {
  it('WSM-19: on an opt-out brand a new client is subscribed by default and one click unsubscribes', async () => {
    await clientAdd(t.baseUrl, shop, 1);
    const sid = await subjectOf(t.suite, shop, 1);
    const svc = consentService(t.suite);
    expect(await svc.canSendMarketing(shop.slug, sid, 'email')).toBe(true);
    const headers = await unsubscribeHeaders(t.suite.kernel, await t.suite.kernel.brands.get(shop.slug), sid, 'email');
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(headers['List-Unsubscribe']).toMatch(/^<https:\/\/privacy\.unsub-shop\.example\/b\/unsub-shop\/consent\/unsubscribe\?token=[^>]+>$/);
    // RFC 8058: the mail client POSTs the body to the URL, no cookie, no login, no CSRF token.
    const res = await oneClick(local(headers['List-Unsubscribe']));
    expect(res.status).toBe(200);
    expect(await svc.canSendMarketing(shop.slug, sid, 'email')).toBe(false);
    const last = (await ledgerOf(t.suite, sid)).at(-1)!;
    expect(last).toMatchObject({ purpose: 'marketing:email', action: 'withdrawn', method: 'link', collection_point: 'unsubscribe', channel: 'email' });
    expect(await t.suite.kernel.db('consent_suppression').where({ brand_id: shop.id, address_hash: t.suite.kernel.keyring.blindIndex('grace1@example.org'), reason: 'unsubscribe' })).toHaveLength(1);
    // A second click changes nothing.
    const before = (await ledgerOf(t.suite, sid)).length;
    expect((await oneClick(local(headers['List-Unsubscribe']))).status).toBe(200);
    expect(await ledgerOf(t.suite, sid)).toHaveLength(before);
  });

  it('WSM-19: the link opens a small confirmation page in the person\'s language that changes nothing until submitted', async () => {
    await clientAdd(t.baseUrl, shop, 2);
    const sid = await subjectOf(t.suite, shop, 2);
    const url = local((await consentService(t.suite).unsubscribeHeaders(shop.slug, sid, 'sms'))['List-Unsubscribe']);
    const page = await fetch(url, { headers: { 'accept-language': 'de-DE,de;q=0.9' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('Keine Werbe-SMS mehr von uns erhalten?');
    expect(html).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(html).toMatch(/<form method="post" action="unsubscribe\?token(=|&#x3D;)/);
    expect(await consentService(t.suite).canSendMarketing(shop.slug, sid, 'sms')).toBe(true);
    const done = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'de' }, body: 'List-Unsubscribe=One-Click' });
    expect(await done.text()).toContain('Sie erhalten keine Werbe-SMS mehr von uns.');
    expect(await consentService(t.suite).canSendMarketing(shop.slug, sid, 'sms')).toBe(false);
    expect(await consentService(t.suite).canSendMarketing(shop.slug, sid, 'email')).toBe(true);
  });

  it('WSM-19: a forged, tampered, expired or other-brand link is refused and records nothing', async () => {
    await clientAdd(t.baseUrl, shop, 3);
    const sid = await subjectOf(t.suite, shop, 3);
    const brand = await t.suite.kernel.brands.get(shop.slug);
    const good = (await unsubscribeHeaders(t.suite.kernel, brand, sid))['List-Unsubscribe'];
    const token = new URL(good.slice(1, -1)).searchParams.get('token')!;
    const expired = createSignedLink(t.suite.kernel, { brandId: brand.id, subjectId: sid, purpose: 'unsubscribe:email', expiresAt: Date.now() - 1000 });
    const wrongPurpose = createSignedLink(t.suite.kernel, { brandId: brand.id, subjectId: sid, purpose: 'receipt', expiresAt: Date.now() + 60_000 });
    const tampered = token.replace(/^./, (c) => (c === 'e' ? 'f' : 'e'));
    for (const bad of ['nonsense', tampered, expired, wrongPurpose]) {
      const res = await oneClick(`${t.baseUrl}/b/${shop.slug}/consent/unsubscribe?token=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(401);
    }
    const cross = await oneClick(`${t.baseUrl}/b/${other.slug}/consent/unsubscribe?token=${encodeURIComponent(token)}`);
    expect(cross.status).toBe(401);
    expect(await ledgerOf(t.suite, sid)).toHaveLength(2);
    expect(await consentService(t.suite).canSendMarketing(shop.slug, sid, 'email')).toBe(true);
  });
});
