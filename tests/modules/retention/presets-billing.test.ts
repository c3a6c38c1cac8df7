/**
 * The presets: the WHMCS-like inactive-client rule anonymises (never deletes) a closed client with no paid invoice
 * for N months and keeps an active one or a recent payer (MS-9 / WSM-27); billing 'strip' removes the billing fields
 * after the statutory period and keeps every invoice (TOS-1.4); an abandoned cart's never-paying client goes after
 * 30 days. GET …/presets?country= shows the country's table; a brand with an empty table is never swept.
 */
import { presetRules } from '../../../modules/retention/rules/presets';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, type Json } from '../rights/fixtures';
import { approveAll, DAY, NOW, retention, retentionBrand, retentionCall, seedClients, subjectState } from './fixtures';

let t: TestSuite;
const rulesOf = (out: Json): Json[] => out.run.report.brands[0].rules;
const preset = (...ids: string[]) => presetRules('GB').filter((r) => ids.includes(r.id!));
const months = (n: number): number => { const d = new Date(NOW); d.setUTCMonth(d.getUTCMonth() - n); return d.getTime(); };

beforeAll(async () => {
  t = await startTestSuite();
});
afterAll(async () => t?.close());

async function counts(clientId: number): Promise<{ client: number; invoices: number; total: number }> {
  const db = t.suite.kernel.db;
  const client = Number(((await db('platform_clients').where({ id: clientId }).count({ n: '*' }).first()) as { n: number }).n);
  const inv = (await db('platform_invoices').where({ client_id: clientId }).count({ n: '*' }).sum({ s: 'total' }).first()) as { n: number; s: number | null };
  return { client, invoices: Number(inv.n), total: Number(inv.s ?? 0) };
}
const clientOf = async (subjectId: number): Promise<number> => Number((await t.suite.kernel.subjects.get(subjectId)).externalId);

