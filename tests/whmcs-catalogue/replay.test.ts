/**
 * Issue 15 point 8, replayed with only what WHMCS documents (spec/whmcs/hooks.json) and then with the connector's
 * additions: no promise depends on a variable nobody sends, and a missing addition gets a clear answer.
 */
import { startTestSuite, postHook, type TestSuite } from '../helpers/test-suite';
import { clientAdd, consentBrand, ledgerOf, publishTerms, subjectOf, CONTEXT, type TestBrand } from '../modules/consent/marketing-fixtures';
import { adminKey } from '../modules/rights/fixtures';

let t: TestSuite;
let shop: TestBrand;

beforeAll(async () => {
  t = await startTestSuite();
  shop = await consentBrand(t.suite, 'replay-shop', { model: 'opt-in', channels: ['email'], requireTermsAtCheckout: true, minimumAge: 16 });
  await publishTerms(t.suite, shop.id, 'en', '2026-01');
});
afterAll(() => t.close());

const hook = (name: string, vars: Record<string, unknown>, locale = 'en') => postHook(t.baseUrl, name, shop.secret, { brand: shop.slug, vars, context: { ...CONTEXT, locale } });

/** ShoppingCartValidateCheckout exactly as WHMCS documents it for a logged-in client: no terms flag. */
const documentedCheckout = { a: 'checkout', submit: 'true', paymentmethod: 'stripe', custtype: 'existing', clientId: '1', promocode: '', notes: '' };

describe('ShoppingCartValidateCheckout: terms not reported vs terms not accepted (MS-2 / SP-3)', () => {
  it('documented variables only: refused as "not reported", naming accepttos, apart from "not accepted"', async () => {
    const res = await hook('ShoppingCartValidateCheckout', documentedCheckout, 'de');
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([expect.stringContaining('accepttos')]);
    expect(res.body.errors).not.toContain('Bitte akzeptieren Sie die Allgemeinen Geschäftsbedingungen, um fortzufahren.');
    expect(res.body.data).toMatchObject({ terms: 'not-reported' });
  });

  it('with the connector\'s accepttos: false is "not accepted", true passes', async () => {
    const refused = await hook('ShoppingCartValidateCheckout', { ...documentedCheckout, accepttos: false }, 'de');
    expect(refused.body.errors).toEqual(['Bitte akzeptieren Sie die Allgemeinen Geschäftsbedingungen, um fortzufahren.']);
    const ok = await hook('ShoppingCartValidateCheckout', { ...documentedCheckout, accepttos: true, userid: 1, terms_version_shown: '2026-01' });
    expect(ok.body.errors).toBeUndefined();
  });

  it('card data and passwords WHMCS sends are accepted, then dropped at the edge', async () => {
    const res = await hook('ShoppingCartValidateCheckout', { ...documentedCheckout, accepttos: 'on', ccnumber: '4111111111111111', cccvv: '123', password: 'pw-plain-1', password2: 'pw-plain-1', loginpassword: 'pw-plain-2' });
    expect(res.status).toBe(200);
    const { vars } = t.suite.kernel.hooks.validate('ShoppingCartValidateCheckout', { ...documentedCheckout, ccnumber: '4111111111111111', cccvv: '123', password: 'x', password2: 'x', loginpassword: 'y' });
    expect(Object.keys(vars).filter((k) => /^cc(number|cvv)$|password/.test(k))).toEqual([]);
  });
});

describe('AfterShoppingCartCheckout: the order\'s client comes from the connector', () => {
  it('documented variables only (no client id): records nothing and says why', async () => {
    await clientAdd(t.baseUrl, shop, 21, {});
    const subject = await subjectOf(t.suite, shop, 21);
    const before = (await ledgerOf(t.suite, subject)).length;
    const res = await hook('AfterShoppingCartCheckout', { OrderID: '900', OrderNumber: '5551234', ServiceIDs: [], AddonIDs: [], DomainIDs: [], RenewalIDs: [], PaymentMethod: 'stripe', InvoiceID: '77', TotalDue: '12.00' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ consent: 'client-not-reported', warning: expect.stringContaining('userid') });
    expect((await ledgerOf(t.suite, subject)).length).toBe(before);
  });

  it('with the connector\'s userid (from the order) and accepttos: records the acceptance of the version shown', async () => {
    const subject = await subjectOf(t.suite, shop, 21);
    const res = await hook('AfterShoppingCartCheckout', { OrderID: '901', InvoiceID: '78', userid: '21', accepttos: 'on', terms_version_shown: '2026-01' });
    expect(res.body.data).toMatchObject({ consent: { terms: '2026-01' } });
    expect((await ledgerOf(t.suite, subject)).some((r) => r.purpose === 'terms')).toBe(true);
  });
});

describe('ClientDetailsValidation: registration or an existing client\'s edit, by the connector\'s userid', () => {
  const details = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.org', country: 'GB', paymentmethod: 'stripe' };

  it('without userid it is a registration: terms not accepted refuse it, terms not reported (admin area, API) do not', async () => {
    const refused = await hook('ClientDetailsValidation', { ...details, accepttos: false }, 'fr');
    expect(refused.body.errors).toEqual(["Veuillez accepter les conditions d'utilisation pour continuer."]);
    const notReported = await hook('ClientDetailsValidation', details);
    expect(notReported.body.errors).toBeUndefined();
    expect(notReported.body.data).toMatchObject({ terms: 'not-reported' });
  });

  it('with userid it is an existing client\'s edit: no terms check, the age still applies', async () => {
    const edit = await hook('ClientDetailsValidation', { ...details, userid: '21', accepttos: false });
    expect(edit.body.errors).toBeUndefined();
    expect(edit.body.data).toBeUndefined();
    const young = await hook('ClientDetailsValidation', { ...details, userid: '21', date_of_birth: '2020-01-01' });
    expect(young.body.errors).toHaveLength(1);
  });
});

describe('GET /api/v1/admin/hooks', () => {
  it('lists each hook\'s WHMCS variables and the connector\'s additions with where they come from', async () => {
    const key = await adminKey(t.suite);
    const res = await fetch(`${t.baseUrl}/api/v1/admin/hooks`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await res.json()) as { hooks: { name: string; whmcsVars: string[]; connector: { name: string; from: string }[] }[] };
    const checkout = body.hooks.find((h) => h.name === 'AfterShoppingCartCheckout')!;
    expect(checkout.whmcsVars).toEqual(['OrderID', 'OrderNumber', 'ServiceIDs', 'AddonIDs', 'DomainIDs', 'RenewalIDs', 'PaymentMethod', 'InvoiceID', 'TotalDue']);
    expect(checkout.connector.map((c) => c.name)).toContain('userid');
    expect(body.hooks.find((h) => h.name === 'DataSubjectRequest')).toMatchObject({ whmcsVars: [], connector: [] });
    expect(body.hooks.map((h) => h.name)).not.toContain('DailyCronJob');
  });
});
