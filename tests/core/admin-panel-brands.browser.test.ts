/**
 * The brands and privacy profile pages in a real headless Chromium: an admin edits a profile field by typing and
 * submitting and sees the flash, submits an invalid colour and sees the field named (focusable from the summary),
 * creates a brand by the form and sees its hook secret once; axe-core finds no serious or critical violation (en, ar).
 */
import type { Browser } from 'playwright-core';
import { axeViolations, browserLogin, createPanelUser, launchChromium, newPage, screenshot } from '../helpers/admin-browser';
import { createBrand, PROVIDER_PROFILE, startTestSuite, type TestSuite } from '../helpers/test-suite';

let t: TestSuite;
let browser: Browser;

beforeAll(async () => {
  t = await startTestSuite();
  await createBrand(t.suite, 'acme', {
    profile: { ...PROVIDER_PROFILE, purposes: [{ code: 'billing', description: 'Invoices and payments', legalBasis: 'contract' }], recipients: [{ code: 'stripe', name: 'Stripe', kind: 'payment', country: 'IE', purposes: ['billing'] }] },
  });
  await createBrand(t.suite, 'acme-resale', { parent: 'acme', profile: { controller: { name: 'Resale BV', email: 'dpo@resale.example', country: 'NL' } } });
  await createPanelUser(t.suite.kernel, 'admin@example.com', 'admin');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('brands and privacy profile pages in Chromium', () => {
  it('edits a profile field by typing and submitting (flash shown), and an invalid colour is named by its field', async () => {
    const { page, problems } = await newPage(browser);
    await browserLogin(page, t.baseUrl, 'admin@example.com');
    await Promise.all([page.waitForURL(/\/admin\/brands$/), page.click('nav a[href="/admin/brands"]')]);
    await Promise.all([page.waitForURL(/\/admin\/brands\/acme\/profile$/), page.click('tr[data-brand="acme"] a[href="/admin/brands/acme/profile"]')]);

    await page.fill('#f-branding-name', 'Acme Hosting');
    await page.fill('#f-branding-primaryColor', '#336699');
    await Promise.all([page.waitForURL(/flash=saved/), page.click('main form button[type="submit"]')]);
    expect(await page.textContent('[role="status"]')).toBe('The privacy profile has been saved.');
    expect(await page.textContent('[data-effective="primaryColor"]')).toBe('#336699');
    expect(await page.inputValue('#f-branding-name')).toBe('Acme Hosting');
    const saved = await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get('acme'));
    expect(saved.branding).toEqual({ name: 'Acme Hosting', primaryColor: '#336699' });

    await page.fill('#f-branding-primaryColor', 'red');
    await Promise.all([page.waitForURL(/\/admin\/brands\/acme\/profile$/), page.click('main form button[type="submit"]')]);
    expect(await page.textContent('[role="alert"]')).toContain('branding.primaryColor: a colour as #rrggbb');
    expect(await page.getAttribute('#f-branding-primaryColor', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#f-branding-primaryColor')).toBe('red');
    await page.click('[role="alert"] a[href="#f-branding-primaryColor"]');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('f-branding-primaryColor');
    expect((await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get('acme'))).branding?.primaryColor).toBe('#336699');
    expect(await axeViolations(page)).toEqual([]);
    // The refused form answers 400, which Chromium reports on the console; nothing else may.
    expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    await page.context().close();
  });

  it('creates a brand by the form and shows its hook secret once', async () => {
    const { page, problems } = await newPage(browser);
    await browserLogin(page, t.baseUrl, 'admin@example.com');
    await page.goto(`${t.baseUrl}/admin/brands`);
    await page.fill('#b-slug', 'initech');
    await page.fill('#b-name', 'Initech');
    await page.fill('#b-controllerName', 'Initech Ltd');
    await page.fill('#b-controllerEmail', 'privacy@initech.example');
    await page.fill('#b-controllerCountry', 'GB');
    await page.click('main form button[type="submit"]');
    await page.waitForSelector('[data-created="initech"]');
    expect(await page.inputValue('#hook-secret')).toMatch(/^whsec_/);
    expect(await page.isVisible('tr[data-brand="initech"]')).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('axe-core: no serious or critical violation on the brands and profile pages, in English and Arabic', async () => {
    const { page } = await newPage(browser);
    await browserLogin(page, t.baseUrl, 'admin@example.com');
    for (const lang of ['en', 'ar']) {
      for (const path of ['/admin/brands', '/admin/brands/acme/profile', '/admin/brands/acme-resale/profile']) {
        await page.goto(`${t.baseUrl}${path}?lang=${lang}`);
        expect(await page.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        expect([path, lang, await axeViolations(page)]).toEqual([path, lang, []]);
      }
    }
    // An invalid submission's page too (error summary, aria-invalid, aria-describedby).
    await page.goto(`${t.baseUrl}/admin/brands/acme/profile`);
    await page.fill('#f-controller-email', 'nope');
    await page.fill('#f-branding-primaryColor', 'red');
    await Promise.all([page.waitForLoadState('load'), page.click('main form button[type="submit"]')]);
    expect(await page.getAttribute('#f-controller-email', 'aria-invalid')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${t.baseUrl}/admin/brands/acme/profile`);
    await screenshot(page, 'profile');
    await page.context().close();
  });
});
