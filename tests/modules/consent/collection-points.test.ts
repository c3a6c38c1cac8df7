/**
 * MS-2 / SP-3 over the hook API: acceptance at registration (ClientAdd), order (ShoppingCartValidateCheckout,
 * AfterShoppingCartCheckout) and newsletter sign-up (the suite-only NewsletterSignup) is recorded against the exact
 * policy version the page showed (`terms_version_shown`, `privacy_version_shown`), in the person's language, with IP
 * and user agent; marketing consents carry the privacy policy version. A version that does not exist is refused.
 */
import { startTestSuite, postHook, type TestSuite } from '../../helpers/test-suite';
import { consentPersonalData } from '../../../modules/consent/personal-data';
import { receiptLinkToken } from '../../../modules/consent/receipts/signed-receipt';
import { clientAdd, consentBrand, consentService, publishTerms, subjectOf, CONTEXT, type TestBrand } from './marketing-fixtures';

type Row = Record<string, unknown>;

let t: TestSuite;
let shop: TestBrand;
let doi: TestBrand;

/** The ledger rows of a subject with the language of the document each is bound to, and IP and user agent decrypted. */
async function recorded(subjectId: number): Promise<Row[]> {
  const rows = (await t.suite.kernel.db('consent_ledger as l').leftJoin('consent_documents as d', 'd.id', 'l.document_id')
    .where({ 'l.subject_id': subjectId }).orderBy('l.seq').select('l.*', 'd.language as document_language', 'd.kind as document_kind')) as Row[];
  const k = t.suite.kernel.keyring;
  return Promise.all(rows.map(async (r) => ({ ...r, ip: r.ip_enc ? await k.decrypt(String(r.ip_enc)) : null, ua: r.ua_enc ? await k.decrypt(String(r.ua_enc)) : null })));
}
const byPurpose = (rows: Row[], purpose: string): Row => rows.find((r) => r.purpose === purpose)!;
const count = async (table: string): Promise<number> => Number(((await t.suite.kernel.db(table).count({ n: '*' }).first()) as { n: number | string }).n);
const everything = async (): Promise<number[]> => Promise.all(['subjects', 'subject_fields', 'consent_ledger', 'consent_state', 'consent_tokens', 'outbox'].map(count));

beforeAll(async () => {
  t = await startTestSuite();
  shop = await consentBrand(t.suite, 'points', { model: 'opt-in', channels: ['email', 'sms'], requireTermsAtCheckout: true });
  doi = await consentBrand(t.suite, 'points-doi', { model: 'opt-in', doubleOptIn: true });
  // Two English terms versions (1.1 is in force, 1.0 is still what a cached page may show), German terms, privacy policies.
  for (const [lang, version, kind] of [['en', '1.0', 'terms'], ['en', '1.1', 'terms'], ['de', '1.1-de', 'terms'], ['en', 'p-2025', 'privacy'], ['en', 'p-2026', 'privacy'], ['de', 'p-2026-de', 'privacy']]) {
    await publishTerms(t.suite, shop.id, lang, version, kind);
  }
  await publishTerms(t.suite, doi.id, 'en', 'doi-p1', 'privacy');
});
afterAll(() => t.close());

