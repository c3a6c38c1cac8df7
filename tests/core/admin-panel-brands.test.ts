/**
 * Issue 14: the admin panel's brands page (list, create by form with the hook secret shown once, a reseller only below
 * its brands) and privacy profile page (effective profile shown, own layer edited by form, each invalid field named,
 * nothing written on error, a reseller may not change the access table; another brand 403 audited; CSRF; escaping).
 */
import { createPanelUser, PanelClient, type Answer } from '../helpers/admin-browser';
import { createBrand, postHook, PROVIDER_PROFILE, startTestSuite, type TestSuite } from '../helpers/test-suite';

let t: TestSuite;
const actor = { type: 'cli', id: 'test' } as const;

const ACME_PROFILE = {
  ...PROVIDER_PROFILE,
  purposes: [
    { code: 'billing', description: 'Invoices and payments', legalBasis: 'contract' },
    { code: 'newsletter', description: 'Our newsletter', legalBasis: 'consent', requiresConsent: true },
  ],
  recipients: [{ code: 'stripe', name: 'Stripe Payments Europe', kind: 'payment', country: 'IE', purposes: ['billing'], categories: ['billing'] }],
  retention: [{ category: 'usage', from: 'collected', days: 90, action: 'delete' }],
};

beforeAll(async () => {
  t = await startTestSuite();
  await createBrand(t.suite, 'acme', { profile: ACME_PROFILE });
  await createBrand(t.suite, 'globex');
  await createBrand(t.suite, 'acme-resale', { parent: 'acme', profile: { controller: { name: 'Resale BV', email: 'dpo@resale.example', country: 'NL' } } });
  await t.suite.kernel.brands.create({ slug: 'xss', name: '<script>alert(1)</script>', profile: { controller: { name: 'X Ltd', email: 'dpo@x.example', country: 'GB' } } }, actor);
  await createPanelUser(t.suite.kernel, 'owner@example.com', 'owner');
  await createPanelUser(t.suite.kernel, 'auditor@example.com', 'auditor');
  await createPanelUser(t.suite.kernel, 'reseller@example.com', 'reseller', 'acme-resale');
});
afterAll(() => t.close());

const login = (email: string, headers: Record<string, string> = {}) => new PanelClient(t.baseUrl, headers).login(email);

/** The brand's stored layer, as the database holds it. */
async function storedLayer(slug: string): Promise<string | null> {
  return ((await t.suite.kernel.db('brands').where({ slug }).first('profile')) as { profile: string | null }).profile;
}

async function auditCount(action: string): Promise<number> {
  return (await t.suite.kernel.audit.list({ action, limit: 1000 })).length;
}

async function brandCount(): Promise<number> {
  return (await t.suite.kernel.brands.list()).length;
}