describe('presets', () => {
  it('MS-9/WSM-27: the inactive-client preset anonymises — never deletes — a closed client with no paid invoice for 24 months, and keeps an active one and a recent payer', async () => {
    const id = await retentionBrand(t.suite, 'inactive', preset('inactive-client'));
    await approveAll(t.suite, 'inactive');
    const [stale, recent, active, neverPaid] = await seedClients(t.suite, id, [
      { closedAt: months(20), paid: [months(25), months(30)] },
      { closedAt: months(20), paid: [months(23)] },
      { status: 'active', paid: [months(40)] },
      { closedAt: months(1), createdAt: months(26) },
    ]);
    const out = await retention(t.suite).run({ brand: 'inactive', now: NOW });
    expect(rulesOf(out)[0]).toMatchObject({ ruleId: 'inactive-client', action: 'anonymise', processed: 2, failed: 0 });
    for (const s of [stale, neverPaid]) expect(await subjectState(t.suite, s)).toEqual({ status: 'erased', fields: {} });
    expect((await subjectState(t.suite, recent)).status).toBe('closed');
    expect((await subjectState(t.suite, active)).status).toBe('active');
    // Anonymised, not deleted: the subject row, the platform client row and both invoices (with their totals) stay.
    expect(await counts(await clientOf(stale))).toEqual({ client: 1, invoices: 2, total: 20 });
    expect((await t.suite.kernel.db('platform_clients').where({ id: await clientOf(stale) }).first()).personal_enc).toBeNull();
    // The statutory copy of each invoice is kept by the rights erasure (its own keep-until and daily job).
    expect(Number(((await t.suite.kernel.db('rights_statutory_records').where({ subject_id: stale }).count({ n: '*' }).first()) as { n: number }).n)).toBe(2);
  });

  it('TOS-1.4: billing "strip" removes tax id and billing address after the statutory period and keeps the invoices', async () => {
    const [rule] = preset('billing-statutory');
    expect(rule.days).toBe(Math.round(7 * 365.25)); // GB: 6 years from the end of the year → 7 years from payment
    const id = await retentionBrand(t.suite, 'strip', [rule]);
    await approveAll(t.suite, 'strip');
    const billing = (paid: number) => ({ fields: [{ field: 'email', category: 'contact' }, { field: 'tax_id', category: 'billing' }, { field: 'billing_address', category: 'billing' }], paid: [paid] });
    const [due, notYet] = await seedClients(t.suite, id, [billing(NOW - rule.days * DAY), billing(NOW - (rule.days - 1) * DAY)]);
    const out = await retention(t.suite).run({ brand: 'strip', now: NOW });
    expect(rulesOf(out)[0]).toMatchObject({ scope: 'billing', processed: 1, records: 2 });
    expect(await subjectState(t.suite, due)).toEqual({ status: 'active', fields: { contact: ['email'] } });
    expect((await subjectState(t.suite, notYet)).fields.billing).toEqual(['billing_address', 'tax_id']);
    expect(await counts(await clientOf(due))).toEqual({ client: 1, invoices: 1, total: 10 });
  });

  it('MS-9/WSM-27: an abandoned cart — a client whose orders were never paid — is anonymised 30 days after its last order; a paying client is kept', async () => {
    const id = await retentionBrand(t.suite, 'carts', preset('abandoned-cart'));
    await approveAll(t.suite, 'carts');
    const [abandoned, fresh, paying] = await seedClients(t.suite, id, [{ unpaidAt: NOW - 30 * DAY }, { unpaidAt: NOW - 29 * DAY }, { unpaidAt: NOW - 40 * DAY, paid: [NOW - 40 * DAY] }]);
    const db = t.suite.kernel.db;
    for (const [s, at] of [[abandoned, NOW - 30 * DAY], [fresh, NOW - 29 * DAY], [paying, NOW - 40 * DAY]]) {
      await db('platform_orders').insert({ brand_id: id, client_id: await clientOf(s), payment_method: 'banktransfer', created_at: at });
    }
    await retention(t.suite).run({ brand: 'carts', now: NOW });
    expect((await subjectState(t.suite, abandoned)).status).toBe('erased');
    expect((await subjectState(t.suite, fresh)).status).toBe('active');
    expect((await subjectState(t.suite, paying)).status).toBe('active');
  });

  it('MS-9: a brand with an empty retention table is never swept; GET …/presets?country= shows the country\'s table to copy', async () => {
    const id = await retentionBrand(t.suite, 'empty', []);
    const [s] = await seedClients(t.suite, id, [{ closedAt: NOW - 5000 * DAY }]);
    const out = await retention(t.suite).run({ brand: 'empty', now: NOW });
    expect(out.run!.report.brands[0].rules).toEqual([]);
    expect((await subjectState(t.suite, s)).status).toBe('closed');

    const owner = await adminKey(t.suite);
    const de = await retentionCall(t.baseUrl, owner, 'empty', 'GET', '/presets?country=de');
    expect(de.status).toBe(200);
    expect(de.body.statutory).toMatchObject({ country: 'DE', invoiceYears: 8, bookYears: 10 });
    expect(de.body.retention.find((r: Json) => r.id === 'billing-statutory')).toMatchObject({ category: 'billing', from: 'invoice-paid', action: 'strip', days: Math.round(11 * 365.25) });
    expect(de.body.retention.find((r: Json) => r.id === 'inactive-client')).toMatchObject({ category: 'contact', inactiveMonths: 24, action: 'anonymise' });
    expect(de.body.retention.find((r: Json) => r.id === 'usage-logs')).toMatchObject({ category: 'usage', from: 'collected', days: 180, action: 'delete' });
    expect(de.body.ids).toContain('id-document-verified');
    const ae = await retentionCall(t.baseUrl, owner, 'empty', 'GET', '/presets?country=AE');
    expect(ae.body.statutory).toMatchObject({ invoiceYears: 5, bookYears: 7 });
    const us = await retentionCall(t.baseUrl, owner, 'empty', 'GET', '/presets?country=US');
    expect(us.body.statutory).toMatchObject({ invoiceYears: 7, bookYears: 7 });
    // Default: the controller's country (the test profile is GB).
    expect((await retentionCall(t.baseUrl, owner, 'empty', 'GET', '/presets')).body.statutory).toMatchObject({ country: 'GB', invoiceYears: 6 });
    expect((await retentionCall(t.baseUrl, owner, 'empty', 'GET', '/presets?country=Germany')).body.fields[0].field).toBe('country');
    // The preset is a valid profile table: a brand can store it as is.
    await t.suite.kernel.brands.setProfile('empty', { controller: { name: 'X', email: 'x@example.org', country: 'DE' }, retention: de.body.retention }, { type: 'cli', id: 'test' });
    expect((await retention(t.suite).rules(await t.suite.kernel.brands.get('empty'))).map((r) => r.state)).toEqual(Array(8).fill('awaiting-approval'));
  });
});
