/**
 * MS-2 / SP-3 through the reference platform's own flows: sign-up, order and newsletter sign-up record acceptance of
 * the exact policy version the form showed, in the person's language, with IP and user agent; marketing consents
 * carry the privacy policy version; a version that does not exist is refused before anything is written.
 */
import { startTestSuite, createBrand, PROVIDER_PROFILE, type TestSuite } from '../../helpers/test-suite';
import { SuiteError } from '../../../core/errors';
import type { PlatformService } from '../../../modules/platform';
import { publishTerms } from '../consent/marketing-fixtures';

type Row = Record<string, unknown>;

let t: TestSuite;
let brandId: number;
const platform = (): PlatformService => t.suite.kernel.service<PlatformService>('platform');
const DE = { ip: '198.51.100.8', userAgent: 'Mozilla/5.0 (platform de)', locale: 'de' };
const EN = { ip: '203.0.113.80', userAgent: 'Mozilla/5.0 (platform en)', locale: 'en' };

function person(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { firstname: 'Emmy', lastname: `Noether${n}`, email: `emmy.${n}@example.org`, country: 'DE', password: `correct horse battery ${n}`, accepttos: true, ...extra };
}

/** The ledger rows of a subject with the language of the bound document, and IP and user agent decrypted. */
async function recorded(subjectId: number): Promise<Row[]> {
  const rows = (await t.suite.kernel.db('consent_ledger as l').leftJoin('consent_documents as d', 'd.id', 'l.document_id')
    .where({ 'l.subject_id': subjectId }).orderBy('l.seq').select('l.*', 'd.language as document_language')) as Row[];
  const k = t.suite.kernel.keyring;
  return Promise.all(rows.map(async (r) => ({ ...r, ip: r.ip_enc ? await k.decrypt(String(r.ip_enc)) : null, ua: r.ua_enc ? await k.decrypt(String(r.ua_enc)) : null })));
}
const byPurpose = (rows: Row[], purpose: string, point?: string): Row => rows.find((r) => r.purpose === purpose && (!point || r.collection_point === point))!;
const count = async (table: string): Promise<number> => Number(((await t.suite.kernel.db(table).count({ n: '*' }).first()) as { n: number | string }).n);
const everything = async (): Promise<number[]> => Promise.all(['platform_clients', 'platform_orders', 'subjects', 'consent_ledger', 'consent_tokens'].map(count));

async function refused(p: Promise<unknown>): Promise<SuiteError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(SuiteError);
  return err as SuiteError;
}

beforeAll(async () => {
  t = await startTestSuite({ http: false });
  await createBrand(t.suite, 'plat', { profile: { ...PROVIDER_PROFILE, consent: { model: 'opt-in', channels: ['email', 'sms'] } } });
  brandId = (await t.suite.kernel.brands.get('plat')).id;
  for (const [lang, version, kind] of [['en', '3.0', 'terms'], ['en', '3.1', 'terms'], ['de', '3.1-de', 'terms'], ['en', 'priv-1', 'privacy'], ['de', 'priv-1-de', 'privacy']]) {
    await publishTerms(t.suite, brandId, lang, version, kind);
  }
});
afterAll(() => t.close());

describe('MS-2 / SP-3: consent at every collection point of the reference platform', () => {
  it('MS-2 / SP-3: signUp records the terms and privacy versions the form showed, in the person\'s language, with IP and user agent', async () => {
    const { subjectId } = await platform().signUp('plat', person(1, { terms_version_shown: '3.1-de', marketing_emails_opt_in: true, privacy_version_shown: 'priv-1-de' }), DE);
    const rows = await recorded(subjectId!);
    expect(byPurpose(rows, 'terms')).toMatchObject({ action: 'given', collection_point: 'registration', document_version: '3.1-de', document_language: 'de', ip: DE.ip, ua: DE.userAgent });
    expect(byPurpose(rows, 'marketing:email')).toMatchObject({ action: 'given', collection_point: 'registration', document_version: 'priv-1-de', document_language: 'de', ip: DE.ip, ua: DE.userAgent });

    // Without versions named: those in force in the person's language.
    const plain = await platform().signUp('plat', person(2, { marketing_emails_opt_in: true }), DE);
    const plainRows = await recorded(plain.subjectId!);
    expect(byPurpose(plainRows, 'terms')).toMatchObject({ document_version: '3.1-de', document_language: 'de' });
    expect(byPurpose(plainRows, 'marketing:email')).toMatchObject({ document_version: 'priv-1-de', document_language: 'de' });
  });

  it('MS-2 / SP-3: an order records the terms version shown at checkout and the privacy version of the marketing choice', async () => {
    const { clientId, subjectId } = await platform().signUp('plat', person(3), EN);
    expect((await recorded(subjectId!)).map((r) => [r.purpose, r.collection_point, r.document_version])).toEqual([['terms', 'registration', '3.1']]);
    await platform().order(clientId, [{ type: 'hosting', product: 'VPS', amount: 20 }], { accepttos: true, terms_version_shown: '3.0', marketing_emails_opt_in: true, privacy_version_shown: 'priv-1' }, EN);
    const rows = await recorded(subjectId!);
    expect(byPurpose(rows, 'terms', 'checkout')).toMatchObject({ document_version: '3.0', document_language: 'en', ip: EN.ip, ua: EN.userAgent });
    expect(byPurpose(rows, 'marketing:email')).toMatchObject({ collection_point: 'checkout', document_version: 'priv-1', document_language: 'en', ip: EN.ip, ua: EN.userAgent });
  });

  it('MS-2 / SP-3: a newsletter sign-up fires NewsletterSignup and records consent per channel bound to the privacy version shown', async () => {
    const { clientId, subjectId } = await platform().signUp('plat', person(4), DE);
    const res = await platform().subscribeNewsletter(clientId, { channels: ['email', 'sms'], privacy_version_shown: 'priv-1-de' }, DE);
    expect(res).toEqual({ clientId, channels: { email: 'given', sms: 'given' }, failures: 0 });
    const rows = (await recorded(subjectId!)).filter((r) => r.collection_point === 'newsletter');
    expect(rows.map((r) => r.purpose)).toEqual(['marketing:email', 'marketing:sms']);
    for (const r of rows) expect(r).toMatchObject({ action: 'given', collection_point: 'newsletter', document_version: 'priv-1-de', document_language: 'de', ip: DE.ip, ua: DE.userAgent });
  });

  it('MS-2 / SP-3: a version the form names that does not exist in the person\'s language is refused at sign-up, order and newsletter, nothing written', async () => {
    const { clientId } = await platform().signUp('plat', person(5), EN);
    const before = await everything();
    const signUp = await refused(platform().signUp('plat', person(6, { terms_version_shown: '3.0' }), DE)); // 3.0 is English only
    expect(signUp.code).toBe('SUITE_VALIDATION_FAILED');
    expect(signUp.fields?.map((f) => f.field)).toEqual(['vars.terms_version_shown']);
    const order = await refused(platform().order(clientId, [{ type: 'hosting', product: 'VPS', amount: 20 }], { accepttos: true, terms_version_shown: '9.9' }, EN));
    expect(order.fields?.map((f) => f.field)).toEqual(['vars.terms_version_shown']);
    const newsletter = await refused(platform().subscribeNewsletter(clientId, { privacy_version_shown: 'priv-1-de' }, EN));
    expect(newsletter.fields?.map((f) => f.field)).toEqual(['vars.privacy_version_shown']);
    expect(await everything()).toEqual(before);
  });
});
