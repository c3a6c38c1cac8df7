/**
 * Issue 15: WHMCS fills an int it has no value for with '' (a new customer's clientId at checkout). An optional WHMCS
 * int takes '' (and null) as absent; a required one stays strict and refuses ''.
 */
import { hookSpecOf } from '../../hooks/catalogue';
import { startTestSuite, postHook, type TestSuite } from '../helpers/test-suite';
import { consentBrand, publishTerms, CONTEXT, type TestBrand } from '../modules/consent/marketing-fixtures';

let t: TestSuite;
let shop: TestBrand;

beforeAll(async () => {
  t = await startTestSuite();
  shop = await consentBrand(t.suite, 'empty-int-shop', { model: 'opt-in', channels: ['email'], requireTermsAtCheckout: true });
  await publishTerms(t.suite, shop.id, 'en', '2026-01');
});
afterAll(() => t.close());

/** ShoppingCartValidateCheckout as WHMCS sends it for a new customer (no account yet: clientId ''). */
const newCustomerCheckout = {
  a: 'checkout', submit: 'true', promocode: '', notes: '', paymentmethod: 'banktransfer', custtype: 'new', clientId: '', loginemail: '',
  firstname: 'Ada', lastname: 'Lovelace', companyname: '', email: 'ada.new@example.org', address1: '1 Analytical Row', address2: '', city: 'London',
  state: '', country: 'GB', tax_id: '', phonenumber: '', securityqid: '', customfield: [],
};

describe('optional WHMCS ints: empty means absent', () => {
  it('MS-2 / SP-3: a new customer\'s checkout with clientId \'\' and accepttos true passes; accepttos false is refused as not accepted', async () => {
    const ok = await postHook(t.baseUrl, 'ShoppingCartValidateCheckout', shop.secret, { brand: shop.slug, vars: { ...newCustomerCheckout, accepttos: true, terms_version_shown: '2026-01' }, context: CONTEXT });
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
    const refused = await postHook(t.baseUrl, 'ShoppingCartValidateCheckout', shop.secret, { brand: shop.slug, vars: { ...newCustomerCheckout, accepttos: false }, context: CONTEXT });
    expect(refused.status).toBe(200);
    expect(refused.body.errors).toHaveLength(1);
  });

  it('optional ints take \'\' and null as absent; numbers and numeric strings still parse, other strings are refused', () => {
    const vars = hookSpecOf('ShoppingCartValidateCheckout').vars;
    expect(vars.safeParse({ clientId: '' })).toMatchObject({ success: true, data: {} });
    expect(vars.safeParse({ clientId: null })).toMatchObject({ success: true, data: {} });
    expect(vars.safeParse({ clientId: '7' })).toMatchObject({ success: true, data: { clientId: 7 } });
    expect(vars.safeParse({ clientId: 'abc' }).success).toBe(false);
  });

  it('required ints stay strict: ClientClose with userid \'\' is refused with 400', async () => {
    expect(hookSpecOf('ClientClose').vars.safeParse({ userid: '' }).success).toBe(false);
    const res = await postHook(t.baseUrl, 'ClientClose', shop.secret, { brand: shop.slug, vars: { userid: '' }, context: CONTEXT });
    expect(res.status).toBe(400);
  });
});
