/**
 * The access export says what GDPR Art. 15(1) requires beside the data (MS-8b): a customer signed up through the
 * reference platform, with a domain registered at the registrar (a disclosure) and an invoice paid by a third party,
 * exports their data; data.json and index.html carry the purposes and legal bases, the categories held, the
 * recipients from the disclosure log with dates, the retention of each category, the rights, the supervisory
 * authority and the sources, escaped and in the request's language.
 */
import { PrivacyProfile } from '../../../core/profile/schema';
import type { PlatformService } from '../../../modules/platform';
import { useRegistrar } from '../../../modules/registrant/transfer/registrar-lookup';
import { createBrand, drainOutbox, PROVIDER_PROFILE, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { unzip, type Unzipped } from '../../helpers/unzip';
import { FakeRegistrar, REGISTRANT_SETTINGS } from '../registrant/fixtures';
import { adminKey, RIGHTS_PROFILE, rightsBrand, rightsCall, type Json } from './fixtures';

const registrar = new FakeRegistrar();
let t: TestSuite;
let key: string;

const REGISTRAR = { code: 'registrar', name: 'Registrar <Domains> & Co', kind: 'registrar', country: 'DE', purposes: ['domain-registration'], categories: ['contact', 'registration'] };
const AUTHORITY = { name: 'Data <Watch> & "Co"', url: 'https://authority.example/complain', email: 'complaints@authority.example', country: 'GB' };
const RETENTION = [
  { category: 'contact', from: 'account-closed', days: 30, action: 'anonymise' },
  { category: 'usage', from: 'collected', days: 90, action: 'delete' },
];
const PURPOSES = RIGHTS_PROFILE.purposes.map((p) => (p.code === 'service' ? { ...p, description: 'Providing the <hosting> service' } : p));

const platform = (): PlatformService => t.suite.kernel.service<PlatformService>('platform');

beforeAll(async () => {
  useRegistrar(() => registrar);
  t = await startTestSuite({ config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 4 } });
  await rightsBrand(t.suite, 'shop', {
    purposes: PURPOSES, recipients: [...RIGHTS_PROFILE.recipients, REGISTRAR], retention: RETENTION, supervisoryAuthority: AUTHORITY,
    modules: { registrant: REGISTRANT_SETTINGS },
  });
  await rightsBrand(t.suite, 'paris', { controller: { ...PROVIDER_PROFILE.controller, country: 'FR' } });
  await rightsBrand(t.suite, 'berlin', { controller: { ...PROVIDER_PROFILE.controller, country: 'DE' }, rights: { dueRule: 'gdpr-month' } });
  key = await adminKey(t.suite);
});
afterAll(async () => {
  useRegistrar();
  await t?.close();
});

/** A customer of `brand` with a registered .com domain (paid by themselves) and a second invoice paid by a third party. */
async function customer(brand: string, n: number): Promise<{ clientId: number; subjectId: number }> {
  const p = platform();
  const facts = { ip: `203.0.113.${n}`, userAgent: `Art15Browser/${n}.0` };
  const s = await p.signUp(brand, {
    firstname: 'Grace', lastname: `Hopper${n}`, email: `grace.${n}@example.org`, address1: '1 Compiler Way', city: 'Arlington', postcode: '22201',
    country: 'GB', phonenumber: '+44.2079460019', password: `correct horse battery ${n}`, accepttos: true,
  }, facts);
  const domain = `cobol${n}.com`;
  const o = await p.order(s.clientId, [{ type: 'domain', name: domain, regperiod: 1, idprotection: false, amount: 12 }], { accepttos: true }, facts);
  await p.pay(o.invoiceId, {}, facts);
  const dom = await t.suite.kernel.db('platform_domains').where({ client_id: s.clientId, name: domain }).first('id');
  await p.registerDomain(Number(dom.id), facts);
  const second = await p.order(s.clientId, [{ type: 'hosting', product: 'Shared Hosting', amount: 5 }], { accepttos: true }, facts);
  await p.pay(second.invoiceId, { payer: { firstname: 'Pat', lastname: 'Payer', email: `pat.${n}@example.org` } }, facts);
  await drainOutbox(t.suite, { rounds: 20 });
  return { clientId: s.clientId, subjectId: s.subjectId! };
}

/** Opens, verifies and fulfils an access request in `locale`, downloads the zip and unzips it. */
async function exportZip(brand: string, subjectId: number, locale: string): Promise<Unzipped> {
  const open = await rightsCall(t.baseUrl, key, brand, 'POST', '/requests', { type: 'access', subjectId, locale });
  expect(open.status).toBe(201);
  expect((await rightsCall(t.baseUrl, key, brand, 'POST', `/requests/${open.body.request.id}/verify`, { method: 'manual' })).status).toBe(200);
  const done = await rightsCall(t.baseUrl, key, brand, 'POST', `/requests/${open.body.request.id}/fulfil`);
  expect(done.status).toBe(200);
  const res = await fetch(`${t.baseUrl}${done.body.request.result.url}`);
  expect(res.status).toBe(200);
  return unzip(Buffer.from(await res.arrayBuffer()));
}

