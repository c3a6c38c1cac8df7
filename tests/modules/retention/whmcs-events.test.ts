/**
 * MS-9 / WSM-27 on WHMCS: retention rules count from what the panel reports through signed hooks (the subject event
 * store), not only from the reference platform's tables. Each rule selects the client whose event the hooks reported
 * and leaves a client the hooks said nothing about (or said something that keeps it) alone.
 */
import { postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { rightsBrand } from '../rights/fixtures';
import { cart, person, platformOf } from '../platform/fixtures';
import { approveAll, DAY, retention, subjectState } from './fixtures';

let t: TestSuite;
let secret: string;
let brandId: number;
const SLUG = 'whmcs-shop';
const T0 = Date.now();
const CONTEXT = { ip: '203.0.113.9', userAgent: 'Mozilla/5.0 (retention test)', locale: 'en' };
const RULES = [
  { category: 'billing', from: 'invoice-paid', days: 30, action: 'delete' },
  { category: 'usage', from: 'last-activity', days: 90, action: 'delete' },
  { category: 'usage', from: 'service-ended', days: 30, action: 'delete' },
  { category: 'contact', from: 'cart-abandoned', days: 30, action: 'anonymise' },
];
/** WHMCS's own date and time forms. */
const whmcsDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const whmcsTime = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

const hook = async (name: string, vars: Record<string, unknown>): Promise<Record<string, unknown>> => {
  const res = await postHook(t.baseUrl, name, secret, { brand: SLUG, vars, context: CONTEXT });
  expect(res.status).toBe(200);
  return res.body;
};
const subjectOf = async (userid: number): Promise<number> => (await t.suite.kernel.subjects.findByExternal(brandId, 'client', userid))!.id;

/** The dry run's selection per rule, as WHMCS client ids. */
async function selected(asOf: number): Promise<Record<string, number[]>> {
  const out = await retention(t.suite).run({ now: asOf, brand: SLUG, dryRun: true });
  const byId = new Map<number, number>();
  for (const s of await t.suite.kernel.db('subjects').where({ brand_id: brandId }).select('id', 'external_id')) byId.set(Number(s.id), Number(s.external_id));
  return Object.fromEntries(out.run!.report.brands[0].rules.map((r) => [r.from, (r.samples ?? []).map((s) => byId.get(s.subjectId)!).sort()]));
}

beforeAll(async () => {
  t = await startTestSuite();
  secret = await rightsBrand(t.suite, SLUG, { retention: RULES });
  brandId = (await t.suite.kernel.brands.get(SLUG)).id;
  await approveAll(t.suite, SLUG);
  // Clients 1–7 sign up through ClientAdd (contact, billing and usage data), then the hooks report their lives.
  for (let id = 1; id <= 7; id++) {
    await hook('ClientAdd', { client_id: id, firstname: 'Ada', lastname: `Client${id}`, email: `client${id}@example.org`, country: 'GB', tax_id: `GB${id}00` });
  }
  // A year ago, as far as the register knows (the sign-up is the least last-activity a client has).
  await t.suite.kernel.db('subjects').where({ brand_id: brandId }).update({ created_at: T0 - 365 * DAY });
  await hook('InvoicePaid', { invoiceid: 902, userid: 2, datepaid: whmcsTime(T0 - 10 * DAY) });
  await hook('UserLogin', { user: { id: 30 }, userid: 3 });
  await hook('CancellationRequest', { userid: 4, relid: 40, reason: 'Moving', type: 'End of Billing Period', nextduedate: whmcsDay(T0 + 5 * DAY), services_running: 0 });
  await hook('CancellationRequest', { userid: 5, relid: 50, type: 'Immediate', services_running: 2 });
  await hook('AfterShoppingCartCheckout', { OrderID: 60, InvoiceID: 600, userid: 6 });
  await hook('AfterShoppingCartCheckout', { OrderID: 70, InvoiceID: 700, userid: 7 });
  await hook('InvoicePaid', { invoiceid: 700, userid: 7, datepaid: whmcsTime(T0) });
});
afterAll(async () => t?.close());

describe('retention events from WHMCS hooks (MS-9 / WSM-27)', () => {
  it('MS-9: the hooks record the events retention counts from: payment time, login, the last service\'s end, the order', async () => {
    const events = async (userid: number) => t.suite.kernel.subjects.events(await subjectOf(userid));
    expect(await events(1)).toEqual({});
    expect((await events(2))['invoice-paid']).toBe(Date.parse(`${whmcsTime(T0 - 10 * DAY).replace(' ', 'T')}Z`));
    expect(Date.now() - (await events(3))['last-login']!).toBeLessThan(60_000);
    expect((await events(4))['service-ended']).toBe(Date.parse(`${whmcsDay(T0 + 5 * DAY)}T00:00:00Z`));
    expect(await events(5)).toEqual({}); // two other services still run: the client's last service has not ended
    expect(Object.keys(await events(6))).toEqual(['order-placed']);
    expect(Object.keys(await events(7)).sort()).toEqual(['invoice-paid', 'order-placed']);
  });

  it('MS-9 / WSM-27: each rule selects the WHMCS client its event applies to, not a fresh one', async () => {
    expect(await selected(T0 + 40 * DAY)).toEqual({
      'invoice-paid': [2, 7],          // paid 50 and 40 days before; client 1 never paid
      'last-activity': [1, 4, 5, 6],   // nothing since the sign-up a year ago; 2 and 7 paid, 3 logged in
      'service-ended': [4],            // its last service ended 35 days before; 5 still has services, 1 never ended one
      'cart-abandoned': [6],           // ordered and never paid; 7 paid, 1 never ordered
    });
  });

  it('MS-9 / WSM-27: counted from the reported time: exactly 30 days after it selects, a day earlier does not', async () => {
    const early = await selected(T0 + 29 * DAY);
    expect(early['invoice-paid']).toEqual([2]); // paid 39 days before; 7 paid 29 days before
    expect(early['cart-abandoned']).toEqual([]);
    const ends = Date.parse(`${whmcsDay(T0 + 5 * DAY)}T00:00:00Z`); // End of Billing Period: the next due date
    expect((await selected(ends + 29 * DAY))['service-ended']).toEqual([]);
    expect((await selected(ends + 30 * DAY))['service-ended']).toEqual([4]);
  });

  it('MS-9: an order placed after a cancellation at the end of the billing period voids the coming end: the client has a service again', async () => {
    await hook('ClientAdd', { client_id: 8, firstname: 'Ada', lastname: 'Client8', email: 'client8@example.org', country: 'GB' });
    await hook('CancellationRequest', { userid: 8, relid: 80, type: 'End of Billing Period', nextduedate: whmcsDay(T0 + 5 * DAY), services_running: 0 });
    expect(Object.keys(await t.suite.kernel.subjects.events(await subjectOf(8)))).toEqual(['service-ended']);
    await hook('AfterShoppingCartCheckout', { OrderID: 81, InvoiceID: 810, userid: 8 });
    expect(Object.keys(await t.suite.kernel.subjects.events(await subjectOf(8)))).toEqual(['order-placed']);
    expect((await selected(T0 + 40 * DAY))['service-ended']).toEqual([4]);
  });

  it('MS-9 / WSM-27: a real run acts on them: the abandoned cart\'s client is anonymised, the paid client\'s billing data deleted', async () => {
    const out = await retention(t.suite).run({ now: T0 + 40 * DAY, brand: SLUG });
    expect(out.ok).toBe(true);
    expect((await subjectState(t.suite, await subjectOf(6))).status).toBe('erased');
    expect(await t.suite.kernel.subjects.events(await subjectOf(6))).toEqual({});
    expect((await subjectState(t.suite, await subjectOf(2))).fields.billing).toBeUndefined();
    expect((await subjectState(t.suite, await subjectOf(1))).fields.billing).toEqual(['tax_id']);
    // The usage rules took the usage data of the inactive (1, 4, 5) and of 4, whose last service ended; 3 logged in and keeps it.
    expect((await subjectState(t.suite, await subjectOf(3))).fields.usage).toEqual(expect.arrayContaining(['ip', 'last_login']));
    expect((await subjectState(t.suite, await subjectOf(4))).fields.usage).toBeUndefined();
  });

  it('MS-9: the reference platform\'s InvoicePaid (client and time in its invoice object) records the same event; its order too', async () => {
    const p = platformOf(t.suite);
    await rightsBrand(t.suite, 'platform-shop'); // its own brand: the platform numbers its clients from 1 as well
    const { clientId } = await p.signUp('platform-shop', person(90));
    const subjectId = (await t.suite.kernel.subjects.findByExternal((await t.suite.kernel.brands.get('platform-shop')).id, 'client', clientId))!.id;
    const o = await p.order(clientId, cart(90), { accepttos: true });
    expect(Object.keys(await t.suite.kernel.subjects.events(subjectId))).toEqual(['order-placed']);
    await p.pay(o.invoiceId);
    const paidAt = Number((await t.suite.kernel.db('platform_invoices').where({ id: o.invoiceId }).first('paid_at')).paid_at);
    // The hook carries the time to the second, as WHMCS does.
    expect((await t.suite.kernel.subjects.events(subjectId))['invoice-paid']).toBe(Math.floor(paidAt / 1000) * 1000);
  });
});
