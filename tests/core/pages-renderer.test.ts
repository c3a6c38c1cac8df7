/**
 * The one page layer (core/pages): a page picks the reader's language (?lang=, Accept-Language, the brand's locale)
 * and direction (Arabic right to left), escapes every value, shows the brand's look, and is sent with a CSP that
 * allows only this origin and inline style only with the response's nonce.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type http from 'node:http';
import express from 'express';
import { pageLocale, renderPage, sendPage } from '../../core/pages';
import { Branding } from '../../core/profile/schema';
import { createBrand, PROVIDER_PROFILE, startTestSuite, type TestSuite } from '../helpers/test-suite';

const view = (title: string) => ({ title, message: 'm', showForm: false });

describe('page renderer', () => {
  it('sets lang and dir from the locale: ar reads right to left, de left to right', () => {
    expect(renderPage({ page: 'client/consent-confirm', locale: 'ar', view: view('x') })).toMatch(/<html lang="ar" dir="rtl">/);
    expect(renderPage({ page: 'client/consent-confirm', locale: 'de', view: view('x') })).toMatch(/<html lang="de" dir="ltr">/);
  });

  it('escapes a <script> in a name: the page never carries it as markup', () => {
    const html = renderPage({ page: 'client/consent-confirm', locale: 'en', view: view('<script>alert(1)</script>'), branding: { name: '<script>alert(1)</script>' } });
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('shows the brand: name, logo and colour', () => {
    const html = renderPage({ page: 'client/consent-confirm', locale: 'en', view: view('Hi'), branding: { name: 'Acme', primaryColor: '#112233', logoUrl: 'https://cdn.example/logo.png' } });
    expect(html).toContain('<strong>Acme</strong>');
    expect(html).toContain('src="https://cdn.example/logo.png"');
    expect(html).toContain('--brand:#112233;');
  });

  it('t, formatDate and formatNumber answer in the page locale', () => {
    const html = renderPage({ page: 'test/pages-helpers', locale: 'de', layout: false, view: { title: 'x', at: Date.UTC(2026, 11, 6), n: 1234567.5 } });
    expect(html).toContain('1.234.567,5');
    expect(html).toContain('06.12.2026');
    expect(html).toContain('Dieses Formular ist abgelaufen');
  });

  it('no template writes a value unescaped: the only {{{ }}} is the layout body (the rendered page)', () => {
    const root = path.resolve(__dirname, '..', '..', 'templates');
    const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.hbs'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const raw = fs.readFileSync(path.join(root, f), 'utf8').match(/\{\{\{[^}]*\}\}\}|\{\{&/g) ?? [];
      expect({ f, raw: raw.filter((m) => !(f.startsWith('layouts') && m === '{{{body}}}')) }).toEqual({ f, raw: [] });
    }
  });

  it('the profile accepts branding with a #rrggbb colour and an https logo only', () => {
    expect(Branding.safeParse({ name: 'A', primaryColor: '#a1B2c3', logoUrl: 'https://x.example/l.svg' }).success).toBe(true);
    expect(Branding.safeParse({ primaryColor: 'red' }).success).toBe(false);
    expect(Branding.safeParse({ primaryColor: '#abc' }).success).toBe(false);
    expect(Branding.safeParse({ logoUrl: 'http://x.example/l.svg' }).success).toBe(false);
    expect(Branding.safeParse({ logoUrl: 'javascript:alert(1)' }).success).toBe(false);
  });
});

describe('page locale and headers over HTTP', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    const app = express();
    app.get('/page', (req, res) => {
      const locale = pageLocale(req, 'fr');
      sendPage(req, res, 200, { page: 'client/consent-confirm', locale, branding: { name: 'Acme', logoUrl: 'https://cdn.example/l.png' }, view: view('T') });
    });
    await new Promise<void>((r) => { server = app.listen(0, '127.0.0.1', () => r()); });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('?lang= wins over Accept-Language, which wins over the brand locale', async () => {
    const html = async (q: string, h: Record<string, string> = {}) => (await (await fetch(`${base}/page${q}`, { headers: h })).text()).match(/<html lang="(\w+)" dir="(\w+)">/)!.slice(1);
    expect(await html('?lang=ar', { 'accept-language': 'de' })).toEqual(['ar', 'rtl']);
    expect(await html('', { 'accept-language': 'de-DE,de;q=0.9' })).toEqual(['de', 'ltr']);
    expect(await html('')).toEqual(['fr', 'ltr']);
  });

  it('sends a CSP: self only, inline style only with this response nonce, the logo origin for images, no framing', async () => {
    const res = await fetch(`${base}/page`);
    const csp = res.headers.get('content-security-policy')!;
    const html = await res.text();
    const nonce = /<style nonce="([^"]+)">/.exec(html)![1];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`);
    expect(csp).toContain("img-src 'self' https://cdn.example");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const again = await fetch(`${base}/page`);
    expect(again.headers.get('content-security-policy')).not.toContain(nonce);
  });
});

describe('branding from the brand profile', () => {
  let t: TestSuite;
  beforeAll(async () => {
    t = await startTestSuite();
  });
  afterAll(() => t.close());

  it('a client page shows the profile branding; an invalid colour or an http logo is refused with the field named', async () => {
    await createBrand(t.suite, 'branded', { profile: { ...PROVIDER_PROFILE, branding: { name: 'Acme Hosting', primaryColor: '#aa3300', logoUrl: 'https://cdn.example/acme.svg' } } });
    const res = await fetch(`${t.baseUrl}/b/branded/consent/unsubscribe?token=bad`, { headers: { 'accept-language': 'ar' } });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(html).toContain('<strong>Acme Hosting</strong>');
    expect(html).toContain('--brand:#aa3300;');
    expect(res.headers.get('content-security-policy')).toContain("img-src 'self' https://cdn.example");
    for (const [branding, field, key] of [
      [{ primaryColor: 'red' }, 'profile.branding.primaryColor', 'validation.profile.brandingColor'],
      [{ logoUrl: 'http://cdn.example/l.svg' }, 'profile.branding.logoUrl', 'validation.profile.brandingLogo'],
    ] as const) {
      await expect(t.suite.kernel.brands.setProfile('branded', { ...PROVIDER_PROFILE, branding }, { type: 'cli', id: 'test' }))
        .rejects.toMatchObject({ code: 'SUITE_VALIDATION_FAILED', fields: [expect.objectContaining({ field, key })] });
    }
  });

  it('without branding, a page shows the brand name', async () => {
    await createBrand(t.suite, 'plain');
    const html = await (await fetch(`${t.baseUrl}/b/plain/consent/unsubscribe?token=bad`)).text();
    expect(html).toContain('<strong>plain</strong>');
  });
});
