/**
 * TOS-1.4: erasure keeps invoices for the brand's statutory period, stripped to what the law needs. The invoice rows
 * keep their totals; the billing details go into an encrypted statutory record with only the invoice fields, the
 * legal basis of the controller's country and keep-until = invoice date + DE 8 / GB 6 / US 7 / AE 5 (else 10) years;
 * the daily job deletes records past that date and keeps the others.
 */
import type { PlatformService } from '../../../modules/platform';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, RIGHTS_PROFILE, rightsBrand, rightsCall } from './fixtures';

let t: TestSuite;
let key: string;

const COUNTRIES: [string, number, RegExp][] = [['DE', 8, /§ 147 AO/], ['GB', 6, /HMRC/], ['US', 7, /IRS/], ['AE', 5, /Decree-Law No\. 8 of 2017/], ['FR', 10, /bookkeeping/]];
const YEAR_MS = 365.25 * 86_400_000;
const platform = (): PlatformService => t.suite.kernel.service<PlatformService>('platform');
/** The end of the invoice's calendar year plus the statutory years (periods run from the end of the year, § 147(4) AO). */
const plusYears = (ms: number, years: number): number => Date.UTC(new Date(ms).getUTCFullYear() + years, 11, 31, 23, 59, 59, 999);

/** A customer of `brand` with a tax id and one paid invoice; returns ids. */
async function customer(brand: string, n: number): Promise<{ subjectId: number; invoiceId: number }> {
  const p = platform();
  const s = await p.signUp(brand, {
    firstname: 'Emmy', lastname: `Noether${n}`, companyname: 'Invariants AG', email: `emmy.${n}@example.org`, address1: '7 Bunsenstrasse', address2: 'Hinterhaus',
    city: 'Göttingen', postcode: '37073', country: 'DE', phonenumber: '+49.5513900000', password: `correct horse battery ${n}`, accepttos: true,
  });
  const b = await t.suite.kernel.brands.get(brand);
  // The panel sends the VAT id later, as WHMCS's ClientEdit would.
  await t.suite.kernel.db.transaction((trx) => t.suite.kernel.subjects.upsert(trx, { brandId: b.id, kind: 'client', externalId: s.clientId, fields: { tax_id: `DE1234567${n}` } }));
  const o = await p.order(s.clientId, [{ type: 'hosting', product: 'VPS', amount: 20 }], { accepttos: true });
  await p.pay(o.invoiceId);
  return { subjectId: s.subjectId!, invoiceId: o.invoiceId };
}

async function erase(brand: string, subjectId: number): Promise<Awaited<ReturnType<typeof rightsCall>>['body']> {
  const open = await rightsCall(t.baseUrl, key, brand, 'POST', '/requests', { type: 'erase', subjectId, verified: 'manual' });
  const done = await rightsCall(t.baseUrl, key, brand, 'POST', `/requests/${open.body.request.id}/fulfil`);
  expect(done.status).toBe(200);
  return done.body.request.result;
}

beforeAll(async () => {
  t = await startTestSuite();
  for (const [country] of COUNTRIES) await rightsBrand(t.suite, `shop-${country.toLowerCase()}`, { controller: { ...RIGHTS_PROFILE.controller, country } });
  key = await adminKey(t.suite);
});
afterAll(async () => t?.close());

describe('statutory billing records (TOS-1.4)', () => {
  it.each(COUNTRIES)('TOS-1.4: a %s controller keeps the invoice record %i years from the end of the invoice year, with only the fields an invoice needs', async (country, years, basis) => {
    const brand = `shop-${country.toLowerCase()}`;
    const c = await customer(brand, years);
    const invoice = await t.suite.kernel.db('platform_invoices').where({ id: c.invoiceId }).first();
    const result = await erase(brand, c.subjectId);
    expect(result.statutory).toEqual({ records: 1, years, keepUntil: plusYears(Number(invoice.created_at), years) });

    // The invoice itself stays, with its total and status.
    const after = await t.suite.kernel.db('platform_invoices').where({ id: c.invoiceId }).first();
    expect(after).toEqual(invoice);
    expect(Number(after.total)).toBe(20);

    const rows = await t.suite.kernel.db('rights_statutory_records').where({ subject_id: c.subjectId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'platform_invoices', record_id: String(c.invoiceId), legal_basis: expect.stringMatching(basis) });
    expect(rows[0].legal_basis).toContain(`${years} years`);
    expect(Number(rows[0].keep_until)).toBe(plusYears(Number(invoice.created_at), years));
    expect(rows[0].fields_enc).not.toMatch(/Noether|Emmy/);
    const fields = JSON.parse(await t.suite.kernel.keyring.decrypt(rows[0].fields_enc));
    expect(fields).toEqual({
      invoice: { id: c.invoiceId, date: new Date(Number(invoice.created_at)).toISOString().slice(0, 10), total: 20, status: 'paid', paidAt: new Date(Number(invoice.paid_at)).toISOString().slice(0, 10) },
      role: 'customer',
      billing: { name: `Emmy Noether${years}`, company: 'Invariants AG', address: ['7 Bunsenstrasse', 'Hinterhaus', '37073 Göttingen'], country: 'DE', taxId: `DE1234567${years}` },
    });
    // Nothing else of the person: no email, phone or account fields.
    expect(JSON.stringify(fields)).not.toMatch(/example\.org|5513900000|password/);
    expect(result.kept[0]).toMatchObject({ module: 'rights', why: expect.stringContaining(new Date(plusYears(Number(invoice.created_at), years)).toISOString().slice(0, 10)) });
  });

  it('TOS-1.4: the daily job deletes a statutory record whose keep-until date has passed and keeps the others', async () => {
    const old = await customer('shop-de', 100);
    // An invoice from nine years ago: past the eight German years.
    const nineYearsAgo = Date.now() - 9 * YEAR_MS;
    await t.suite.kernel.db('platform_invoices').where({ id: old.invoiceId }).update({ created_at: Math.round(nineYearsAgo) });
    await erase('shop-de', old.subjectId);
    const before = Number(((await t.suite.kernel.db('rights_statutory_records').count({ n: '*' }).first()) as { n: number }).n);
    expect(Number((await t.suite.kernel.db('rights_statutory_records').where({ subject_id: old.subjectId }).first()).keep_until)).toBeLessThan(Date.now());

    const run = await t.suite.scheduler.runJob('rights:statutory-expiry');
    expect(run).toMatchObject({ ran: true, result: { deleted: 1, remaining: before - 1 } });
    expect(await t.suite.kernel.db('rights_statutory_records').where({ subject_id: old.subjectId })).toEqual([]);
    const left = await t.suite.kernel.db('rights_statutory_records').select('keep_until');
    expect(left).toHaveLength(COUNTRIES.length);
    for (const r of left) expect(Number(r.keep_until)).toBeGreaterThan(Date.now());
    // The invoice row itself is the platform's and stays.
    expect(await t.suite.kernel.db('platform_invoices').where({ id: old.invoiceId }).first()).toMatchObject({ status: 'paid' });
    expect((await t.suite.scheduler.runJob('rights:statutory-expiry'))).toMatchObject({ ran: true, result: { deleted: 0, remaining: COUNTRIES.length } });
  });
});
