/**
 * Issue 15 point 8: the hooks WHMCS has and the promises need, and the formerly idle ones, each do what a promise needs:
 * UserLogin (last-login, MS-9), ContactDetailsValidation (WSM-22), AfterRegistrarTransfer and
 * AfterRegistrarSaveContactDetails (the registrar disclosure, logged once), PreDeleteClient (erase before the panel
 * deletes, statutory copies kept; MS-8).
 */
import { postHook, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { disclosures, registrantBrand, whmcsParams } from '../modules/registrant/fixtures';
import { consentBrand, CONTEXT, bornYearsAgo, type TestBrand } from '../modules/consent/marketing-fixtures';
import { rightsBrand } from '../modules/rights/fixtures';

let t: TestSuite;
let shop: TestBrand;
let regSecret: string;
let rightsSecret: string;

beforeAll(async () => {
  t = await startTestSuite();
  shop = await consentBrand(t.suite, 'bind-shop', { model: 'opt-in', minimumAge: 16 });
  regSecret = await registrantBrand(t.suite, 'bind-reg');
  rightsSecret = await rightsBrand(t.suite, 'bind-rights');
});
afterAll(() => t.close());

const brandId = async (slug: string) => (await t.suite.kernel.brands.get(slug)).id;
const clientAdd = (slug: string, secret: string, id: number) => postHook(t.baseUrl, 'ClientAdd', secret, {
  brand: slug, vars: { client_id: id, firstname: 'Ada', lastname: 'Lovelace', email: `ada${id}@example.org`, country: 'GB' }, context: CONTEXT,
});

describe('UserLogin → the last-login retention event (MS-9)', () => {
  it('with the connector\'s userid the client\'s last_login is stored; WHMCS\'s bare user object alone records nothing and says why', async () => {
    await clientAdd(shop.slug, shop.secret, 5);
    const bare = await postHook(t.baseUrl, 'UserLogin', shop.secret, { brand: shop.slug, vars: { user: { id: 12, email: 'ada5@example.org' } }, context: CONTEXT });
    expect(bare.status).toBe(200);
    expect(bare.body.data).toMatchObject({ lastLogin: 'client-not-reported' });
    const s = (await t.suite.kernel.subjects.findByExternal(shop.id, 'client', 5))!;
    expect((await t.suite.kernel.subjects.fields(s.id)).find((f) => f.name === 'last_login')).toBeUndefined();
    const res = await postHook(t.baseUrl, 'UserLogin', shop.secret, { brand: shop.slug, vars: { user: { id: 12 }, userid: '5' }, context: CONTEXT });
    expect(res.body.data).toMatchObject({ lastLogin: 'recorded', subjectId: s.id });
    const field = (await t.suite.kernel.subjects.fields(s.id)).find((f) => f.name === 'last_login');
    expect(field).toMatchObject({ category: 'usage' });
    expect(Date.now() - Date.parse(field!.value)).toBeLessThan(60_000);
    const unknown = await postHook(t.baseUrl, 'UserLogin', shop.secret, { brand: shop.slug, vars: { userid: 777 }, context: CONTEXT });
    expect(unknown.body.data).toMatchObject({ lastLogin: 'subject-unknown' });
  });
});

describe('ContactDetailsValidation (WSM-22)', () => {
  it('refuses a contact below the minimum age in the person\'s language, lets an adult or a form without a date of birth through', async () => {
    const posted = { firstname: 'Kid', lastname: 'Lovelace', email: 'kid@example.org', country: 'GB', generalemails: '1', subaccount: '0' };
    const young = await postHook(t.baseUrl, 'ContactDetailsValidation', shop.secret, { brand: shop.slug, vars: { ...posted, userid: 5, date_of_birth: bornYearsAgo(12) }, context: { ...CONTEXT, locale: 'de' } });
    expect(young.body.errors).toEqual([expect.stringContaining('16')]);
    const adult = await postHook(t.baseUrl, 'ContactDetailsValidation', shop.secret, { brand: shop.slug, vars: { ...posted, date_of_birth: bornYearsAgo(30) }, context: CONTEXT });
    expect(adult.body.errors).toBeUndefined();
    const plain = await postHook(t.baseUrl, 'ContactDetailsValidation', shop.secret, { brand: shop.slug, vars: posted, context: CONTEXT });
    expect(plain.body.errors).toBeUndefined();
  });
});

describe('AfterRegistrarTransfer / AfterRegistrarSaveContactDetails: the contacts handed to the registrar, logged once', () => {
  it('a transfer the PreRegistrarTransferDomain hook already logged is not logged again; a failed registrar call records nothing', async () => {
    const id = await brandId('bind-reg');
    await clientAdd('bind-reg', regSecret, 7);
    const params = whmcsParams(7, 'moved', 'com');
    const pre = await postHook(t.baseUrl, 'PreRegistrarTransferDomain', regSecret, { brand: 'bind-reg', vars: { params } });
    expect(pre.status).toBe(200);
    const afterPre = (await disclosures(t.suite, id)).length;
    expect(afterPre).toBe(1);
    const after = await postHook(t.baseUrl, 'AfterRegistrarTransfer', regSecret, { brand: 'bind-reg', vars: { params, results: { success: true }, functionExists: true, functionSuccessful: true } });
    expect(after.status).toBe(200);
    expect(after.body.data).toMatchObject({ registrant: { domainId: expect.any(Number), disclosureLogged: false } });
    expect((await disclosures(t.suite, id)).length).toBe(afterPre);

    const failed = await postHook(t.baseUrl, 'AfterRegistrarTransfer', regSecret, { brand: 'bind-reg', vars: { params: whmcsParams(7, 'nothere', 'com'), results: { error: 'x' }, functionExists: true, functionSuccessful: false } });
    expect(failed.body.data).toMatchObject({ registrant: { skipped: 'registrar-failed' } });
    expect(await t.suite.kernel.db('registrant_domains').where({ brand_id: id, domain: 'nothere.com' }).first()).toBeUndefined();
  });

  it('contacts saved at the registrar: a changed contact set is logged once as a disclosure, the same set again is not', async () => {
    const id = await brandId('bind-reg');
    const before = (await disclosures(t.suite, id)).length;
    const params = whmcsParams(7, 'moved', 'com', { email: 'ada.new@example.org', city: 'Cambridge' });
    const saved = await postHook(t.baseUrl, 'AfterRegistrarSaveContactDetails', regSecret, { brand: 'bind-reg', vars: { params, results: {}, functionExists: true, functionSuccessful: true } });
    expect(saved.body.data).toMatchObject({ registrant: { disclosureLogged: true } });
    const log = await disclosures(t.suite, id);
    expect(log.length).toBe(before + 1);
    expect(log.at(-1)).toMatchObject({ recipient: 'registrar', purpose: 'domain-registration' });
    const row = await t.suite.kernel.db('registrant_domains').where({ brand_id: id, domain: 'moved.com' }).first();
    expect(row.status).toBe('transferring');
    const again = await postHook(t.baseUrl, 'AfterRegistrarSaveContactDetails', regSecret, { brand: 'bind-reg', vars: { params, functionSuccessful: true } });
    expect(again.body.data).toMatchObject({ registrant: { disclosureLogged: false } });
    expect((await disclosures(t.suite, id)).length).toBe(before + 1);
  });
});

describe('PreDeleteClient → erase in the suite before the panel deletes (MS-8)', () => {
  it('erases a known client (its fields gone, the subject marked erased); an unknown or already erased one is left alone', async () => {
    await clientAdd('bind-rights', rightsSecret, 31);
    const id = await brandId('bind-rights');
    const s = (await t.suite.kernel.subjects.findByExternal(id, 'client', 31))!;
    const res = await postHook(t.baseUrl, 'PreDeleteClient', rightsSecret, { brand: 'bind-rights', vars: { userid: 31 } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ erased: true, subjectId: s.id });
    expect((await t.suite.kernel.subjects.get(s.id)).status).toBe('erased');
    expect(JSON.stringify(await t.suite.kernel.subjects.fields(s.id))).not.toContain('ada31@example.org');
    const again = await postHook(t.baseUrl, 'PreDeleteClient', rightsSecret, { brand: 'bind-rights', vars: { userid: 31 } });
    expect(again.body.data).toMatchObject({ erased: false, reason: 'already-erased' });
    const unknown = await postHook(t.baseUrl, 'PreDeleteClient', rightsSecret, { brand: 'bind-rights', vars: { userid: 9999 } });
    expect(unknown.body.data).toMatchObject({ erased: false, reason: 'subject-unknown' });
  });

  it('TOS-1.4: keeps statutory copies of the invoices the connector read from the panel, with only the billing details, before erasing', async () => {
    await clientAdd('bind-rights', rightsSecret, 32);
    const id = await brandId('bind-rights');
    const s = (await t.suite.kernel.subjects.findByExternal(id, 'client', 32))!;
    const invoices = [
      { id: '501', date: '2025-03-01', total: '119.00', status: 'Paid', datepaid: '2025-03-02 10:11:12' },
      { id: 502, date: '2025-06-01', total: 20, status: 'Unpaid', datepaid: '0000-00-00 00:00:00' },
    ];
    const res = await postHook(t.baseUrl, 'PreDeleteClient', rightsSecret, { brand: 'bind-rights', vars: { userid: 32, invoices } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ erased: true, subjectId: s.id, panelInvoicesKept: 2 });
    const rows = (await t.suite.kernel.db('rights_statutory_records').where({ subject_id: s.id, source: 'panel_invoices' }).orderBy('record_id')) as { record_id: string; fields_enc: string; keep_until: number | string }[];
    expect(rows.map((r) => r.record_id)).toEqual(['501', '502']);
    const first = JSON.parse(await t.suite.kernel.keyring.decrypt(rows[0].fields_enc)) as Record<string, unknown>;
    expect(first).toEqual({ invoice: { id: 501, date: '2025-03-01', total: 119, status: 'Paid', paidAt: '2025-03-02' }, role: 'customer', billing: { name: 'Ada Lovelace', country: 'GB' } });
    expect(new Date(Number(rows[0].keep_until)).getUTCMonth()).toBe(11);
    expect((await t.suite.kernel.subjects.get(s.id)).status).toBe('erased');
  });
});