const text = (zip: Unzipped, name: string): string => zip.get(name)!.toString('utf8');

describe('access export, GDPR Art. 15(1) (MS-8b)', () => {
  it('MS-8b: data.json names purposes, categories, the recipients from the disclosure log with dates, retention, rights, authority and sources', async () => {
    const c = await customer('shop', 1);
    const brand = await t.suite.kernel.brands.get('shop');
    const logged = (await t.suite.kernel.db('disclosure_log').where({ brand_id: brand.id, subject_id: c.subjectId, recipient: 'registrar' }).orderBy('id')) as { created_at: number }[];
    expect(logged.length).toBeGreaterThan(0);
    // Another person's disclosures never show in this export.
    await customer('shop', 2);
    const mine = Number((await t.suite.kernel.db('disclosure_log').where({ subject_id: c.subjectId }).count({ n: '*' }))[0].n);

    const data = JSON.parse(text(await exportZip('shop', c.subjectId, 'en'), 'data.json')) as Json;
    const a = data.article15;
    expect(a.purposes.map((p: Json) => [p.code, p.legalBasis])).toEqual(PURPOSES.map((p) => [p.code, p.legalBasis]));
    expect(a.purposes.find((p: Json) => p.code === 'marketing').legalBasisText).toMatch(/consent.*Art\. 6\(1\)\(a\)/);

    const cats = Object.fromEntries(a.categories.map((x: Json) => [x.category, x]));
    expect(Object.keys(cats)).toEqual(expect.arrayContaining(['contact', 'usage', 'billing']));
    expect(cats.contact.fields).toEqual(expect.arrayContaining(['email', 'firstname', 'lastname']));
    expect(cats.usage.fields).toEqual(expect.arrayContaining(['ip', 'user_agent']));
    expect(cats.billing.sets).toContain('platform/invoices');

    const reg = a.recipients.find((r: Json) => r.recipient === 'registrar');
    expect(reg).toMatchObject({ name: REGISTRAR.name, kind: 'registrar', country: 'DE', purpose: 'domain-registration', categories: ['contact', 'registration'], count: logged.length });
    expect(reg.first).toBe(new Date(Number(logged[0].created_at)).toISOString());
    expect(reg.dates).toContain(new Date(Number(logged[logged.length - 1].created_at)).toISOString());
    // Exactly this person's entries as they stood when the export was made (its own link email is logged after it).
    expect(a.recipients.reduce((n: number, r: Json) => n + r.count, 0)).toBe(mine);

    const ret = Object.fromEntries(a.retention.map((x: Json) => [x.category, x]));
    expect(ret.contact.rules).toEqual([expect.objectContaining({ from: 'account-closed', days: 30, action: 'anonymise' })]);
    expect(ret.contact.text).toEqual(['While your account is active, then 30 days after it is closed; then it is anonymised.']);
    expect(ret.usage.text).toEqual(['90 days after it was collected; then it is deleted.']);
    expect(ret.billing).toMatchObject({ rules: [], statutoryInvoiceYears: 6 });
    expect(ret.billing.text).toEqual([expect.stringContaining('6 years (statutory bookkeeping)')]);

    expect(a.rights.rights.map((r: Json) => r.right)).toEqual(['access', 'rectification', 'erasure', 'restriction', 'objection', 'portability', 'withdraw-consent']);
    expect(a.rights).toMatchObject({ dueRule: 'business-days', dueBusinessDays: 30, dueText: 'We answer your requests within 30 business days.' });
    expect(a.supervisoryAuthority).toMatchObject({ ...AUTHORITY, source: 'profile' });
    expect(a.supervisoryAuthority.text).toContain(AUTHORITY.name);

    const sources = Object.fromEntries(a.sources.map((s: Json) => [s.source, s]));
    expect(sources.you).toMatchObject({ hooks: ['ClientAdd', 'ClientEdit'], categories: expect.arrayContaining(['contact']) });
    expect(sources.automatic).toMatchObject({ hooks: ['ClientAdd'], categories: ['usage'] });
    expect(sources['third-party-payer']).toMatchObject({ hooks: ['InvoicePaid'], categories: ['billing'], count: 1, first: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    expect(sources['third-party-payer'].text).toMatch(/third party who paid 1 of your invoices/);
    // The payer is named nowhere in the client's sources: they are a data subject of their own (ESM-2).
    expect(JSON.stringify(a)).not.toContain('pat.1@example.org');
  });

  it('MS-8b: index.html shows the sections escaped, in German for a request in German', async () => {
    const c = await customer('shop', 3);
    const html = text(await exportZip('shop', c.subjectId, 'de'), 'index.html');
    expect(html).toContain('<html lang="de" dir="ltr">');
    for (const heading of ['Zur Verarbeitung Ihrer Daten', 'Warum wir Ihre Daten verarbeiten', 'Wer Ihre Daten erhalten hat', 'Wie lange wir Ihre Daten speichern', 'Ihre Rechte', 'Beschwerden', 'Woher Ihre Daten stammen']) {
      expect(html).toContain(heading);
    }
    expect(html).toContain('Providing the &lt;hosting&gt; service');
    expect(html).toContain('Erfüllung unseres Vertrags mit Ihnen (Art. 6 Abs. 1 lit. b DSGVO)');
    expect(html).toContain('Registrar &lt;Domains&gt; &amp; Co');
    expect(html).not.toContain('<Domains>');
    expect(html).toContain('Solange Ihr Konto aktiv ist, danach 30 Tage nach seiner Schließung; dann werden sie anonymisiert.');
    expect(html).toContain('Rechnungen und die Rechnungsangaben darauf: 6 Jahre');
    expect(html).toContain('Berichtigung: falsche oder unvollständige Daten korrigieren lassen');
    expect(html).toContain('innerhalb von 30 Werktagen');
    expect(html).toContain('Data &lt;Watch&gt; &amp; &quot;Co&quot;');
    expect(html).not.toContain('<Watch>');
    expect(html).toContain('href="https://authority.example/complain"');
    expect(html).toContain('Von einer dritten Person, die 1 Ihrer Rechnungen bezahlt hat');
    // The registrar's row carries the date of the logged disclosure, formatted for German readers.
    const brand = await t.suite.kernel.brands.get('shop');
    const first = await t.suite.kernel.db('disclosure_log').where({ brand_id: brand.id, subject_id: c.subjectId, recipient: 'registrar' }).orderBy('id').first('created_at');
    const day = new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeZone: 'UTC' }).format(Number(first.created_at));
    expect(html).toMatch(new RegExp(`Registrar &lt;Domains&gt; &amp; Co</td>.*${day.replace(/\./g, '\\.')}`));
  });

  it('MS-8b: without a configured authority the controller\'s country names one where it has a single one, else a generic sentence', async () => {
    const paris = await customer('paris', 4);
    const fr = JSON.parse(text(await exportZip('paris', paris.subjectId, 'fr'), 'data.json')) as Json;
    expect(fr.article15.supervisoryAuthority).toMatchObject({ source: 'controller-country', country: 'FR', name: expect.stringContaining('CNIL') });
    const berlin = await customer('berlin', 5);
    const zip = await exportZip('berlin', berlin.subjectId, 'en');
    const de = JSON.parse(text(zip, 'data.json')) as Json;
    expect(de.article15.supervisoryAuthority).toEqual({ source: 'generic', text: expect.stringContaining('the country where you live or work') });
    expect(de.article15.rights.dueText).toMatch(/within one month/);
    expect(text(zip, 'index.html')).toContain('data protection supervisory authority of the country where you live or work');
  });

  it('MS-8b: a contact\'s data came from the account holder, a third-party payer\'s from their own payment', async () => {
    const c = await customer('shop', 6);
    const { contactId } = await platform().addContact(c.clientId, { firstname: 'Ada', lastname: 'Contact6', email: 'ada.contact6@example.org' });
    const brand = await t.suite.kernel.brands.get('shop');
    const contact = await t.suite.kernel.subjects.findByExternal(brand.id, 'contact', contactId);
    const ofContact = JSON.parse(text(await exportZip('shop', contact!.id, 'en'), 'data.json')) as Json;
    expect(ofContact.article15.sources).toEqual([expect.objectContaining({ source: 'account-holder', hooks: ['ContactAdd', 'ContactEdit'], categories: ['contact'] })]);
    expect(ofContact.article15.categories.map((x: Json) => x.category)).toEqual(['contact']);

    const payer = await t.suite.kernel.db('subjects').where({ brand_id: brand.id, kind: 'payer' }).orderBy('id', 'desc').first('id');
    const ofPayer = JSON.parse(text(await exportZip('shop', Number(payer.id), 'en'), 'data.json')) as Json;
    expect(ofPayer.article15.sources).toEqual([expect.objectContaining({ source: 'payment', hooks: ['InvoicePaid'], categories: ['contact'] })]);
    expect(ofPayer.article15.sources[0].text).toMatch(/paid an invoice for another customer/);
    expect(ofPayer.article15.retention.map((r: Json) => r.category)).toEqual(['contact']);
  });

  it('MS-8b: a profile\'s supervisoryAuthority is validated, each wrong field named', async () => {
    const bad = PrivacyProfile.safeParse({ ...PROVIDER_PROFILE, supervisoryAuthority: { name: '', url: 'ftp://authority.example', email: 'nope', country: 'gb', phone: '1' } });
    expect(bad.success).toBe(false);
    const paths = bad.success ? [] : bad.error.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['supervisoryAuthority.name', 'supervisoryAuthority.url', 'supervisoryAuthority.email', 'supervisoryAuthority.country', 'supervisoryAuthority']));
    const refused = await createBrand(t.suite, 'bad-authority', { profile: { ...PROVIDER_PROFILE, supervisoryAuthority: { name: 'X', url: 'javascript:alert(1)' } } }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'SUITE_VALIDATION_FAILED' });
    expect(JSON.stringify(refused)).toContain('supervisoryAuthority.url');
    expect(PrivacyProfile.safeParse({ ...PROVIDER_PROFILE, supervisoryAuthority: { name: 'ICO' } }).success).toBe(true);
  });
});
