/**
 * Issue 14: the policy documents page of the admin panel — every version with its dates, material flag and state
 * (in force, notice period, superseded), a link to the public policy for generated privacy versions, and "publish the
 * privacy policy now" for writers (MS-11, WSM-24: the same publishPolicy as the admin API).
 */
import { createBrand, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { createPanelUser, PanelClient } from '../../helpers/admin-browser';
import { consentBrand, publishTerms, type TestBrand } from './marketing-fixtures';

let t: TestSuite;
let acme: TestBrand;
const DOCS = '/admin/brands/acme/consent/documents';
const PUBLISH = `${DOCS}/publish-policy`;
const DAY = 86_400_000;
let supersededId: number;
let inForceId: number;
let noticeId: number;

beforeAll(async () => {
  t = await startTestSuite();
  acme = await consentBrand(t.suite, 'acme', { model: 'opt-in' }, { policy: { noticePeriodDays: 14 } });
  await createBrand(t.suite, 'globex');
  const db = t.suite.kernel.db;
  supersededId = await publishTerms(t.suite, acme.id, 'en', '2025-01');
  await db('consent_documents').where({ id: supersededId }).update({ published_at: Date.now() - 30 * DAY, effective_at: Date.now() - 29 * DAY });
  inForceId = await publishTerms(t.suite, acme.id, 'en', '2026-01');
  noticeId = await publishTerms(t.suite, acme.id, 'en', '2026-07');
  await db('consent_documents').where({ id: noticeId }).update({ material: true, published_at: Date.now(), effective_at: Date.now() + 14 * DAY });
  await publishTerms(t.suite, acme.id, 'de', '<script>alert(1)</script>');
  await createPanelUser(t.suite.kernel, 'admin@example.com', 'admin');
  await createPanelUser(t.suite.kernel, 'auditor@example.com', 'auditor');
  await createPanelUser(t.suite.kernel, 'reseller@example.com', 'reseller', 'globex');
});
afterAll(() => t.close());

async function as(email: string): Promise<PanelClient> {
  return new PanelClient(t.baseUrl).login(email);
}

/** The state a document row shows. */
function stateOf(html: string, id: number): string | undefined {
  return new RegExp(`data-document="${id}"[\\s\\S]*?data-state="([a-z-]+)"`).exec(html)?.[1];
}

async function privacyVersions(): Promise<string[]> {
  return (await t.suite.kernel.db('consent_documents').where({ brand_id: acme.id, kind: 'privacy' }).orderBy('id').pluck('version')) as string[];
}

describe('policy documents page', () => {
  it('lists every version with its dates, material flag and state: superseded, in force, in notice period', async () => {
    const b = await as('admin@example.com');
    const page = await b.get(DOCS);
    expect(page.status).toBe(200);
    expect(stateOf(page.html, supersededId)).toBe('superseded');
    expect(stateOf(page.html, inForceId)).toBe('in-force');
    expect(stateOf(page.html, noticeId)).toBe('notice');
    expect(page.html).toMatch(new RegExp(`data-document="${noticeId}"[\\s\\S]*?<td>Yes</td>[\\s\\S]*?In notice period`));
    expect(page.html).toContain('a notice period of 14 days');
    expect(page.html).toContain('Terms of service');
  });

  it('escapes a version named <script>alert(1)</script>', async () => {
    const page = await (await as('admin@example.com')).get(DOCS);
    expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.html).not.toContain('<script>alert(1)</script>');
  });

  it('an admin publishes the privacy policy by the button: a new version appears with a link to the public page; a second press publishes nothing', async () => {
    const b = await as('admin@example.com');
    expect((await b.get(DOCS)).html).toContain(`action="${PUBLISH}"`);
    expect(await privacyVersions()).toEqual([]);
    const res = await b.submit(DOCS, PUBLISH, {});
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${DOCS}?flash=policy-published&item=en+1`);
    expect(await privacyVersions()).toEqual(['1']);
    const page = await b.get(res.location!);
    expect(page.html).toContain('<p role="status">Privacy policy published: en 1.</p>');
    const id = Number(((await t.suite.kernel.db('consent_documents').where({ brand_id: acme.id, kind: 'privacy' }).first('id')) as { id: number }).id);
    expect(stateOf(page.html, id)).toBe('in-force');
    const href = /href="(\/b\/acme\/policy\?[^"]+)"/.exec(page.html)![1].replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
    expect(href).toBe('/b/acme/policy?version=1&lang=en');
    const policy = await fetch(`${t.baseUrl}${href}`);
    expect(policy.status).toBe(200);
    expect(await policy.text()).toContain('Version 1');
    const audit = (await t.suite.kernel.audit.list({ action: 'consent.document.publish', limit: 1 }))[0];
    expect(audit).toMatchObject({ brand_id: acme.id, actor: expect.stringMatching(/^user:\d+$/) });

    const again = await b.submit(DOCS, PUBLISH, {});
    expect(again.location).toBe(`${DOCS}?flash=policy-unchanged`);
    expect((await b.get(again.location!)).html).toContain('The privacy policy has not changed; nothing was published.');
    expect(await privacyVersions()).toEqual(['1']);
  });

  it('an auditor sees the versions without the publish button; its POST is 403 and publishes nothing', async () => {
    const b = await as('auditor@example.com');
    const page = await b.get(DOCS);
    expect(page.status).toBe(200);
    expect(stateOf(page.html, inForceId)).toBe('in-force');
    expect(page.html).not.toContain(`action="${PUBLISH}"`);
    const before = await privacyVersions();
    // The policy has changed since the last version, so a publish that got through would add one.
    await t.suite.kernel.brands.setProfile('acme', { controller: { name: 'Acme Hosting GmbH', email: 'dpo@acme.example', country: 'DE' }, consent: { model: 'opt-in' }, policy: { noticePeriodDays: 14 } }, { type: 'cli', id: 'test' });
    const res = await b.post(PUBLISH, { _csrf: await b.csrf(DOCS) });
    expect(res.status).toBe(403);
    expect(res.html).toContain('Your role may only read');
    expect(await privacyVersions()).toEqual(before);
  });

  it('a publish without the CSRF token is 403 and publishes nothing; with it, the changed policy becomes version 2', async () => {
    const b = await as('admin@example.com');
    const before = await privacyVersions();
    expect((await b.post(PUBLISH, {})).status).toBe(403);
    expect((await b.post(PUBLISH, { _csrf: 'x'.repeat(64) })).status).toBe(403);
    expect(await privacyVersions()).toEqual(before);
    expect((await b.submit(DOCS, PUBLISH, {})).location).toBe(`${DOCS}?flash=policy-published&item=en+2`);
    expect(await privacyVersions()).toEqual(['1', '2']);
  });

  it('a reseller of another brand gets 403 on the page and the button, audited as admin.brand.forbidden', async () => {
    const b = await as('reseller@example.com');
    const token = await b.csrf('/admin/brands/globex/consent/documents');
    const before = (await t.suite.kernel.audit.list({ action: 'admin.brand.forbidden', limit: 100 })).length;
    const page = await b.get(DOCS);
    expect(page.status).toBe(403);
    expect(page.html).not.toContain('2026-07');
    expect((await b.post(PUBLISH, { _csrf: token })).status).toBe(403);
    const refused = await t.suite.kernel.audit.list({ action: 'admin.brand.forbidden', limit: 100 });
    expect(refused.length).toBe(before + 2);
    expect(refused[0]).toMatchObject({ brand_id: acme.id, target_id: 'acme' });
  });
});
