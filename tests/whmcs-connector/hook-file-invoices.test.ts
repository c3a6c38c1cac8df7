/**
 * MS-9 on WHMCS: the hook file forwards InvoicePaid and CancellationRequest with what the retention events need, read
 * from WHMCS's tables (the invoice's client and payment time; the service's next due date and the client's other
 * running services), and without the invoice object's billing data. Real PHP in the fake WHMCS runtime against a
 * running suite behind a recording proxy; the suite records the events.
 */
import { createBrand, postHook, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { startRecordingProxy, type Passed, type RecordingProxy } from '../helpers/recording-proxy';
import { HOOK_FILE, INSTALL_ADDON, runWhmcs, stepResult, type WhmcsScenario } from '../helpers/whmcs-php';

let t: TestSuite;
let secret: string;
let brandId: number;
let proxy: RecordingProxy;
let seen: Passed[] = [];
const SLUG = 'inv-shop';

const scenario = (s: Partial<WhmcsScenario>): WhmcsScenario => ({
  settings: { suite_url: proxy.url, brand: SLUG, hook_secret: secret }, include: [HOOK_FILE], ...s, steps: [INSTALL_ADDON, ...(s.steps ?? [])],
});
const last = (hook: string): Passed => seen.filter((s) => s.hook === hook).at(-1)!;
const noErrors = (run: Awaited<ReturnType<typeof runWhmcs>>): void => {
  expect(run.steps.filter((s) => s.error)).toEqual([]);
  expect(run.warnings).toEqual([]);
};
const eventsOf = async (userid: number) => t.suite.kernel.subjects.events((await t.suite.kernel.subjects.findByExternal(brandId, 'client', userid))!.id);

/** WHMCS's invoice object as InvoicePaid passes it: billing data the suite does not need. */
const INVOICE_OBJECT = `new class { public $id = 77; public $userid = 4; public $total = '119.00'; public $subtotal = '100.00';
  public $paymentmethod = 'stripe'; public $items = [['description' => 'Web hosting', 'amount' => '100.00']];
  public $client = ['firstname' => 'Ada', 'address1' => '1 Analytical Row', 'email' => 'ada4@example.org']; }`;

beforeAll(async () => {
  t = await startTestSuite();
  secret = await createBrand(t.suite, SLUG);
  brandId = (await t.suite.kernel.brands.get(SLUG)).id;
  proxy = await startRecordingProxy(t.baseUrl);
  seen = proxy.seen;
  for (const id of [4, 5]) {
    await postHook(t.baseUrl, 'ClientAdd', secret, { brand: SLUG, vars: { client_id: id, firstname: 'Ada', email: `ada${id}@example.org`, country: 'GB' } });
  }
});
afterAll(async () => {
  await proxy.close();
  await t.close();
});

describe('InvoicePaid (MS-9: invoice-paid)', () => {
  it('MS-9: forwards the client and payment time from tblinvoices, not the invoice object; the suite records the payment time', async () => {
    const run = await runWhmcs(scenario({
      tables: { tblinvoices: [{ id: 77, userid: 4, date: '2026-11-28', datepaid: '2026-11-30 09:15:00', total: 119, status: 'Paid', paymentmethod: 'stripe' }] },
      steps: [{ php: `date_default_timezone_set('Europe/Berlin'); return run_hook('InvoicePaid', ['invoiceid' => 77, 'invoice' => ${INVOICE_OBJECT}]);` }],
    }));
    noErrors(run);
    expect(stepResult(run, 1)).toEqual([null]);
    expect(last('InvoicePaid').status).toBe(200);
    // WHMCS's time is the server's local time: sent with its offset, so the suite reads the right moment.
    expect(last('InvoicePaid').body.vars).toEqual({ invoiceid: 77, userid: 4, datepaid: '2026-11-30T09:15:00+01:00' });
    expect(JSON.stringify(last('InvoicePaid').body)).not.toMatch(/Analytical|Web hosting|stripe|119/);
    expect((await eventsOf(4))['invoice-paid']).toBe(Date.parse('2026-11-30T08:15:00Z'));
  });

  it('MS-9: an invoice WHMCS has no row for goes without a client, and the suite says so instead of guessing', async () => {
    const run = await runWhmcs(scenario({ steps: [{ hook: 'InvoicePaid', vars: { invoiceid: 78, invoice: { id: 78, total: '5.00' } } }] }));
    noErrors(run);
    expect(last('InvoicePaid').body.vars).toEqual({ invoiceid: 78 });
    expect(last('InvoicePaid')).toMatchObject({ status: 200, answer: { data: { 'invoice-paid': 'client-not-reported' } } });
  });
});

describe('CancellationRequest (MS-9: service-ended)', () => {
  const hosting = [
    { id: 12, userid: 4, domainstatus: 'Active', nextduedate: '2027-01-15' },
    { id: 13, userid: 4, domainstatus: 'Active', nextduedate: '2027-02-01' }, // its cancellation was requested before
    { id: 14, userid: 4, domainstatus: 'Terminated', nextduedate: '0000-00-00' },
    { id: 15, userid: 5, domainstatus: 'Active', nextduedate: '2027-03-01' }, // another client's
    { id: 20, userid: 5, domainstatus: 'Active', nextduedate: '2027-04-01' },
  ];
  const requests = [{ id: 1, relid: 13, type: 'End of Billing Period' }, { id: 2, relid: 12, type: 'End of Billing Period' }, { id: 3, relid: 20, type: 'Immediate' }];

  it('MS-9: forwards the service\'s next due date and no other running service; the suite records the end of the billing period', async () => {
    const run = await runWhmcs(scenario({
      tables: { tblhosting: hosting, tblcancelrequests: requests },
      steps: [{ hook: 'CancellationRequest', vars: { userid: 4, relid: 12, reason: 'Moving to another host', type: 'End of Billing Period' } }],
    }));
    noErrors(run);
    expect(last('CancellationRequest').body.vars).toEqual({ userid: 4, relid: 12, reason: 'Moving to another host', type: 'End of Billing Period', nextduedate: '2027-01-15', services_running: 0 });
    expect(last('CancellationRequest').status).toBe(200);
    expect((await eventsOf(4))['service-ended']).toBe(Date.parse('2027-01-15T00:00:00Z'));
  });

  it('MS-9: while another of the client\'s services runs, the count says so and no service-ended is recorded', async () => {
    const run = await runWhmcs(scenario({
      tables: { tblhosting: hosting, tblcancelrequests: requests },
      steps: [{ hook: 'CancellationRequest', vars: { userid: 5, relid: 20, reason: '', type: 'Immediate' } }],
    }));
    noErrors(run);
    expect(last('CancellationRequest').body.vars).toMatchObject({ relid: 20, nextduedate: '2027-04-01', services_running: 1 });
    expect(last('CancellationRequest').answer).toMatchObject({ data: { 'service-ended': 'other-services-running' } });
    expect(await eventsOf(5)).toEqual({});
  });

  it('a missing WHMCS table never breaks the page: the hook goes without the additions', async () => {
    const run = await runWhmcs(scenario({ steps: [{ sql: 'drop table tblcancelrequests' }, { hook: 'CancellationRequest', vars: { userid: 4, relid: 12, type: 'Immediate' } }] }));
    expect(run.steps.filter((s) => s.error)).toEqual([]);
    expect(stepResult(run, 2)).toEqual([null]);
    expect(last('CancellationRequest').body.vars).toEqual({ userid: 4, relid: 12, type: 'Immediate' });
  });
});
