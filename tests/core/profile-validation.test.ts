/**
 * Profile save validation: every module's settings are checked when a profile layer is written (for the brand and
 * the brands below it), a profile has one size limit on both engines, and a stored profile that today's checks
 * refuse answers a coded 409 naming the field where it is read, never a 500.
 */
import { Writable } from 'node:stream';
import { startTestSuite, createBrand, postHook, count, PROVIDER_PROFILE, type TestSuite } from '../helpers/test-suite';
import { createLogger } from '../../core/logger';
import { PROFILE_MAX_BYTES } from '../../core/brands/brand-service';
import { DEFAULT_PROFILE } from '../../core/profile/defaults';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are read field by field in assertions
type Json = Record<string, any>;

let t: TestSuite;
let owner: string;
const logLines: string[] = [];
const actor = { type: 'cli' as const, id: 'test' };

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${t.baseUrl}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${owner}` }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? (JSON.parse(text) as Json) : { text } };
}

/** The stored layer of a brand and the number of audit rows: what a refused save must leave as it was. */
async function snapshot(slug: string): Promise<{ profile: string | null; audit: number; brands: number }> {
  const row = (await t.suite.kernel.db('brands').where({ slug }).first('profile')) as { profile: string | null } | undefined;
  return { profile: row?.profile ?? null, audit: await count(t.suite, 'audit_log'), brands: await count(t.suite, 'brands') };
}

/** Writes a stored layer directly, as a profile saved before module settings were checked would be. */
async function storeRaw(slug: string, profile: Record<string, unknown>): Promise<void> {
  await t.suite.kernel.db('brands').where({ slug }).update({ profile: JSON.stringify(profile) });
  t.suite.kernel.brands.invalidate();
}

/** The default purposes plus `extra` (a parent's purpose register replaces the default one as a whole). */
const purposes = (...extra: { code: string; description: string; legalBasis: string }[]): unknown[] => [...(DEFAULT_PROFILE.purposes as unknown[]), ...extra];
const withModules = (modules: Record<string, unknown>): Record<string, unknown> => ({ ...PROVIDER_PROFILE, modules });

beforeAll(async () => {
  const sink = new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } });
  t = await startTestSuite({ logger: createLogger('warn', sink) });
  await createBrand(t.suite, 'shop');
  await createBrand(t.suite, 'parent', { profile: { ...PROVIDER_PROFILE, purposes: purposes({ code: 'newsletter', description: 'Newsletter', legalBasis: 'consent' }) } });
  await createBrand(t.suite, 'child', { parent: 'parent', profile: { controller: { name: 'Child BV', email: 'dpo@child.example' }, recipients: [{ code: 'mailer', name: 'Mailer', kind: 'email', purposes: ['newsletter'] }] } });
  await createBrand(t.suite, 'legacy');
  owner = (await t.suite.apiKeys.create({ role: 'owner' }, actor)).key;
});
afterAll(() => t.close());

describe('module settings are validated when a profile is saved', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a cookie origin that is not an origin', { consent: { cookies: { allowedOrigins: ['x'] } } }, 'profile.modules.consent.cookies.allowedOrigins.0'],
    ['an empty cookie policy URL', { consent: { cookies: { policyUrl: '' } } }, 'profile.modules.consent.cookies.policyUrl'],
    ['an export link lifetime that is not a number', { rights: { export: { linkTtlHours: 'x' } } }, 'profile.modules.rights.export.linkTtlHours'],
    ['a negative code lifetime', { rights: { verification: { codeTtlMinutes: -5 } } }, 'profile.modules.rights.verification.codeTtlMinutes'],
    ['an RDAP contact form that is not a URL', { rdap: { contactFormUrl: 'not a url' } }, 'profile.modules.rdap.contactFormUrl'],
  ];

  it.each(cases)('PUT profile refuses %s with 400 naming the full path, and writes nothing', async (_what, modules, field) => {
    const before = await snapshot('shop');
    const res = await api('PUT', '/api/v1/admin/brands/shop/profile', withModules(modules));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('SUITE_VALIDATION_FAILED');
    expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    expect(await snapshot('shop')).toEqual(before);
    // And everything the module serves still works.
    expect((await fetch(`${t.baseUrl}/b/shop/consent/cookie-banner.js`)).status).toBe(200);
  });

  it('valid module settings are saved and read back', async () => {
    const res = await api('PUT', '/api/v1/admin/brands/shop/profile', withModules({ consent: { cookies: { allowedOrigins: ['https://www.shop.example'] } }, rdap: { contactFormUrl: 'https://shop.example/contact' } }));
    expect(res.status).toBe(200);
    const settings = await t.suite.kernel.settings<Json>('consent', await t.suite.kernel.brands.get('shop'));
    expect(settings.cookies.allowedOrigins).toEqual(['https://www.shop.example']);
  });

  it('brand create refuses bad module settings the same way (API and in-process), and creates nothing', async () => {
    const before = await snapshot('newbrand');
    const res = await api('POST', '/api/v1/admin/brands', { slug: 'newbrand', name: 'New', profile: withModules({ rights: { export: { linkTtlHours: 'x' } } }) });
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual(['profile.modules.rights.export.linkTtlHours']);
    await expect(t.suite.kernel.brands.create({ slug: 'newbrand', name: 'New', profile: withModules({ rdap: { contactFormUrl: 'not a url' } }) }, actor))
      .rejects.toMatchObject({ code: 'SUITE_VALIDATION_FAILED', fields: [{ field: 'profile.modules.rdap.contactFormUrl' }] });
    expect(await snapshot('newbrand')).toEqual(before);
  });

  it('a change that would make a brand below invalid is refused naming the brand and the field; nothing is written', async () => {
    const before = await snapshot('parent');
    // The child's recipient uses the parent's purpose "newsletter": dropping it from the parent breaks the child.
    const res = await api('PUT', '/api/v1/admin/brands/parent/profile', { ...PROVIDER_PROFILE, purposes: purposes({ code: 'offers', description: 'Offers', legalBasis: 'consent' }) });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ field: 'profile.recipients.0.purposes.0', message: expect.stringContaining('brand child') }]);
    expect(await snapshot('parent')).toEqual(before);
    const child = await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get('child'));
    expect(child.recipients[0].purposes).toEqual(['newsletter']);
    // A change that leaves the child's profile valid is accepted.
    expect((await api('PUT', '/api/v1/admin/brands/parent/profile', { ...PROVIDER_PROFILE, purposes: purposes({ code: 'newsletter', description: 'News', legalBasis: 'consent' }) })).status).toBe(200);
  });
});

describe('a stored profile that today\'s checks refuse (saved before them)', () => {
  beforeAll(async () => {
    await storeRaw('legacy', withModules({ consent: { cookies: { allowedOrigins: ['x'] } }, rights: { export: { linkTtlHours: 'x' } }, rdap: { contactFormUrl: 'not a url' } }));
  });

  it('the modules that read it answer 409 SUITE_PROFILE_STORED_INVALID naming the field, never 500', async () => {
    const banner = await fetch(`${t.baseUrl}/b/legacy/consent/cookie-banner.js`);
    expect(banner.status).toBe(409);
    const body = (await banner.json()) as Json;
    expect(body).toMatchObject({ code: 'SUITE_PROFILE_STORED_INVALID', fields: [{ field: 'profile.modules.consent.cookies.allowedOrigins.0' }] });

    const cookies = await fetch(`${t.baseUrl}/b/legacy/consent/cookies`, { headers: { origin: 'https://www.legacy.example' } });
    expect(cookies.status).toBe(409);

    const queue = await api('GET', '/api/v1/admin/brands/legacy/modules/rights/requests');
    expect(queue.status).toBe(409);
    expect(queue.body.fields.map((f: { field: string }) => f.field)).toEqual(['profile.modules.rights.export.linkTtlHours']);

    const intake = await fetch(`${t.baseUrl}/b/legacy/rights/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'access', email: 'a@example.org' }) });
    expect(intake.status).toBe(409);

    await expect(t.suite.kernel.settings('rdap', await t.suite.kernel.brands.get('legacy'))).rejects.toMatchObject({ code: 'SUITE_PROFILE_STORED_INVALID', status: 409, fields: [{ field: 'profile.modules.rdap.contactFormUrl' }] });
  });

  it('a hook bound to the broken module answers 409 and writes nothing; one that is not still runs', async () => {
    const secret = (await t.suite.kernel.brands.hookSecrets(await t.suite.kernel.brands.get('legacy')))[0];
    const subjects = await count(t.suite, 'subjects');
    const idem = await count(t.suite, 'idempotency_keys');
    const vetoable = await postHook(t.baseUrl, 'ClientDetailsValidation', secret, { brand: 'legacy', vars: { email: 'a@example.org', firstname: 'A', lastname: 'B' } });
    expect(vetoable.status).toBe(409);
    expect(vetoable.body).toMatchObject({ code: 'SUITE_PROFILE_STORED_INVALID', fields: [{ field: 'profile.modules.consent.cookies.allowedOrigins.0' }] });
    expect(await count(t.suite, 'idempotency_keys')).toBe(idem);
    expect(await count(t.suite, 'subjects')).toBe(subjects);
    const unrelated = await postHook(t.baseUrl, 'ContactDelete', secret, { brand: 'legacy', vars: { userid: 1, contactid: 2 } });
    expect(unrelated.status).toBe(200);
  });

  it('the invalid fields are logged (paths only), and the admin can read and repair the profile', async () => {
    const line = logLines.find((l) => l.includes('stored privacy profile is invalid'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ brand: 'legacy', invalid: expect.arrayContaining(['profile.modules.consent.cookies.allowedOrigins.0', 'profile.modules.rdap.contactFormUrl']) });
    expect((await api('GET', '/api/v1/admin/brands/legacy/profile')).status).toBe(200);
    expect((await api('PUT', '/api/v1/admin/brands/legacy/profile', withModules({}))).status).toBe(200);
    expect((await fetch(`${t.baseUrl}/b/legacy/consent/cookie-banner.js`)).status).toBe(200);
  });
});