function decode(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&#x60;/g, '`').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The profile form's fields as the page fills them (what a browser would submit unchanged). */
function profileForm(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input id="f-[^"]+" name="([^"]+)" type="[^"]+" value="([^"]*)"/g)) out[m[1]] = decode(m[2]);
  const layer = /<textarea id="f-layer" name="layer"[^>]*>([\s\S]*?)<\/textarea>/.exec(html);
  if (layer) out.layer = decode(layer[1]);
  return out;
}

/** The list items of the page's error summary (role="alert"). */
function alertItems(html: string): string[] {
  const box = /<div role="alert"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
  return [...box.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => decode(m[1].replace(/<[^>]+>/g, '')));
}

/** The opening tag of the input with this id. */
function inputTag(html: string, id: string): string {
  return new RegExp(`<(?:input|textarea|select) id="${id}"[^>]*>`).exec(html)?.[0] ?? '';
}

describe('admin panel: brands', () => {
  it('an owner sees every brand with slug, parent, language and links to its sections, and the new-brand form', async () => {
    const b = await login('owner@example.com');
    const page = await b.get('/admin/brands');
    expect(page.status).toBe(200);
    for (const slug of ['acme', 'globex', 'acme-resale', 'xss']) {
      expect(page.html).toContain(`data-brand="${slug}"`);
      expect(page.html).toContain(`href="/admin/brands/${slug}/modules"`);
      expect(page.html).toContain(`href="/admin/brands/${slug}/profile"`);
    }
    const row = /<tr data-brand="acme-resale">([\s\S]*?)<\/tr>/.exec(page.html)![1];
    expect(row).toContain('Reseller');
    expect(row).toMatch(/<td>acme<\/td>\s*<td>en<\/td>/);
    expect(page.html).toContain('action="/admin/brands"');
    expect(page.html).toContain('None (a provider brand)');
  });

  it('an owner creates a brand by the form: the hook secret is shown once (and works), audited, never shown again', async () => {
    const b = await login('owner@example.com');
    const before = await auditCount('brand.create');
    const res = await b.submit('/admin/brands', '/admin/brands', { slug: 'initech', name: 'Initech Hosting', parent: '', controllerName: 'Initech Ltd', controllerEmail: 'privacy@initech.example', controllerCountry: 'gb' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const secret = /id="hook-secret"[^>]*value="(whsec_[A-Za-z0-9_-]+)"/.exec(res.html)?.[1];
    expect(secret).toMatch(/^whsec_/);
    expect(res.html).toContain('shown only this once');
    expect(res.html).toContain('data-created="initech"');
    const brand = await t.suite.kernel.brands.get('initech');
    expect(brand).toMatchObject({ name: 'Initech Hosting', kind: 'provider', parentId: null });
    expect((await t.suite.kernel.brands.profile(brand)).controller).toMatchObject({ name: 'Initech Ltd', email: 'privacy@initech.example', country: 'GB' });
    expect(await auditCount('brand.create')).toBe(before + 1);
    expect((await t.suite.kernel.audit.list({ action: 'brand.create', limit: 1 }))[0]).toMatchObject({ actor: expect.stringMatching(/^user:\d+$/), target_id: 'initech' });
    // The secret shown is the brand's: a hook call signed with it is accepted.
    const hook = await postHook(t.baseUrl, 'ClientAdd', secret!, { brand: 'initech', vars: { client_id: 1, firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.org', country: 'GB' } });
    expect(hook.status).toBe(200);
    const again = await b.get('/admin/brands');
    expect(again.html).toContain('data-brand="initech"');
    expect(again.html).not.toContain(secret!);
    expect((await b.get('/admin/brands/initech/profile')).html).not.toContain(secret!);
  });

  it('bad input names each field, keeps what was typed and creates nothing; a taken slug names the slug', async () => {
    const b = await login('owner@example.com');
    const before = await brandCount();
    const res = await b.submit('/admin/brands', '/admin/brands', { slug: 'Bad Slug!', name: ' ', parent: '', controllerName: 'Bad Ltd', controllerEmail: 'bad@example.com', controllerCountry: '' });
    expect(res.status).toBe(400);
    const items = alertItems(res.html);
    expect(items).toEqual(['Slug (used in addresses): lower-case letters, digits and dashes, 2–63 characters', 'Display name: a display name is required']);
    expect(inputTag(res.html, 'b-slug')).toContain('aria-invalid="true"');
    expect(inputTag(res.html, 'b-slug')).toContain('aria-describedby="b-slug-hint b-slug-error"');
    expect(inputTag(res.html, 'b-slug')).toContain('value="Bad Slug!"');
    expect(inputTag(res.html, 'b-name')).toContain('aria-invalid="true" aria-describedby="b-name-error"');
    expect(inputTag(res.html, 'b-controllerEmail')).not.toContain('aria-invalid');
    expect(inputTag(res.html, 'b-controllerName')).toContain('value="Bad Ltd"');

    // The controller is checked as part of the brand's profile, once the brand's own fields are right.
    const email = await b.submit('/admin/brands', '/admin/brands', { slug: 'bad-email', name: 'Bad', parent: '', controllerName: 'Bad Ltd', controllerEmail: 'nope', controllerCountry: '' });
    expect(email.status).toBe(400);
    expect(alertItems(email.html)).toEqual([expect.stringMatching(/^Data controller: e-mail address: /)]);
    expect(inputTag(email.html, 'b-controllerEmail')).toMatch(/value="nope" autocomplete="email" aria-invalid="true" aria-describedby="b-controllerEmail-error"/);
    expect(inputTag(email.html, 'b-slug')).not.toContain('aria-invalid');
    expect(await brandCount()).toBe(before);

    const taken = await b.submit('/admin/brands', '/admin/brands', { slug: 'globex', name: 'Again', parent: '', controllerName: 'G Ltd', controllerEmail: 'g@example.com', controllerCountry: 'GB' });
    expect(taken.status).toBe(409);
    expect(alertItems(taken.html)).toEqual(['Slug (used in addresses): the slug "globex" is already taken']);
    expect(await brandCount()).toBe(before);

    // A reseller brand must name its own controller (the brand service's rule), in the reader's language.
    const de = await login('owner@example.com', { 'accept-language': 'de' });
    const noController = await de.submit('/admin/brands', '/admin/brands', { slug: 'acme-two', name: 'Acme Two', parent: 'acme', controllerName: '', controllerEmail: '', controllerCountry: '' });
    expect(noController.status).toBe(400);
    expect(inputTag(noController.html, 'b-controllerName')).toContain('aria-invalid="true"');
    expect(noController.html).toContain('Verantwortlicher: Name');
    expect(await brandCount()).toBe(before);
  });

  it('a reseller sees only its brands, may add one below them, and is refused (403, audited) outside its tree', async () => {
    const b = await login('reseller@example.com');
    const page = await b.get('/admin/brands');
    expect(page.html).toContain('data-brand="acme-resale"');
    expect(page.html).not.toContain('data-brand="acme"');
    expect(page.html).not.toContain('data-brand="globex"');
    expect(page.html).not.toContain('None (a provider brand)'); // no brand outside its tree to choose
    expect(page.html).not.toMatch(/<option value="(acme|globex)"/);

    const below = await b.submit('/admin/brands', '/admin/brands', { slug: 'resale-sub', name: 'Resale Sub', parent: 'acme-resale', controllerName: 'Sub BV', controllerEmail: 'dpo@sub.example', controllerCountry: 'NL' });
    expect(below.status).toBe(201);
    expect((await t.suite.kernel.brands.get('resale-sub')).parentId).toBe((await t.suite.kernel.brands.get('acme-resale')).id);

    const before = await brandCount();
    const refusedBefore = await auditCount('admin.brand.forbidden');
    const outside = await b.submit('/admin/brands', '/admin/brands', { slug: 'sneaky', name: 'Sneaky', parent: 'globex', controllerName: 'S Ltd', controllerEmail: 's@example.com', controllerCountry: 'GB' });
    expect(outside.status).toBe(403);
    expect(outside.html).toContain('may not open this brand');
    const noParent = await b.submit('/admin/brands', '/admin/brands', { slug: 'sneaky', name: 'Sneaky', parent: '', controllerName: 'S Ltd', controllerEmail: 's@example.com', controllerCountry: 'GB' });
    expect(noParent.status).toBe(403);
    expect(await brandCount()).toBe(before);
    expect(await t.suite.kernel.brands.find('sneaky')).toBeUndefined();
    const audit = await t.suite.kernel.audit.list({ action: 'admin.brand.forbidden', limit: 1 });
    expect(await auditCount('admin.brand.forbidden')).toBe(refusedBefore + 1);
    expect(audit[0]).toMatchObject({ brand_id: (await t.suite.kernel.brands.get('globex')).id, target_id: 'globex', actor: expect.stringMatching(/^user:\d+$/) });
  });

  it('a read-only role sees the list without the form; its post is 403 and creates nothing', async () => {
    const b = await login('auditor@example.com');
    const page = await b.get('/admin/brands');
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-brand="acme"');
    expect(page.html).not.toContain('action="/admin/brands"');
    const before = await brandCount();
    const res = await b.post('/admin/brands', { _csrf: await b.csrf('/admin/brands'), slug: 'nope-ro', name: 'No', controllerName: 'N', controllerEmail: 'n@example.com' });
    expect(res.status).toBe(403);
    expect(await brandCount()).toBe(before);
  });

  it('a post without the CSRF token is 403 and creates nothing; without a session the page goes to the log-in', async () => {
    const b = await login('owner@example.com');
    const before = await brandCount();
    expect((await b.post('/admin/brands', { slug: 'no-csrf', name: 'No', controllerName: 'N', controllerEmail: 'n@example.com' })).status).toBe(403);
    expect(await brandCount()).toBe(before);
    const anon = await new PanelClient(t.baseUrl).get('/admin/brands');
    expect(anon.status).toBe(303);
    expect(anon.location).toBe('/admin');
  });

  it('escapes a brand named <script>alert(1)</script> on the list and on its profile page', async () => {
    const b = await login('owner@example.com');
    for (const p of ['/admin/brands', '/admin/brands/xss/profile']) {
      const page = await b.get(p);
      expect(page.status).toBe(200);
      expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page.html).not.toContain('<script>alert(1)</script>');
    }
  });
});

describe('admin panel: privacy profile', () => {
  it('shows the effective profile readably and the own layer in the form (structured fields above the JSON)', async () => {
    const b = await login('owner@example.com');
    const page = await b.get('/admin/brands/acme-resale/profile');
    expect(page.status).toBe(200);
    // Effective: the reseller's controller, its parent's purposes, recipients, retention, the access table.
    expect(page.html).toContain('Resale BV');
    expect(page.html).toMatch(/<code>billing<\/code><\/th><td>Invoices and payments<\/td><td>performance of our contract with you \(<code>contract<\/code>\)/);
    expect(page.html).toContain('Stripe Payments Europe</td><td>payment</td><td>IE</td>');
    expect(page.html).toMatch(/<code>usage<\/code><\/th><td><code>collected<\/code><\/td><td>90<\/td><td><code>delete<\/code>/);
    expect(page.html).toMatch(/data-access="mail-content"><th scope="row">Mail content \(<code>mail-content<\/code>\)<\/th><td>spam-control<\/td>/);
    expect(page.html).toContain('href="/admin/brands/acme-resale/profile" aria-current="page"');
    // Own layer: the controller in the structured inputs, the rest (nothing) in the JSON.
    const form = profileForm(page.html);
    expect(form['controller.name']).toBe('Resale BV');
    expect(form['controller.email']).toBe('dpo@resale.example');
    expect(form['controller.country']).toBe('NL');
    expect(form['branding.primaryColor']).toBe('');
    expect(JSON.parse(form.layer)).toEqual({});
  });

  it('an owner edits the profile: saved through the brand service (audited), 303 with a flash, the effective profile changes', async () => {
    const b = await login('owner@example.com');
    const page = await b.get('/admin/brands/acme/profile');
    const form = profileForm(page.html);
    const layer = JSON.parse(form.layer) as Record<string, unknown>;
    expect(layer.purposes).toHaveLength(2); // the own layer's other settings are in the JSON
    layer.consent = { doubleOptIn: true };
    const before = await auditCount('brand.profile.update');
    const res = await b.submit('/admin/brands/acme/profile', '/admin/brands/acme/profile', {
      ...form, layer: JSON.stringify(layer), 'controller.dpo': 'dpo@test-hosting.example', 'branding.primaryColor': '#123456', locale: 'de',
    });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/admin/brands/acme/profile?flash=saved');
    const after = await b.get(res.location!);
    expect(after.html).toContain('<p role="status">The privacy profile has been saved.</p>');
    expect(after.html).toContain('<dd data-effective="primaryColor"><code>#123456</code></dd>');
    const profile = await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get('acme'));
    expect(profile.branding?.primaryColor).toBe('#123456');
    expect(profile.controller).toMatchObject({ name: 'Test Hosting Ltd', dpo: 'dpo@test-hosting.example' });
    expect(profile.locale).toBe('de');
    expect(profile.consent.doubleOptIn).toBe(true);
    expect(profile.purposes).toHaveLength(2);
    // The brand below inherits it.
    expect((await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get('acme-resale'))).branding?.primaryColor).toBe('#123456');
    expect(await auditCount('brand.profile.update')).toBe(before + 1);
    expect((await t.suite.kernel.audit.list({ action: 'brand.profile.update', limit: 1 }))[0]).toMatchObject({ actor: expect.stringMatching(/^user:\d+$/), target_id: 'acme' });
    expect(profileForm(after.html)['branding.primaryColor']).toBe('#123456');
  });

  it('an invalid edit comes back (400) naming each field with its message, keeps the input and writes nothing', async () => {
    const b = await login('owner@example.com');
    const page = await b.get('/admin/brands/globex/profile');
    const form = profileForm(page.html);
    const stored = await storedLayer('globex');
    const effective = await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get('globex'));
    const audits = await auditCount('brand.profile.update');

    const res = await b.submit('/admin/brands/globex/profile', '/admin/brands/globex/profile', { ...form, 'controller.email': 'nope', 'branding.primaryColor': 'red' });
    expect(res.status).toBe(400);
    const items = alertItems(res.html);
    expect(items).toContain('branding.primaryColor: a colour as #rrggbb, e.g. "#1f4f8f"');
    expect(items.some((i) => i.startsWith('controller.email: '))).toBe(true);
    expect(items).toHaveLength(2);
    expect(res.html).toContain('href="#f-branding-primaryColor"');
    expect(inputTag(res.html, 'f-branding-primaryColor')).toMatch(/value="red" size="50" aria-invalid="true" aria-describedby="f-branding-primaryColor-hint f-branding-primaryColor-error"/);
    expect(inputTag(res.html, 'f-controller-email')).toMatch(/value="nope" size="50" aria-invalid="true" aria-describedby="f-controller-email-error"/);
    expect(inputTag(res.html, 'f-controller-name')).not.toContain('aria-invalid');
    expect(res.html).toContain('id="f-branding-primaryColor-error" class="field-error">a colour as #rrggbb');

    // Malformed JSON names `layer`; the text typed is kept.
    const bad = await b.submit('/admin/brands/globex/profile', '/admin/brands/globex/profile', { ...form, layer: '{"purposes": [' });
    expect(bad.status).toBe(400);
    expect(alertItems(bad.html)).toEqual([expect.stringMatching(/^layer: not valid JSON/)]);
    expect(inputTag(bad.html, 'f-layer')).toContain('aria-invalid="true"');
    expect(bad.html).toContain('>{&quot;purposes&quot;: [</textarea>');
    const notObject = await b.submit('/admin/brands/globex/profile', '/admin/brands/globex/profile', { ...form, layer: '[1, 2]' });
    expect(notObject.status).toBe(400);
    expect(alertItems(notObject.html)).toEqual(['layer: must be a JSON object, written { … }']);

    // A problem inside the JSON is named by its path and marks the textarea; in the reader's language.
    const de = await login('owner@example.com', { 'accept-language': 'de' });
    const deForm = profileForm((await de.get('/admin/brands/globex/profile')).html);
    const sale = await de.submit('/admin/brands/globex/profile', '/admin/brands/globex/profile', {
      ...deForm, layer: JSON.stringify({ purposes: [{ code: 'sale', description: 'Selling', legalBasis: 'consent' }] }), 'branding.primaryColor': 'red',
    });
    expect(sale.status).toBe(400);
    expect(alertItems(sale.html)).toEqual(expect.arrayContaining([expect.stringMatching(/^purposes\.0\.code: /), expect.stringMatching(/^branding\.primaryColor: /)]));
    expect(sale.html).toContain('Es wurde nichts gespeichert.');
    expect(inputTag(sale.html, 'f-layer')).toContain('aria-invalid="true"');

    expect(await storedLayer('globex')).toBe(stored);
    expect(await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get('globex'))).toEqual(effective);
    expect(await auditCount('brand.profile.update')).toBe(audits);
  });

  it('a layer over the size limit is refused (413) naming layer; a stored profile that is invalid today is named and can be corrected', async () => {
    const b = await login('owner@example.com');
    const form = profileForm((await b.get('/admin/brands/globex/profile')).html);
    const stored = await storedLayer('globex');
    const big = await b.submit('/admin/brands/globex/profile', '/admin/brands/globex/profile', { ...form, layer: JSON.stringify({ ...PROVIDER_PROFILE, padding: 'x'.repeat(300 * 1024) }) });
    expect(big.status).toBe(413);
    expect(alertItems(big.html)).toEqual([expect.stringMatching(/^layer: The profile is \d+ bytes; at most 262144 bytes can be stored\.$/)]);
    expect(await storedLayer('globex')).toBe(stored);

    // Written before a check existed: the page still opens, names the field, and the form corrects it.
    await createBrand(t.suite, 'broken');
    await t.suite.kernel.db('brands').where({ slug: 'broken' }).update({ profile: JSON.stringify({ ...PROVIDER_PROFILE, branding: { primaryColor: 'blue' } }) });
    t.suite.kernel.brands.invalidate();
    const page = await b.get('/admin/brands/broken/profile');
    expect(page.status).toBe(200);
    expect(page.html).toContain('The stored profile is not valid any more');
    expect(page.html).toContain('<code>branding.primaryColor</code>: a colour as #rrggbb');
    const fixed = await b.submit('/admin/brands/broken/profile', '/admin/brands/broken/profile', { ...profileForm(page.html), 'branding.primaryColor': '#0000ff' });
    expect(fixed.status).toBe(303);
    expect((await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get('broken'))).branding?.primaryColor).toBe('#0000ff');
  });

  it('MS-1.2: a reseller may edit its brand but not the access table (access.<category> named, nothing written); an owner may', async () => {
    const b = await login('reseller@example.com');
    const page = await b.get('/admin/brands/acme-resale/profile');
    expect(page.status).toBe(200);
    const form = profileForm(page.html);
    const ok = await b.submit('/admin/brands/acme-resale/profile', '/admin/brands/acme-resale/profile', { ...form, 'branding.name': 'Resale Hosting' });
    expect(ok.status).toBe(303);
    expect((await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get('acme-resale'))).branding?.name).toBe('Resale Hosting');

    const stored = await storedLayer('acme-resale');
    const grab = { access: { 'identity-document': ['owner', 'admin', 'reseller'], billing: ['owner', 'admin', 'reseller'] } };
    const res = await b.submit('/admin/brands/acme-resale/profile', '/admin/brands/acme-resale/profile', { ...profileForm((await b.get('/admin/brands/acme-resale/profile')).html), layer: JSON.stringify(grab) });
    expect(res.status).toBe(400);
    expect(alertItems(res.html)).toEqual(['access.identity-document: only a key for every brand (owner or admin) may change who reads a data category']);
    expect(await storedLayer('acme-resale')).toBe(stored);

    const owner = await login('owner@example.com');
    const ownerForm = profileForm((await owner.get('/admin/brands/acme-resale/profile')).html);
    const granted = await owner.submit('/admin/brands/acme-resale/profile', '/admin/brands/acme-resale/profile', { ...ownerForm, layer: JSON.stringify(grab) });
    expect(granted.status).toBe(303);
    expect((await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get('acme-resale'))).access['identity-document']).toEqual(['owner', 'admin', 'reseller']);
  });

  it('another brand\'s profile (GET or POST) is 403 for a reseller and audited; nothing written', async () => {
    const b = await login('reseller@example.com');
    const token = await b.csrf('/admin/brands/acme-resale/profile');
    const refused = await auditCount('admin.brand.forbidden');
    const stored = await storedLayer('globex');
    const get = await b.get('/admin/brands/globex/profile');
    expect(get.status).toBe(403);
    expect(get.html).not.toContain('Test Hosting Ltd');
    const post = await b.post('/admin/brands/globex/profile', { _csrf: token, layer: '{}', 'branding.primaryColor': '#000000' });
    expect(post.status).toBe(403);
    expect(await storedLayer('globex')).toBe(stored);
    const entries = await t.suite.kernel.audit.list({ action: 'admin.brand.forbidden', limit: 2 });
    expect(await auditCount('admin.brand.forbidden')).toBe(refused + 2);
    expect(entries.map((e) => e.target_id)).toEqual(['globex', 'globex']);
    expect(entries.map((e) => (e.details as { method: string }).method).sort()).toEqual(['GET', 'POST']);
  });

  it('a read-only role sees the profile and its own layer without a form; its post is 403 and writes nothing', async () => {
    const b = await login('auditor@example.com');
    const page = await b.get('/admin/brands/acme/profile');
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('action="/admin/brands/acme/profile"');
    expect(page.html).not.toContain('<textarea');
    expect(page.html).toContain('Your role may only read');
    expect(page.html).toContain('&quot;primaryColor&quot;: &quot;#123456&quot;'); // the own layer, read-only
    const stored = await storedLayer('acme');
    const res = await b.post('/admin/brands/acme/profile', { _csrf: await b.csrf('/admin/brands/acme/profile'), layer: '{}', 'controller.name': 'Auditor was here' });
    expect(res.status).toBe(403);
    expect(await storedLayer('acme')).toBe(stored);
  });

  it('a post without the CSRF token is 403 and writes nothing; an unknown brand is 404', async () => {
    const b = await login('owner@example.com');
    const stored = await storedLayer('acme');
    const form = profileForm((await b.get('/admin/brands/acme/profile')).html);
    const res: Answer = await b.post('/admin/brands/acme/profile', { ...form, 'branding.primaryColor': '#000000' });
    expect(res.status).toBe(403);
    expect(await storedLayer('acme')).toBe(stored);
    expect((await b.get('/admin/brands/nope/profile')).status).toBe(404);
  });
});
