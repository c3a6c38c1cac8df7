/** Brands, resellers and privacy profiles: validation, resolution brand → reseller → provider → default, registers. */
import { startTestSuite, createBrand, type TestSuite } from '../helpers/test-suite';
import { requirePurpose, requireTransfer } from '../../core/registers/processing-register';
import { SuiteError } from '../../core/errors';

let t: TestSuite;
const actor = { type: 'cli' as const, id: 'test' };

beforeAll(async () => {
  t = await startTestSuite({ http: false });
  await createBrand(t.suite, 'provider', { profile: { controller: { name: 'Provider Ltd', email: 'dpo@provider.example' }, rights: { dueBusinessDays: 3 }, consent: { minimumAge: 13 } } });
  await createBrand(t.suite, 'reseller', { parent: 'provider', profile: { controller: { name: 'Reseller BV', email: 'privacy@reseller.example' }, consent: { model: 'opt-out' } } });
});
afterAll(() => t.close());

describe('brands and profiles', () => {
  it('WSM-25: a reseller brand must name its own data controller', async () => {
    await expect(t.suite.kernel.brands.create({ slug: 'nameless', name: 'Nameless', parent: 'provider', profile: {} }, actor)).rejects.toMatchObject({ code: 'SUITE_VALIDATION_FAILED', fields: [{ field: 'profile.controller' }] });
    expect(await t.suite.kernel.brands.find('nameless')).toBeUndefined();
  });

  it('settings resolve brand → reseller → provider → default', async () => {
    const p = await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get('reseller'));
    expect(p.controller?.name).toBe('Reseller BV'); // its own
    expect(p.consent.model).toBe('opt-out'); // its own
    expect(p.consent.minimumAge).toBe(13); // from the provider
    expect(p.rights.dueBusinessDays).toBe(3); // from the provider
    expect(p.cookies.mode).toBe('opt-in'); // default
    expect(p.purposes.map((x) => x.code)).toContain('billing'); // default register
  });

  it('an invalid profile is refused naming the field, and nothing is saved', async () => {
    await expect(t.suite.kernel.brands.setProfile('provider', { controller: { name: 'P', email: 'not-an-email' } }, actor)).rejects.toMatchObject({ fields: [{ field: 'profile.controller.email' }] });
    const p = await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get('provider'));
    expect(p.controller?.email).toBe('dpo@provider.example');
  });

  it('a bad slug is refused naming the field', async () => {
    await expect(t.suite.kernel.brands.create({ slug: 'Bad Slug!', name: 'x' }, actor)).rejects.toMatchObject({ fields: [{ field: 'slug' }] });
  });

  it('WSM-11: no recipient may be registered with the purpose "sale"', async () => {
    const profile = { controller: { name: 'P', email: 'dpo@p.example' }, recipients: [{ code: 'adnet', name: 'Ad network', kind: 'partner', purposes: ['sale'] }] };
    await expect(t.suite.kernel.brands.setProfile('provider', profile, actor)).rejects.toMatchObject({ fields: [{ field: 'profile.recipients.0.purposes.0' }] });
    const p = await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get('provider'));
    expect(() => requirePurpose(p, 'sale')).toThrow(SuiteError);
  });

  it('MS-3 / TOS-1: a processing step must name a registered purpose; MS-5.1: a transfer a registered recipient allowed for it', async () => {
    const p = await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get('provider'));
    expect(requirePurpose(p, 'billing').legalBasis).toBe('contract');
    expect(() => requirePurpose(p, 'profiling')).toThrow(expect.objectContaining({ code: 'SUITE_PURPOSE_UNKNOWN' }));
    expect(requireTransfer(p, 'stripe', 'billing').kind).toBe('payment');
    expect(() => requireTransfer(p, 'stripe', 'marketing')).toThrow(expect.objectContaining({ code: 'SUITE_PURPOSE_NOT_ALLOWED' }));
    expect(() => requireTransfer(p, 'data-broker', 'billing')).toThrow(expect.objectContaining({ code: 'SUITE_RECIPIENT_UNKNOWN' }));
  });

  it('rotating a hook secret keeps the old one valid for the grace period only', async () => {
    const brand = await t.suite.kernel.brands.get('provider');
    const [old] = await t.suite.kernel.brands.hookSecrets(brand);
    const { hookSecret } = await t.suite.kernel.brands.rotateSecret('provider', actor);
    expect(await t.suite.kernel.brands.hookSecrets(brand)).toEqual([hookSecret, old]);
    await t.suite.kernel.db('brands').where({ id: brand.id }).update({ prev_secret_expires_at: Date.now() - 1 });
    t.suite.kernel.brands.invalidate();
    expect(await t.suite.kernel.brands.hookSecrets(brand)).toEqual([hookSecret]);
  });
});
