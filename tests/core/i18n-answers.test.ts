/**
 * Answers in the person's language: field messages of validation errors (lang keys under `validation.`), a refused
 * platform action (what and why), and the answer of an erase request (what was kept and why) — none forced to English.
 */
import type { SuiteError } from '../../core/errors';
import { t as tr } from '../../core/i18n';
import type { PlatformService } from '../../modules/platform';
import { adminKey, rightsBrand, rightsCall, signUp, type Json } from '../modules/rights/fixtures';
import { postHook, startTestSuite, type TestSuite } from '../helpers/test-suite';

let t: TestSuite;
let key: string;
let secret: string;

const platform = (): PlatformService => t.suite.kernel.service<PlatformService>('platform');

/** A customer of `brand` with one paid invoice (so an erasure keeps a statutory record). */
async function payingCustomer(brand: string, n: number): Promise<number> {
  const c = await signUp(t.suite, brand, n);
  const o = await platform().order(c.clientId, [{ type: 'hosting', product: 'Shared Hosting', amount: 7.5 }], { accepttos: true });
  await platform().pay(o.invoiceId);
  return c.subjectId;
}

/** Opens an erase request in `locale` through the admin API, fulfils it and returns the stored answer. */
async function erase(brand: string, subjectId: number, locale: string): Promise<Json> {
  const open = await rightsCall(t.baseUrl, key, brand, 'POST', '/requests', { type: 'erase', subjectId, verified: 'manual', locale });
  expect(open.status).toBe(201);
  const done = await rightsCall(t.baseUrl, key, brand, 'POST', `/requests/${open.body.request.id}/fulfil`);
  expect(done.status).toBe(200);
  return done.body.request.result as Json;
}

beforeAll(async () => {
  t = await startTestSuite();
  secret = await rightsBrand(t.suite, 'shop');
  await rightsBrand(t.suite, 'laden', { locale: 'de' });
  key = await adminKey(t.suite);
});
afterAll(async () => t?.close());

describe('validation messages in the caller\'s language', () => {
  it('a hook call with Accept-Language: de answers each field message in German; without it in English', async () => {
    const german = { headers: { 'accept-language': 'de-DE,de;q=0.9' } };
    const noClient = await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'shop', vars: { email: 'ada@example.org' } }, german);
    expect(noClient.status).toBe(400);
    expect(noClient.body.error).toBe(tr('de', 'errors.SUITE_VALIDATION_FAILED', { fields: 'vars.client_id' }));
    expect(noClient.body.fields).toEqual([{ field: 'vars.client_id', message: 'client_id (oder das veraltete userid) ist erforderlich' }]);
    const badFlag = await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'shop', vars: { client_id: 7, accepttos: 'perhaps' } }, german);
    expect(badFlag.body.fields).toEqual([{ field: 'vars.accepttos', message: 'Wahrheitswert erwartet (true/false, 1/0, on/off)' }]);
    const english = await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'shop', vars: { email: 'ada@example.org' } });
    expect(english.body.fields).toEqual([{ field: 'vars.client_id', message: 'client_id (or the deprecated userid) is required' }]);
  });

  it('an admin API call with Accept-Language: ar answers the field messages of a refused brand in Arabic', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/admin/brands`, {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'accept-language': 'ar' },
      body: JSON.stringify({ slug: 'Not A Slug', name: '' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Json;
    expect(body.fields).toEqual(expect.arrayContaining([
      { field: 'slug', message: tr('ar', 'validation.brand.slug') },
      { field: 'name', message: tr('ar', 'validation.brand.nameRequired') },
    ]));
    expect(tr('ar', 'validation.brand.nameRequired')).toBe('اسم العرض مطلوب');
  });
});

describe('texts once forced to English', () => {
  it('a refused platform action says what and why in the caller\'s language; its message (logs) stays English', async () => {
    const c = await signUp(t.suite, 'shop', 1);
    const o = await platform().order(c.clientId, [{ type: 'hosting', product: 'Shared Hosting', amount: 5 }], { accepttos: true });
    await platform().pay(o.invoiceId);
    const err = (await platform().pay(o.invoiceId).catch((e: unknown) => e)) as SuiteError;
    expect(err.code).toBe('SUITE_PLATFORM_STATE');
    expect(err.message).toBe('Paying the invoice cannot be done: the invoice is already paid.');
    expect(err.toJSON('de').error).toBe('Das Bezahlen der Rechnung ist nicht möglich: die Rechnung ist bereits bezahlt.');
    expect(err.toJSON('fr').error).toContain(tr('fr', 'platform.reason.invoicePaid'));
  });

  it('MS-8f: an erase request made in German is answered in German: what was kept and why', async () => {
    const subjectId = await payingCustomer('shop', 2);
    const result = await erase('shop', subjectId, 'de');
    expect(result.kept[0]).toMatchObject({ module: 'rights', what: expect.stringContaining('Rechnungsdatensätze (1)'), why: expect.stringMatching(/^gesetzliche Pflicht, Rechnungen bis \d{4}-\d{2}-\d{2} aufzubewahren/) });
    for (const k of result.kept as { why: string }[]) expect(k.why).not.toMatch(/legal obligation|kept by the module|anonymous tombstone/);
    // The statutory record is the controller's: its legal basis is in the brand's language (en here).
    const [record] = await t.suite.kernel.db('rights_statutory_records').where({ subject_id: subjectId });
    expect(record.legal_basis).toMatch(/^Statutory bookkeeping obligation|VAT and accounting records/);
  });

  it('MS-8f: on a German brand the statutory record\'s legal basis is German, and a French request is answered in French', async () => {
    const subjectId = await payingCustomer('laden', 3);
    const result = await erase('laden', subjectId, 'fr');
    expect(result.kept[0].why).toMatch(/^obligation légale de conserver les factures jusqu'à \d{4}-\d{2}-\d{2}/);
    const [record] = await t.suite.kernel.db('rights_statutory_records').where({ subject_id: subjectId });
    expect(record.legal_basis).toBe(tr('de', 'rights.erase.legalBasis.GB', { years: result.statutory.years }));
    expect(record.legal_basis).toContain('Umsatzsteuer- und Buchhaltungsunterlagen');
  });
});

describe('zod\'s own messages in the caller\'s language', () => {
  it('a profile with a missing, a mistyped and an unknown field answers each in German, and in English without the header', async () => {
    const put = (headers: Record<string, string>): Promise<Response> => fetch(`${t.baseUrl}/api/v1/admin/brands/shop/profile`, {
      method: 'PUT', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ controller: { email: 'dpo@example.org' }, locale: 7, minimumAge: 'old' }),
    });
    const german = await put({ 'accept-language': 'de' });
    expect(german.status).toBe(400);
    const de = Object.fromEntries(((await german.json()) as { fields: { field: string; message: string }[] }).fields.map((f) => [f.field, f.message]));
    expect(de['profile.controller.name'] ?? de['controller.name']).toBe(tr('de', 'validation.zod.required'));
    expect(Object.values(de)).toContain(tr('de', 'validation.zod.invalidType', { expected: 'string', received: 'number' }));
    for (const m of Object.values(de)) expect(m).not.toMatch(/^(Required|Expected|Invalid|String must|Number must)/);
    const english = await put({});
    const en = ((await english.json()) as { fields: { message: string }[] }).fields.map((f) => f.message);
    expect(en).toContain(tr('en', 'validation.zod.required'));
  });
});
