/**
 * Issue 14 / WSM-17: reveal requests in the admin panel — the list and one request with the complainant (contact) and
 * evidence (correspondence) only for roles that may see them (ESM-3, audited), the decision by form (CSRF, writers
 * only, 303 with a flash, refusals with their code), another brand's request 404 and another brand's pages 403.
 */
import { openRevealRequest } from '../../../modules/registrant/reveal/open-request';
import { useRegistrar } from '../../../modules/registrant/transfer/registrar-lookup';
import { createPanelUser, PanelClient } from '../../helpers/admin-browser';
import { postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { disclosures, FakeRegistrar, postContacts, registrantBrand, whmcsParams } from './fixtures';

const XSS = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';
const registrar = new FakeRegistrar();
let t: TestSuite;
const ids: Record<string, number> = {};
const base = (brand: string) => `/admin/brands/${brand}/registrant/reveal-requests`;

beforeAll(async () => {
  useRegistrar(() => registrar);
  t = await startTestSuite();
  for (const [slug, client] of [['rev-shop', 7], ['rev-other', 8]] as const) {
    const secret = await registrantBrand(t.suite, slug);
    ids[slug] = (await t.suite.kernel.brands.get(slug)).id;
    await postHook(t.baseUrl, 'ClientAdd', secret, { brand: slug, vars: { client_id: client, firstname: 'Ada', lastname: 'Lovelace', email: `ada${client}@example.org`, country: 'GB' } });
    expect((await postContacts(t.baseUrl, secret, { brand: slug, params: whmcsParams(client, 'disputed', 'com', { idprotection: true }) })).status).toBe(200);
  }
  await createPanelUser(t.suite.kernel, 'owner@example.com', 'owner');
  await createPanelUser(t.suite.kernel, 'auditor@example.com', 'auditor');
  await createPanelUser(t.suite.kernel, 'other-reseller@example.com', 'reseller', 'rev-other');
});
afterAll(async () => {
  useRegistrar();
  await t?.close();
});

const login = (email: string) => new PanelClient(t.baseUrl).login(email);

/** Opens a complaint through the workflow's own service; returns the request id. */
async function complaint(brand: string, name = 'Brand Owner'): Promise<number> {
  const b = await t.suite.kernel.brands.get(brand);
  const r = await openRevealRequest(t.suite.kernel, b, { type: 'cli', id: 'test' }, {
    domain: 'disputed.com', complainant: { name, email: 'legal@brand-owner.example', organisation: 'Brand Owner plc' },
    legalBasis: 'Trademark infringement (UDRP 4(a))', evidence: 'Screenshots of the infringing site, trademark no. 123.',
  });
  return r.id;
}
const statusOf = async (id: number) => ((await t.suite.kernel.db('registrant_reveal_requests').where({ id }).first('status')) as { status: string }).status;
const views = async (page: string) => (await t.suite.kernel.audit.list({ action: 'admin.view', limit: 1000 })).filter((e) => (e.details as { page: string }).page === page);

describe('reveal requests in the admin panel', () => {
  it('ESM-3: an owner sees the list with the complainant escaped; the view is audited with the category', async () => {
    const id = await complaint('rev-shop', XSS);
    const before = (await views('registrant.reveal-requests')).length;
    const b = await login('owner@example.com');
    const page = await b.get(base('rev-shop'));
    expect(page.status).toBe(200);
    expect(page.html).toContain(`data-request="${id}"`);
    expect(page.html).toContain('disputed.com');
    expect(page.html).toContain(ESCAPED);
    expect(page.html).not.toContain(XSS);
    expect(page.html).toContain(`href="${base('rev-shop')}/${id}"`);
    const audited = await views('registrant.reveal-requests');
    expect(audited).toHaveLength(before + 1);
    expect(audited[0]).toMatchObject({ brand_id: ids['rev-shop'], details: { categories: ['contact'], withheld: [] } });
    expect((await b.get(`${base('rev-shop')}?status=notice-sent`)).html).toContain(`data-request="${id}"`);
    expect((await b.get(`${base('rev-shop')}?status=rejected`)).html).not.toContain(`data-request="${id}"`);
    expect(page.html).not.toContain('registrant.admin.'); // every string translated
  });

  it('ESM-3: an auditor sees requests without complainant or evidence, no decision form, and a decision POST is 403', async () => {
    const id = await complaint('rev-shop', 'Hidden Complainant');
    const b = await login('auditor@example.com');
    const list = await b.get(base('rev-shop'));
    expect(list.html).toContain(`data-request="${id}"`);
    expect(list.html).not.toContain('Hidden Complainant');
    expect(list.html).toContain('withheld for your role');
    const page = await b.get(`${base('rev-shop')}/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('Hidden Complainant');
    expect(page.html).not.toContain('legal@brand-owner.example');
    expect(page.html).not.toContain('Screenshots');
    expect(page.html).not.toContain('/decision"');
    const [entry] = await views('registrant.reveal-request');
    expect(entry).toMatchObject({ target_id: String(id), details: { categories: [], withheld: ['contact', 'correspondence'] } });
    const res = await b.submit(`${base('rev-shop')}/${id}`, `${base('rev-shop')}/${id}/decision`, { decision: 'reject' });
    expect(res.status).toBe(403);
    expect(await statusOf(id)).toBe('notice-sent');
  });

  it('WSM-17: an owner discloses by form: before the deadline only when ticked (the refusal names the field), then 303, flash, disclosure logged, contact shown', async () => {
    const id = await complaint('rev-shop');
    const b = await login('owner@example.com');
    const page = await b.get(`${base('rev-shop')}/${id}`);
    expect(page.html).toContain('Screenshots of the infringing site');
    expect(page.html).toContain('legal@brand-owner.example');
    expect(page.html).toContain(`action="${base('rev-shop')}/${id}/decision"`);

    const early = await b.submit(`${base('rev-shop')}/${id}`, `${base('rev-shop')}/${id}/decision`, { decision: 'disclose' });
    expect(early.status).toBe(400);
    expect(early.html).toContain('<code>decision</code>');
    expect(early.html).toContain('SUITE_VALIDATION_FAILED');
    expect(await statusOf(id)).toBe('notice-sent');

    const res = await b.submit(`${base('rev-shop')}/${id}`, `${base('rev-shop')}/${id}/decision`, { decision: 'disclose', beforeDeadline: 'on', reason: 'court order' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${base('rev-shop')}/${id}?flash=disclosed&item=${id}`);
    expect(await statusOf(id)).toBe('disclosed');
    expect((await disclosures(t.suite, ids['rev-shop'])).find((d) => d.reference === `reveal:${id}`)).toMatchObject({ recipient: 'authority', purpose: 'legal' });
    const [audit] = (await t.suite.kernel.audit.list({ action: 'registrant.reveal.disclosed', limit: 10 })).filter((e) => e.target_id === String(id));
    expect(audit).toMatchObject({ actor: expect.stringMatching(/^user:\d+$/), details: { beforeDeadline: true } });
    const after = await b.get(res.location!);
    expect(after.html).toContain(`Request ${id}: the registrant&#x27;s contact is disclosed`);
    expect(after.html).toContain('Ada Lovelace');
    expect(after.html).not.toContain('/decision"');

    const again = await b.post(`${base('rev-shop')}/${id}/decision`, { _csrf: await b.csrf(`${base('rev-shop')}/${id}`), decision: 'reject' });
    expect(again.status).toBe(400);
    expect(again.html).toContain('<code>decision</code>');
    expect(await statusOf(id)).toBe('disclosed');
  });

  it('WSM-17: suspend, then lift by form; a lift of a request that is not suspended shows its code', async () => {
    const id = await complaint('rev-shop');
    const b = await login('owner@example.com');
    const page = `${base('rev-shop')}/${id}`;
    const wrong = await b.submit(page, `${page}/decision`, { decision: 'lift' });
    expect(wrong.status).toBe(409);
    expect(wrong.html).toContain('SUITE_REVEAL_NOT_SUSPENDED');
    const suspended = await b.submit(page, `${page}/decision`, { decision: 'suspend' });
    expect(suspended.status).toBe(303);
    expect(await statusOf(id)).toBe('suspended');
    const shown = await b.get(suspended.location!);
    expect(shown.html).toContain('the domain is suspended');
    expect(shown.html).toContain('name="decision" value="lift"');
    const lifted = await b.submit(page, `${page}/decision`, { decision: 'lift' });
    expect(lifted.status).toBe(303);
    expect(await statusOf(id)).toBe('lifted');
  });

  it('bad input names the field and changes nothing; a POST without the CSRF token is 403', async () => {
    const id = await complaint('rev-shop');
    const b = await login('owner@example.com');
    const page = `${base('rev-shop')}/${id}`;
    const bad = await b.submit(page, `${page}/decision`, { decision: 'publish' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('<code>decision</code>');
    expect((await b.get(`${base('rev-shop')}?status=lost`)).html).toContain('<code>status</code>');
    await b.get(page);
    expect((await b.post(`${page}/decision`, { decision: 'reject' })).status).toBe(403);
    expect(await statusOf(id)).toBe('notice-sent');
  });

  it('another brand\'s request id under this brand is 404 and nothing changes', async () => {
    const theirs = await complaint('rev-other');
    const b = await login('owner@example.com');
    expect((await b.get(`${base('rev-shop')}/${theirs}`)).status).toBe(404);
    const res = await b.submit(base('rev-shop'), `${base('rev-shop')}/${theirs}/decision`, { decision: 'reject' });
    expect(res.status).toBe(404);
    expect(await statusOf(theirs)).toBe('notice-sent');
    expect((await b.get(base('rev-shop'))).html).not.toContain(`data-request="${theirs}"`);
  });

  it('a reseller of another brand gets 403 on these pages, audited as admin.brand.forbidden', async () => {
    const id = await complaint('rev-shop');
    const b = await login('other-reseller@example.com');
    expect((await b.get(base('rev-other'))).status).toBe(200);
    const res = await b.get(`${base('rev-shop')}/${id}`);
    expect(res.status).toBe(403);
    expect(res.html).not.toContain('Brand Owner');
    const post = await b.submit(base('rev-other'), `${base('rev-shop')}/${id}/decision`, { decision: 'reject' });
    expect(post.status).toBe(403);
    expect(await statusOf(id)).toBe('notice-sent');
    const forbidden = (await t.suite.kernel.audit.list({ action: 'admin.brand.forbidden', limit: 10 })).filter((e) => e.brand_id === ids['rev-shop']);
    expect(forbidden.length).toBeGreaterThanOrEqual(2);
  });
});