describe('MS-2 / SP-3: consent at every collection point over the hook API', () => {
  it('MS-2 / SP-3: registration (ClientAdd) records the exact terms and privacy versions shown, in the person\'s language, with IP and user agent', async () => {
    const de = { ip: '198.51.100.21', userAgent: 'Mozilla/5.0 (registration de)', locale: 'de' };
    const res = await clientAdd(t.baseUrl, shop, 1, { accepttos: true, terms_version_shown: '1.1-de', marketing_emails_opt_in: true, privacy_version_shown: 'p-2026-de' }, de);
    expect(res.status).toBe(200);
    const rows = await recorded(await subjectOf(t.suite, shop, 1));
    expect(byPurpose(rows, 'terms')).toMatchObject({ action: 'given', collection_point: 'registration', document_version: '1.1-de', document_language: 'de', ip: de.ip, ua: de.userAgent });
    expect(byPurpose(rows, 'marketing:email')).toMatchObject({ action: 'given', collection_point: 'registration', document_kind: 'privacy', document_version: 'p-2026-de', document_language: 'de', ip: de.ip, ua: de.userAgent });

    // A page still showing the older English version: that version is recorded, not the one in force.
    await clientAdd(t.baseUrl, shop, 2, { accepttos: true, terms_version_shown: '1.0' }, { locale: 'en' });
    expect(byPurpose(await recorded(await subjectOf(t.suite, shop, 2)), 'terms')).toMatchObject({ document_version: '1.0', document_language: 'en', ip: CONTEXT.ip, ua: CONTEXT.userAgent });
  });

  it('MS-2 / SP-3: a shown version that does not exist for the brand, kind and language refuses the call naming the field, nothing written', async () => {
    const before = await everything();
    // 1.0 exists in English only; a German page cannot have shown it. (Field messages follow the caller's Accept-Language.)
    const reg = await postHook(t.baseUrl, 'ClientAdd', shop.secret, {
      brand: shop.slug, context: { ...CONTEXT, locale: 'de' },
      vars: { client_id: 9, firstname: 'Kurt', email: 'kurt9@example.org', accepttos: true, terms_version_shown: '1.0', marketing_emails_opt_in: true, privacy_version_shown: 'p-1999' },
    }, { headers: { 'accept-language': 'de' } });
    expect(reg.status).toBe(400);
    expect(reg.body).toMatchObject({ code: 'SUITE_VALIDATION_FAILED' });
    expect(reg.body.fields).toEqual([
      { field: 'vars.terms_version_shown', message: 'Eine Version 1.0 der Nutzungsbedingungen ist in dieser Sprache (de) nicht veröffentlicht.' },
      { field: 'vars.privacy_version_shown', message: 'Eine Version p-1999 der Datenschutzerklärung ist in dieser Sprache (de) nicht veröffentlicht.' },
    ]);
    expect(await t.suite.kernel.subjects.findByExternal(shop.id, 'client', 9)).toBeUndefined();

    const validate = await postHook(t.baseUrl, 'ShoppingCartValidateCheckout', shop.secret, { brand: shop.slug, vars: { clientId: 1, accepttos: true, terms_version_shown: '7.0' }, context: CONTEXT });
    expect(validate.status).toBe(400);
    expect((validate.body.fields as Row[]).map((f) => f.field)).toEqual(['vars.terms_version_shown']);
    const checkout = await postHook(t.baseUrl, 'AfterShoppingCartCheckout', shop.secret, { brand: shop.slug, vars: { OrderID: 900, userid: 1, accepttos: true, terms_version_shown: '7.0' }, context: CONTEXT });
    expect(checkout.status).toBe(400);
    expect((checkout.body.fields as Row[]).map((f) => f.field)).toEqual(['vars.terms_version_shown']);
    const newsletter = await postHook(t.baseUrl, 'NewsletterSignup', shop.secret, { brand: shop.slug, vars: { userid: 1, privacy_version_shown: '1.1' }, context: { ...CONTEXT, locale: 'fr' } }, { headers: { 'accept-language': 'fr' } });
    expect(newsletter.status).toBe(400);
    expect(newsletter.body.fields).toEqual([{ field: 'vars.privacy_version_shown', message: "Aucune version 1.1 de la politique de confidentialité n'est publiée dans cette langue (en)." }]);
    expect(await everything()).toEqual(before);
  });

  it('MS-2 / SP-3: an order (ShoppingCartValidateCheckout, AfterShoppingCartCheckout) records the terms and privacy versions shown at checkout', async () => {
    await clientAdd(t.baseUrl, shop, 3);
    const sid = await subjectOf(t.suite, shop, 3);
    expect(await recorded(sid)).toHaveLength(0);
    const order = { ip: '192.0.2.33', userAgent: 'Mozilla/5.0 (checkout)', locale: 'en' };
    const validate = await postHook(t.baseUrl, 'ShoppingCartValidateCheckout', shop.secret, { brand: shop.slug, vars: { clientId: 3, accepttos: true, terms_version_shown: '1.0' }, context: order });
    expect(validate.status).toBe(200);
    expect(validate.body.errors).toBeUndefined();
    const res = await postHook(t.baseUrl, 'AfterShoppingCartCheckout', shop.secret, {
      brand: shop.slug, vars: { OrderID: 501, userid: 3, accepttos: 'on', terms_version_shown: '1.0', marketing_emails_opt_in: '1', privacy_version_shown: 'p-2025' }, context: order,
    });
    expect(res.status).toBe(200);
    expect(res.body.afterHookFailures).toBeUndefined();
    const rows = await recorded(sid);
    expect(byPurpose(rows, 'terms')).toMatchObject({ collection_point: 'checkout', document_version: '1.0', document_language: 'en', ip: order.ip, ua: order.userAgent });
    expect(byPurpose(rows, 'marketing:email')).toMatchObject({ collection_point: 'checkout', document_version: 'p-2025', document_language: 'en', ip: order.ip, ua: order.userAgent });
  });

  it('MS-2 / SP-3: a newsletter sign-up (NewsletterSignup) records marketing consent per channel bound to the privacy version, visible in the receipt and the export', async () => {
    await clientAdd(t.baseUrl, shop, 4, {}, { locale: 'de' });
    const sid = await subjectOf(t.suite, shop, 4);
    const ctx = { ip: '203.0.113.44', userAgent: 'Mozilla/5.0 (newsletter)', locale: 'de' };
    const res = await postHook(t.baseUrl, 'NewsletterSignup', shop.secret, { brand: shop.slug, vars: { userid: 4, channels: ['email', 'sms', 'phone'], privacy_version_shown: 'p-2026-de' }, context: ctx });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ consent: { newsletter: { email: 'given', sms: 'given', phone: 'channel-off' }, privacy: 'p-2026-de' } });
    const rows = await recorded(sid);
    expect(rows.map((r) => r.purpose)).toEqual(['marketing:email', 'marketing:sms']);
    for (const r of rows) expect(r).toMatchObject({ action: 'given', method: 'checkbox', collection_point: 'newsletter', document_version: 'p-2026-de', document_language: 'de', ip: ctx.ip, ua: ctx.userAgent });

    const receipt = await fetch(`${t.baseUrl}/b/${shop.slug}/consent/receipts/${String(rows[0].receipt_id)}?token=${encodeURIComponent(receiptLinkToken(t.suite.kernel, shop.id, sid))}`);
    expect(receipt.status).toBe(200);
    expect(((await receipt.json()) as Row).policy).toMatchObject({ version: 'p-2026-de', documentId: Number(rows[0].document_id) });
    const exported = (await consentPersonalData.export(sid, { kernel: t.suite.kernel })) as { receipts: Row[] };
    expect(exported.receipts.map((r) => (r.document as Row | null)?.version)).toEqual(['p-2026-de', 'p-2026-de']);

    // Without a version named: the privacy policy in force in the person's language.
    await clientAdd(t.baseUrl, shop, 5, {}, { locale: 'en' });
    expect((await postHook(t.baseUrl, 'NewsletterSignup', shop.secret, { brand: shop.slug, vars: { userid: 5 }, context: CONTEXT })).status).toBe(200);
    expect(await recorded(await subjectOf(t.suite, shop, 5))).toEqual([expect.objectContaining({ purpose: 'marketing:email', collection_point: 'newsletter', document_version: 'p-2026', document_language: 'en' })]);
  });

  it('MS-2 / SP-3: a marketing choice through the consent service carries the privacy version in force in the person\'s language', async () => {
    await clientAdd(t.baseUrl, shop, 6);
    const sid = await subjectOf(t.suite, shop, 6);
    await consentService(t.suite).setPreference(shop.slug, sid, 'sms', 'given', {}, { locale: 'de', ip: CONTEXT.ip, userAgent: CONTEXT.userAgent });
    await consentService(t.suite).setPreference(shop.slug, sid, 'email', 'given');
    expect((await recorded(sid)).map((r) => [r.purpose, r.document_version, r.document_language])).toEqual([['marketing:sms', 'p-2026-de', 'de'], ['marketing:email', 'p-2026', 'en']]);
  });

  it('MS-2 / SP-3: with double opt-in the confirmed newsletter consent is bound to the version shown at sign-up, not a later one', async () => {
    await clientAdd(t.baseUrl, doi, 1);
    const sid = await subjectOf(t.suite, doi, 1);
    const res = await postHook(t.baseUrl, 'NewsletterSignup', doi.secret, { brand: doi.slug, vars: { userid: 1, privacy_version_shown: 'doi-p1' }, context: CONTEXT });
    expect(res.body.data).toMatchObject({ consent: { newsletter: { email: 'pending' } } });
    expect(await recorded(sid)).toHaveLength(0);
    await publishTerms(t.suite, doi.id, 'en', 'doi-p2', 'privacy'); // a newer policy takes effect before the person confirms
    const msg = (await t.suite.kernel.db('outbox').where({ topic: 'consent.double-opt-in', subject_id: sid }).first()) as { payload_enc: string };
    const token = new URL(String((JSON.parse(await t.suite.kernel.keyring.decrypt(msg.payload_enc)) as Row).confirmUrl)).searchParams.get('token')!;
    const confirm = await fetch(`${t.baseUrl}/b/${doi.slug}/consent/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Mozilla/5.0 (confirm)' }, body: new URLSearchParams({ token }) });
    expect(confirm.status).toBe(200);
    expect(await recorded(sid)).toEqual([expect.objectContaining({ purpose: 'marketing:email', method: 'double-opt-in', document_version: 'doi-p1', ua: 'Mozilla/5.0 (confirm)' })]);
  });
});
