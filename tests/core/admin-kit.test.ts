/**
 * The admin page kit: a module's pages mount under /admin/brands/:brand/<module>/ behind the session, the brand check
 * (403 audited) and the module switch (404); its sections appear in the brand's navigation only where it is on; a
 * thrown SuiteError becomes a page naming each field; and ESM-3 — a page showing personal data audits the view with
 * the categories the role saw and those withheld, for the owner too.
 */
import { z } from 'zod';
import { defineModule } from '../../core/modules/define-module';
import { SuiteError, validationError, fieldIssue } from '../../core/errors';
import { asyncRoute } from '../../core/http/respond';
import { adminForm, flashMessage, sendAdminPage, viewPersonalData } from '../../core/http/admin-kit';
import { pageLocale, requireCsrf } from '../../core/pages';
import { INSTALLED_MODULES } from '../../modules/installed';
import { createBrand, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { createPanelUser, PanelClient } from '../helpers/admin-browser';

/** A module with one page that shows a subject's contact and mail-content categories, and a form that validates. */
const pagesProbe = defineModule({
  name: 'pages-probe',
  version: '0.0.1',
  type: 'addon',
  description: 'admin page kit probe',
  storesPersonalData: false,
  adminNav: [{ path: 'people', label: 'admin.nav.audit' }],
  routes: {
    pages: (r, kernel) => {
      r.get('/people', asyncRoute(async (req, res) => {
        const view = await viewPersonalData(kernel, req, { brand: req.brand!, categories: ['contact', 'mail-content'], targetType: 'subject', targetId: 7, page: 'probe-people' });
        const locale = pageLocale(req, 'en');
        await sendAdminPage(kernel, req, res, 200, {
          page: 'common/message', title: 'People', brand: req.brand!,
          view: { message: `shown:${view.shown.join('+')} withheld:${view.withheld.join('+')} flash:${flashMessage(req, locale, { saved: 'admin.modules.flash.module-on' }) ?? '-'}` },
        });
      }));
      r.post('/people', adminForm(), requireCsrf(kernel), asyncRoute(async (req) => {
        const parsed = z.object({ email: z.string().email() }).safeParse(req.body);
        if (!parsed.success) throw validationError([fieldIssue('email', 'validation.input.notJson')]);
        throw new SuiteError('SUITE_NOT_FOUND');
      }));
    },
  },
});

let t: TestSuite;

beforeAll(async () => {
  t = await startTestSuite({ modules: [...INSTALLED_MODULES, pagesProbe] });
  await createBrand(t.suite, 'acme');
  await createBrand(t.suite, 'globex');
  const k = t.suite.kernel;
  await createPanelUser(k, 'owner@example.com', 'owner');
  await createPanelUser(k, 'support@example.com', 'support');
  await createPanelUser(k, 'spam@example.com', 'spam-control');
  await createPanelUser(k, 'reseller@example.com', 'reseller', 'acme');
});
afterAll(() => t.close());

async function lastView(): Promise<Record<string, unknown>> {
  const [entry] = await t.suite.kernel.audit.list({ action: 'admin.view', limit: 1 });
  return entry as unknown as Record<string, unknown>;
}

describe('admin page kit', () => {
  it('mounts a module page behind the session, with its section in the brand navigation', async () => {
    expect((await new PanelClient(t.baseUrl).get('/admin/brands/acme/pages-probe/people')).location).toBe('/admin');
    const b = await new PanelClient(t.baseUrl).login('owner@example.com');
    const page = await b.get('/admin/brands/acme/pages-probe/people?flash=saved&item=x');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<a href="/admin/brands/acme/pages-probe/people" aria-current="page">');
    expect(page.html).toContain('<a href="/admin/brands/acme/modules">');
    expect(page.html).toContain('flash:Module x is now on for this brand.');
    expect((await b.get('/admin/brands/acme/pages-probe/people?flash=other&item=x')).html).toContain("flash:-");
  });

  it('a module switched off for a brand: its page is 404 and its section leaves that brand navigation', async () => {
    const k = t.suite.kernel;
    await k.brands.setEnabled('globex', 'module', 'pages-probe', false, { type: 'cli', id: 'test' });
    const b = await new PanelClient(t.baseUrl).login('owner@example.com');
    expect((await b.get('/admin/brands/globex/pages-probe/people')).status).toBe(404);
    expect((await b.get('/admin/brands/globex/modules')).html).not.toContain('/admin/brands/globex/pages-probe/');
    expect((await b.get('/admin/brands/acme/modules')).html).toContain('/admin/brands/acme/pages-probe/people');
  });

  it('a reseller opening another brand\'s module page gets 403, audited with the page', async () => {
    const b = await new PanelClient(t.baseUrl).login('reseller@example.com');
    expect((await b.get('/admin/brands/acme/pages-probe/people')).status).toBe(200);
    const before = (await t.suite.kernel.audit.list({ action: 'admin.brand.forbidden', limit: 100 })).length;
    const page = await b.get('/admin/brands/globex/pages-probe/people');
    expect(page.status).toBe(403);
    expect(page.html).toContain('may not open this brand');
    const entries = await t.suite.kernel.audit.list({ action: 'admin.brand.forbidden', limit: 100 });
    expect(entries.length).toBe(before + 1);
    expect(JSON.stringify(entries[0])).toContain('/admin/brands/globex/pages-probe/people');
  });

  it('ESM-3: a page view of personal data is audited with the categories shown and withheld, per role (the owner too)', async () => {
    const cases: [string, string, string][] = [
      ['owner@example.com', 'contact', 'mail-content'],
      ['support@example.com', 'contact', 'mail-content'],
      ['spam@example.com', 'contact+mail-content', ''],
    ];
    for (const [email, shown, withheld] of cases) {
      const b = await new PanelClient(t.baseUrl).login(email);
      const page = await b.get('/admin/brands/acme/pages-probe/people');
      expect(page.html).toContain(`shown:${shown} withheld:${withheld}`);
      const entry = await lastView();
      expect(entry).toMatchObject({ target_type: 'subject', target_id: '7' });
      expect((entry.details as Record<string, unknown>)).toMatchObject({ page: 'probe-people', categories: shown.split('+'), withheld: withheld ? withheld.split('+') : [] });
    }
  });

  it('a thrown validation error is a page in the reader\'s language naming the field; a missing CSRF token is 403', async () => {
    const b = await new PanelClient(t.baseUrl, { 'accept-language': 'de' }).login('owner@example.com');
    const bad = await b.submit('/admin/brands/acme/pages-probe/people', '/admin/brands/acme/pages-probe/people', { email: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('<code>email</code>');
    expect(bad.html).toContain('lang="de"');
    expect(bad.html).toContain('SUITE_VALIDATION_FAILED');
    expect((await b.post('/admin/brands/acme/pages-probe/people', { email: 'a@b.example' })).status).toBe(403);
    const missing = await b.submit('/admin/brands/acme/pages-probe/people', '/admin/brands/acme/pages-probe/people', { email: 'a@b.example' });
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('SUITE_NOT_FOUND');
  });
});
