/** The published policy page /b/:brand/policy: the demo brands publish theirs; versions are archived and linkable (MS-11, WSM-24). */
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { runDemo } from '../../../scripts/demo';
import { readProfile } from '../../../scripts/demo/demo-brands';

const actor = { type: 'cli' as const, id: 'test' };
const SLUGS = ['masterserver', 'websoftmaster', 'websoftmaster-reseller', 'server-pro', 'tos-provider', 'email-server-management'];
let t: TestSuite;
let adminKey: string;

async function page(path: string, headers: Record<string, string> = {}): Promise<{ status: number; html: string; type: string }> {
  const res = await fetch(`${t.baseUrl}${path}`, { headers });
  return { status: res.status, html: await res.text(), type: res.headers.get('content-type') ?? '' };
}
async function publish(slug: string): Promise<{ status: number; body: { languages: { language: string; unchanged: boolean; published: { version: string; material: boolean; effectiveAt: number } | null }[] } }> {
  const res = await fetch(`${t.baseUrl}/api/v1/admin/brands/${slug}/modules/consent/policy/publish`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, body: '{}' });
  return { status: res.status, body: (await res.json()) as never };
}
/** The text of a section of the page, tags removed. */
function section(html: string, id: string): string {
  const m = new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`).exec(html);
  return (m?.[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

beforeAll(async () => {
  t = await startTestSuite();
  adminKey = (await t.suite.apiKeys.create({ role: 'owner' }, actor)).key;
  await runDemo(t.suite, { customersPerBrand: 0, onProgress: () => undefined });
}, 60_000);
afterAll(() => t.close());

describe('published policy page', () => {
  it.each(SLUGS)('%s publishes version 1 showing its controller and retention table', async (slug) => {
    const r = await page(`/b/${slug}/policy`);
    expect(r.status).toBe(200);
    expect(r.type).toContain('text/html');
    const controller = (readProfile(slug)!.controller as { name: string }).name;
    expect(section(r.html, 'controller')).toContain(controller.replace(/&/g, '&amp;'));
    expect(r.html).toContain('Version 1');
    expect(section(r.html, 'retention')).toMatch(/days after/);
  });

  it('MS-8c: MasterServer says 3 business days; Arabic reads right to left and is translated', async () => {
    expect(section((await page('/b/masterserver/policy')).html, 'rights')).toContain('within 3 business days');
    const ar = await page('/b/masterserver/policy?lang=ar');
    expect(ar.html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(ar.html).toContain('سياسة الخصوصية');
  });

  it('the language follows ?lang=, else Accept-Language, else the brand locale', async () => {
    expect((await page('/b/server-pro/policy', { 'accept-language': 'de-DE,de;q=0.9' })).html).toContain('Datenschutzerklärung');
    expect((await page('/b/server-pro/policy?lang=fr', { 'accept-language': 'de' })).html).toContain('Politique de confidentialité');
    expect((await page('/b/server-pro/policy')).html).toContain('<html lang="en"');
  });

  it('WSM-22 / ESM-3: the page states the minimum age and who reads mail content', async () => {
    expect(section((await page('/b/websoftmaster/policy')).html, 'children')).toContain('under 13');
    expect(section((await page('/b/email-server-management/policy')).html, 'collected')).toMatch(/Mail content .*spam control staff/);
  });

  it('republishing an unchanged profile publishes nothing', async () => {
    const r = await publish('server-pro');
    expect(r.status).toBe(200);
    expect(r.body.languages.every((l) => l.unchanged)).toBe(true);
  });

  it('MS-11: with notice period 0 a changed profile is a new version in force at once; the old one stays linkable', async () => {
    const file = readProfile('masterserver')!;
    await t.suite.kernel.brands.setProfile('masterserver', { ...file, rights: { ...(file.rights as object), dueBusinessDays: 5 } }, actor);
    const r = await publish('masterserver');
    expect(r.status).toBe(201);
    expect(r.body.languages.map((l) => [l.language, l.published?.version])).toEqual([['en', '2'], ['ar', '2']]);
    const now = await page('/b/masterserver/policy');
    expect(now.html).toContain('Version 2');
    expect(section(now.html, 'rights')).toContain('within 5 business days');
    expect(now.html).toContain('?version=1&amp;lang=en');
    const old = await page('/b/masterserver/policy?version=1');
    expect(old.html).toContain('This is an archived version.');
    expect(section(old.html, 'rights')).toContain('within 3 business days');
  });

  it('WSM-24: a material change takes effect after the notice period; until then the old version is in force and the new one is announced', async () => {
    const file = readProfile('websoftmaster')!;
    await t.suite.kernel.brands.setProfile('websoftmaster', { ...file, consent: { ...(file.consent as object), minimumAge: 16 } }, actor);
    const r = await publish('websoftmaster');
    const v2 = r.body.languages[0].published!;
    expect(v2).toMatchObject({ version: '2', material: true });
    expect(v2.effectiveAt).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const inForce = await page('/b/websoftmaster/policy');
    expect(inForce.html).toContain('Version 1');
    expect(section(inForce.html, 'children')).toContain('under 13');
    expect(inForce.html).toContain('An updated version 2 takes effect on');
    const next = await page('/b/websoftmaster/policy?version=2');
    expect(section(next.html, 'children')).toContain('under 16');
    expect(next.html).toContain('An updated version 2 takes effect on');
  });

  it('the policy-publish job publishes each brand whose policy changed (a reseller inheriting its provider\'s change too), once; a contact change is not material', async () => {
    const file = readProfile('server-pro')!;
    await t.suite.kernel.brands.setProfile('server-pro', { ...file, controller: { ...(file.controller as object), address: '1 Example Street, London' } }, actor);
    const run = await t.suite.scheduler.runJob('consent:policy-publish');
    // The reseller inherits the minimum age its provider changed above, so its own policy gets a material version too.
    expect(run.result).toEqual({ failed: [], published: [
      { brand: 'server-pro', language: 'en', version: '2', material: false },
      { brand: 'websoftmaster-reseller', language: 'en', version: '2', material: true },
    ] });
    expect(section((await page('/b/server-pro/policy')).html, 'controller')).toContain('1 Example Street, London');
    expect((await t.suite.scheduler.runJob('consent:policy-publish')).result).toMatchObject({ published: [] });
  });

  it('an unknown version or brand is 404; a malformed version is 400', async () => {
    expect((await page('/b/server-pro/policy?version=9')).status).toBe(404);
    expect((await page('/b/no-such-brand/policy')).status).toBe(404);
    expect((await page('/b/server-pro/policy?version=%3Cx%3E')).status).toBe(400);
  });

  it('values from the profile are escaped', async () => {
    await t.suite.kernel.brands.create({ slug: 'xss', name: 'XSS', profile: { controller: { name: '<script>alert(1)</script>', email: 'p@xss.example' } } }, actor);
    const r = await page('/b/xss/policy');
    expect(r.status).toBe(200);
    expect(r.html).not.toContain('<script>alert(1)</script>');
    expect(r.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.html).toContain('it has not been published as a numbered version yet');
  });

  // Last: it uses up this client's allowance for the page.
  it('the page is rate-limited per client: 120 a minute, then 429 with Retry-After', async () => {
    // Up to two windows' worth, so a window that turns over during the loop cannot hide the limit.
    let status = 200;
    for (let i = 0; i < 250 && status !== 429; i++) status = (await fetch(`${t.baseUrl}/b/server-pro/policy`)).status;
    expect(status).toBe(429);
    const last = await fetch(`${t.baseUrl}/b/server-pro/policy`);
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