describe('one profile size limit on both engines', () => {
  const padded = (bytes: number): Record<string, unknown> => ({ ...PROVIDER_PROFILE, policy: { noticePeriodDays: 30 }, modules: { platform: { note: 'x'.repeat(bytes) } } });

  it(`a profile of about 200 kB (over MySQL's 64 kB TEXT) is stored and read back on both engines`, async () => {
    const res = await api('PUT', '/api/v1/admin/brands/shop/profile', padded(200 * 1024));
    expect(res.status).toBe(200);
    t.suite.kernel.brands.invalidate();
    const p = await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get('shop'));
    expect(String((p.modules.platform as Json).note).length).toBe(200 * 1024);
  });

  it(`a profile over ${PROFILE_MAX_BYTES} bytes is refused with 413 naming profile, before anything is written`, async () => {
    const before = await snapshot('shop');
    const res = await api('PUT', '/api/v1/admin/brands/shop/profile', padded(PROFILE_MAX_BYTES));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'SUITE_BODY_TOO_LARGE', fields: [{ field: 'profile' }] });
    expect(await snapshot('shop')).toEqual(before);
    const created = await api('POST', '/api/v1/admin/brands', { slug: 'bigbrand', name: 'Big', profile: padded(PROFILE_MAX_BYTES) });
    expect(created.status).toBe(413);
    expect(await t.suite.kernel.brands.find('bigbrand')).toBeUndefined();
  });
});
