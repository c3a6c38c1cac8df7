/** Pre hooks veto and change in priority order and roll back; after-hook failures never fail the call; per-brand switches. */
import { startTestSuite, createBrand, count, type TestSuite } from '../helpers/test-suite';
import { probeModule, probeBindings } from '../helpers/test-modules';
import inventory from '../../modules/inventory';
import { DEFAULT_BINDINGS } from '../../hooks/bindings';

let t: TestSuite;
const actor = { type: 'cli' as const, id: 'test' };

beforeAll(async () => {
  t = await startTestSuite({ http: false, modules: [inventory, probeModule], bindings: [...DEFAULT_BINDINGS.filter((b) => b.module === 'inventory'), ...probeBindings] });
  await createBrand(t.suite, 'acme');
  await createBrand(t.suite, 'beta');
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.suite.kernel.db('probe_markers').delete();
});

const steps = async () => (await t.suite.kernel.db('probe_markers').orderBy('id').select('step', 'note')) as { step: string; note: string | null }[];

describe('pre hooks', () => {
  it('run in priority order, each seeing the variables earlier handlers changed', async () => {
    const r = await t.suite.hooks.run('ShoppingCartValidateCheckout', { firstname: 'Ada', accepttos: true }, { brand: 'acme' });
    expect(r.vetoed).toBe(false);
    expect(r.vars.firstname).toBe('Changed');
    expect(await steps()).toEqual([{ step: 'first', note: 'Ada' }, { step: 'veto', note: 'Changed' }, { step: 'last', note: 'Changed' }]);
  });

  it('a veto answers WHMCS validation errors and rolls back every write of the transaction', async () => {
    const r = await t.suite.hooks.run('ShoppingCartValidateCheckout', { firstname: 'Ada', accepttos: false }, { brand: 'acme' });
    expect(r.vetoed).toBe(true);
    expect(r.errors).toEqual(['Terms must be accepted']);
    expect(await steps()).toEqual([]);
  });

  it('module settings come from the brand profile (brand → provider → default)', async () => {
    await t.suite.kernel.brands.setProfile('beta', { controller: { name: 'Beta', email: 'dpo@beta.example' }, modules: { probe: { vetoMessage: 'Bitte AGB akzeptieren' } } }, actor);
    const r = await t.suite.hooks.run('ShoppingCartValidateCheckout', { accepttos: false }, { brand: 'beta' });
    expect(r.errors).toEqual(['Bitte AGB akzeptieren']);
  });

  it('abortWithError answers as WHMCS expects for PreRegistrar hooks when the binding is switched on', async () => {
    const off = await t.suite.hooks.run('PreRegistrarRegisterDomain', { params: { sld: 'example', tld: '.com' } }, { brand: 'acme' });
    expect(off.abortWithError).toBeUndefined();
    await t.suite.kernel.brands.setEnabled('acme', 'binding', 'probe-abort-registration', true, actor);
    const on = await t.suite.hooks.run('PreRegistrarRegisterDomain', { params: { sld: 'example', tld: '.com' } }, { brand: 'acme' });
    expect(on.abortWithError).toBe('Registrant contact incomplete');
  });
});

describe('after hooks', () => {
  it('a failing handler does not fail the call: its writes roll back, the others commit, the failure is recorded', async () => {
    const r = await t.suite.hooks.run('ClientAdd', { client_id: 7, email: 'x7@example.org' }, { brand: 'acme' });
    expect(r.ok).toBe(true);
    expect(r.failures).toBe(1);
    expect((await steps()).map((s) => s.step)).toEqual(['after-ok']);
    const failures = await t.suite.kernel.db('hook_failures').where({ binding: 'probe-after-boom' });
    expect(failures).toHaveLength(1);
    expect(failures[0].hook).toBe('ClientAdd');
    expect(await t.suite.kernel.subjects.findByExternal((await t.suite.kernel.brands.get('acme')).id, 'client', 7)).toBeDefined();
  });
});

describe('per-brand switches', () => {
  it('a binding switched off for one brand does not run there, still runs for others, and the switch is audited', async () => {
    await t.suite.kernel.brands.setEnabled('beta', 'binding', 'probe-veto', false, actor);
    const beta = await t.suite.hooks.run('ShoppingCartValidateCheckout', { accepttos: false }, { brand: 'beta' });
    expect(beta.vetoed).toBe(false);
    const acme = await t.suite.hooks.run('ShoppingCartValidateCheckout', { accepttos: false }, { brand: 'acme' });
    expect(acme.vetoed).toBe(true);
    const audit = await t.suite.kernel.audit.list({ action: 'binding.toggle' });
    expect(audit.some((e) => e.target_id === 'probe-veto' && (e.details as { enabled: boolean }).enabled === false)).toBe(true);
    await t.suite.kernel.brands.setEnabled('beta', 'binding', 'probe-veto', true, actor);
  });

  it('a module switched off for a brand runs none of its hooks there', async () => {
    await t.suite.kernel.brands.setEnabled('beta', 'module', 'inventory', false, actor);
    const before = await count(t.suite, 'subjects');
    await t.suite.hooks.run('ClientAdd', { client_id: 8, email: 'x8@example.org' }, { brand: 'beta' });
    expect(await count(t.suite, 'subjects')).toBe(before);
    await t.suite.hooks.run('ClientAdd', { client_id: 8, email: 'x8@example.org' }, { brand: 'acme' });
    expect(await count(t.suite, 'subjects')).toBe(before + 1);
  });

  it('a reseller brand inherits its provider\'s switch unless it sets its own', async () => {
    await createBrand(t.suite, 'beta-resale', { parent: 'beta', profile: { controller: { name: 'Resale GmbH', email: 'dpo@resale.example' } } });
    const resale = await t.suite.kernel.brands.get('beta-resale');
    expect(await t.suite.kernel.modules.enabledFor(t.suite.kernel.brands, resale, 'inventory')).toBe(false);
    await t.suite.kernel.brands.setEnabled('beta-resale', 'module', 'inventory', true, actor);
    expect(await t.suite.kernel.modules.enabledFor(t.suite.kernel.brands, resale, 'inventory')).toBe(true);
  });
});
