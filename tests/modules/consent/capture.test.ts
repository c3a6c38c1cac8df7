/** Capture on the lifecycle: terms and marketing choice at registration and checkout, refusals at checkout (MS-2/SP-3, ESM-1, WSM-22). */
import { startTestSuite, postHook, type TestSuite } from '../../helpers/test-suite';
import { bornYearsAgo, clientAdd, consentBrand, ledgerOf, publishTerms, subjectOf, CONTEXT, type TestBrand } from './marketing-fixtures';

let t: TestSuite;
let shop: TestBrand;
let relaxed: TestBrand;

beforeAll(async () => {
  t = await startTestSuite();
  shop = await consentBrand(t.suite, 'capture-shop', { model: 'opt-in', channels: ['email', 'sms'], requireTermsAtCheckout: true, minimumAge: 18 });
  relaxed = await consentBrand(t.suite, 'capture-relaxed', { model: 'opt-in', requireTermsAtCheckout: false, minimumAge: 13 });
  await publishTerms(t.suite, shop.id, 'en', '2026-01');
  await publishTerms(t.suite, shop.id, 'de', '2026-01-de');
});
afterAll(() => t.close());

describe('capture on the lifecycle', () => {
  it('MS-2 / SP-3: terms acceptance at registration is recorded against the exact version shown', async () => {
    const res = await clientAdd(t.baseUrl, shop, 1, { accepttos: '1' }, { locale: 'de' });
    expect(res.status).toBe(200);
    const rows = await ledgerOf(t.suite, await subjectOf(t.suite, shop, 1));
    const terms = rows.find((r) => r.purpose === 'terms')!;
    expect(terms).toMatchObject({ action: 'given', method: 'checkbox', collection_point: 'registration', document_version: '2026-01-de' });
    const doc = await t.suite.kernel.db('consent_documents').where({ id: terms.document_id }).first();
    expect(terms.document_hash).toBe(doc.text_hash);
    expect(doc.language).toBe('de');
  });

  it('ESM-1: the IP and user agent of the person are captured with the consent, encrypted at rest', async () => {
    await clientAdd(t.baseUrl, shop, 2, { accepttos: true, marketing_emails_opt_in: true });
    const rows = await ledgerOf(t.suite, await subjectOf(t.suite, shop, 2));
    expect(rows.map((r) => r.purpose).sort()).toEqual(['marketing:email', 'terms']);
    for (const r of rows) {
      expect(String(r.ip_enc)).not.toContain(CONTEXT.ip);
      expect(await t.suite.kernel.keyring.decrypt(String(r.ip_enc))).toBe(CONTEXT.ip);
      expect(await t.suite.kernel.keyring.decrypt(String(r.ua_enc))).toBe(CONTEXT.userAgent);
      expect(r.ip_hash).toBe(t.suite.kernel.keyring.blindIndex(CONTEXT.ip, 'ip'));
    }
    expect(rows.find((r) => r.purpose === 'terms')!.document_version).toBe('2026-01');
    expect(rows.find((r) => r.purpose === 'marketing:email')).toMatchObject({ action: 'given', method: 'checkbox' });
  });

  it('MS-2 / SP-3: terms acceptance and the marketing choice given with an order are recorded at checkout', async () => {
    await clientAdd(t.baseUrl, shop, 3);
    const sid = await subjectOf(t.suite, shop, 3);
    expect(await ledgerOf(t.suite, sid)).toHaveLength(0);
    const res = await postHook(t.baseUrl, 'AfterShoppingCartCheckout', shop.secret, {
      brand: shop.slug, vars: { OrderID: 501, OrderNumber: '8812345', InvoiceID: 77, TotalDue: '12.00', PaymentMethod: 'stripe', userid: 3, accepttos: 'on', marketing_emails_opt_in: '1' }, context: CONTEXT,
    });
    expect(res.status).toBe(200);
    const rows = await ledgerOf(t.suite, sid);
    expect(rows.find((r) => r.purpose === 'terms')).toMatchObject({ collection_point: 'checkout', document_version: '2026-01' });
    expect(rows.find((r) => r.purpose === 'marketing:email')).toMatchObject({ action: 'given', collection_point: 'checkout' });
  });

  it('MS-2 / SP-3: a profile edit that accepts the same terms version again records nothing new; an opt-out is recorded', async () => {
    await clientAdd(t.baseUrl, shop, 4, { accepttos: 1, marketing_emails_opt_in: 1 });
    const sid = await subjectOf(t.suite, shop, 4);
    await postHook(t.baseUrl, 'ClientEdit', shop.secret, { brand: shop.slug, vars: { userid: 4, email: 'grace4@example.org', accepttos: true, emailoptout: '1' }, context: CONTEXT });
    const rows = await ledgerOf(t.suite, sid);
    expect(rows.filter((r) => r.purpose === 'terms')).toHaveLength(1);
    expect(rows.at(-1)).toMatchObject({ purpose: 'marketing:email', action: 'withdrawn', collection_point: 'profile' });
  });

  it('WSM-22: a person under the minimum age is refused at checkout with a validation error in their language', async () => {
    const under = await postHook(t.baseUrl, 'ShoppingCartValidateCheckout', shop.secret, {
      brand: shop.slug, vars: { custtype: 'new', firstname: 'Kid', email: 'kid@example.org', accepttos: '1', date_of_birth: bornYearsAgo(15), paymentmethod: 'stripe' }, context: { ...CONTEXT, locale: 'de' },
    });
    expect(under.status).toBe(200);
    expect(under.body.errors).toEqual(['Sie müssen mindestens 18 Jahre alt sein, um ein Konto zu eröffnen oder zu bestellen.']);
    const adult = await postHook(t.baseUrl, 'ShoppingCartValidateCheckout', shop.secret, {
      brand: shop.slug, vars: { custtype: 'new', firstname: 'Ada', accepttos: '1', date_of_birth: bornYearsAgo(18) }, context: { ...CONTEXT, locale: 'de' },
    });
    expect(adult.body.errors).toBeUndefined();
    const lower = await postHook(t.baseUrl, 'ShoppingCartValidateCheckout', relaxed.secret, {
      brand: relaxed.slug, vars: { custtype: 'new', date_of_birth: bornYearsAgo(15) }, context: CONTEXT,
    });
    expect(lower.body.errors).toBeUndefined();
  });

  it('MS-2 / SP-3: checkout without accepting the terms is refused where the brand requires it, in the person\'s language', async () => {
    const res = await postHook(t.baseUrl, 'ShoppingCartValidateCheckout', shop.secret, { brand: shop.slug, vars: { custtype: 'existing', clientId: 1, accepttos: '' }, context: { ...CONTEXT, locale: 'fr' } });
    expect(res.body.errors).toEqual(["Veuillez accepter les conditions d'utilisation pour continuer."]);
    const ar = await postHook(t.baseUrl, 'ShoppingCartValidateCheckout', shop.secret, { brand: shop.slug, vars: { clientId: 1, accepttos: false }, context: { ...CONTEXT, locale: 'ar' } });
    expect(ar.body.errors).toEqual(['يرجى قبول شروط الخدمة للمتابعة.']);
    const notRequired = await postHook(t.baseUrl, 'ShoppingCartValidateCheckout', relaxed.secret, { brand: relaxed.slug, vars: { clientId: 1 }, context: CONTEXT });
    expect(notRequired.body.errors).toBeUndefined();
  });

  it('WSM-22: ClientDetailsValidation refuses a registration without terms or under age, but lets an existing client edit details', async () => {
    const reg = await postHook(t.baseUrl, 'ClientDetailsValidation', shop.secret, { brand: shop.slug, vars: { firstname: 'Kid', email: 'kid@example.org', accepttos: false, date_of_birth: bornYearsAgo(12) }, context: { ...CONTEXT, locale: 'ru' } });
    expect(reg.body.errors).toEqual(['Чтобы продолжить, примите условия обслуживания.', 'Чтобы открыть счёт или оформить заказ, вам должно быть не меньше 18 лет.']);
    const edit = await postHook(t.baseUrl, 'ClientDetailsValidation', shop.secret, { brand: shop.slug, vars: { userid: 1, firstname: 'Grace', email: 'grace1@example.org' }, context: CONTEXT });
    expect(edit.body.errors).toBeUndefined();
    const bad = await postHook(t.baseUrl, 'ClientDetailsValidation', shop.secret, { brand: shop.slug, vars: { userid: 1, date_of_birth: '2001-02-30' }, context: { ...CONTEXT, locale: 'es' } });
    expect(bad.body.errors).toEqual(['Introduzca una fecha de nacimiento válida (AAAA-MM-DD).']);
  });
});
