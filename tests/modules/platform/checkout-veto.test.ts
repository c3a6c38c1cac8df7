/** ShoppingCartValidateCheckout runs inside the order's transaction: a veto rolls the whole order back. */
import { startTestSuite, createBrand, count, PROVIDER_PROFILE, type TestSuite } from '../../helpers/test-suite';
import { Suite } from '../../../core/suite';
import { INSTALLED_MODULES } from '../../../modules/installed';
import { DEFAULT_BINDINGS } from '../../../hooks/bindings';
import { defineModule, onHook } from '../../../core/modules/define-module';
import { defineBinding } from '../../../hooks/define-binding';
import { SuiteError } from '../../../core/errors';
import { cart, person, platformOf } from './fixtures';

/** A test-only module whose checkout validation refuses carts without accepted terms, after writing a row. */
const vetoModule = defineModule({
  name: 'test-veto', version: '0.0.0', type: 'addon', description: 'test', storesPersonalData: false,
  hooks: {
    refuseWithoutTerms: onHook('ShoppingCartValidateCheckout', async (ctx) => {
      await ctx.kernel.audit.record({ brandId: ctx.brand.id, actor: { type: 'hook', id: 'test-veto' }, action: 'test.checkout.seen' }, ctx.trx);
      return ctx.vars.accepttos ? undefined : { errors: ['You must accept the terms of service.'] };
    }),
  },
});
const vetoBinding = defineBinding({ id: 'test-checkout-veto', hook: 'ShoppingCartValidateCheckout', module: 'test-veto', action: 'refuseWithoutTerms', priority: 5, enabledByDefault: true, description: 'test' });

let t: TestSuite;

beforeAll(async () => {
  t = await startTestSuite({ http: false, modules: [...INSTALLED_MODULES, vetoModule], bindings: [...DEFAULT_BINDINGS, vetoBinding] });
  // The consent module's own terms check is off here, so the probe's veto is the only one (consent has its own tests).
  await createBrand(t.suite, 'acme', { profile: { ...PROVIDER_PROFILE, consent: { requireTermsAtCheckout: false } } });
});
afterAll(() => t.close());

const TABLES = ['platform_orders', 'platform_services', 'platform_domains', 'platform_invoices', 'audit_log'];

async function counts(suite: Suite): Promise<number[]> {
  return Promise.all(TABLES.map((table) => count(suite, table)));
}

describe('checkout veto', () => {
  it('a vetoed checkout rolls back the order and throws SUITE_PLATFORM_VETOED carrying the errors', async () => {
    const p = platformOf(t.suite);
    const { clientId } = await p.signUp('acme', person(1));
    const before = await counts(t.suite);
    const err = await p.order(clientId, cart(1), { accepttos: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SuiteError);
    expect((err as SuiteError).code).toBe('SUITE_PLATFORM_VETOED');
    expect((err as SuiteError).status).toBe(422);
    expect((err as SuiteError).fields).toEqual([{ field: 'ShoppingCartValidateCheckout', message: 'You must accept the terms of service.' }]);
    expect(await counts(t.suite)).toEqual(before);
  });

  it('the same checkout with the terms accepted goes through', async () => {
    const p = platformOf(t.suite);
    const { clientId } = await p.signUp('acme', person(2));
    const o = await p.order(clientId, cart(2), { accepttos: true });
    expect(o.serviceIds).toHaveLength(1);
    expect((await t.suite.kernel.db('platform_invoices').where({ id: o.invoiceId }).first()).status).toBe('unpaid');
  });

  it('the veto binding switched off for the brand lets the order through', async () => {
    await t.suite.kernel.brands.setEnabled('acme', 'binding', 'test-checkout-veto', false, { type: 'cli', id: 'test' });
    const p = platformOf(t.suite);
    const { clientId } = await p.signUp('acme', person(3));
    await expect(p.order(clientId, cart(3), { accepttos: false })).resolves.toMatchObject({ invoiceId: expect.any(Number) });
  });
});
