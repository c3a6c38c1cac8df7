/**
 * The hook file's additions and guards, run with real PHP in the fake WHMCS runtime against a running suite behind a
 * recording proxy: the output hooks render the shown versions, each addition comes from where WHMCS keeps it, the
 * admin area posts no form choices, and a missing table or a failing lookup never breaks a WHMCS page.
 */
import { createBrand, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { startRecordingProxy, type Passed, type RecordingProxy } from '../helpers/recording-proxy';
import { HOOK_FILE, INSTALL_ADDON, runWhmcs, stepResult, type WhmcsScenario } from '../helpers/whmcs-php';
import { publishTerms } from '../modules/consent/marketing-fixtures';

type Row = Record<string, unknown>;


let t: TestSuite;
let secret: string;
let proxy: RecordingProxy;
let proxyUrl: string;
let seen: Passed[] = [];

const settings = (extra: Record<string, string> = {}): Record<string, string> => ({ suite_url: proxyUrl, brand: 'addshop', hook_secret: secret, ...extra });
const scenario = (s: Partial<WhmcsScenario>, install = true): WhmcsScenario => ({ settings: settings(), include: [HOOK_FILE], ...s, steps: [...(install ? [INSTALL_ADDON] : []), ...(s.steps ?? [])] });
const last = (hook: string): Passed => seen.filter((s) => s.hook === hook).at(-1)!;

beforeAll(async () => {
  t = await startTestSuite();
  secret = await createBrand(t.suite, 'addshop');
  const brand = await t.suite.kernel.brands.get('addshop');
  const { locale } = await t.suite.kernel.brands.profile(brand);
  await publishTerms(t.suite, brand.id, locale, '2026-03');
  await publishTerms(t.suite, brand.id, locale, 'p"1<', 'privacy');
  if (locale !== 'de') await publishTerms(t.suite, brand.id, 'de', '2026-03-de');
  proxy = await startRecordingProxy(t.baseUrl);
  proxyUrl = proxy.url;
  seen = proxy.seen;
});
afterAll(async () => {
  await proxy.close();
  await t.close();
});

describe('MS-2 / SP-3: the versions the page showed', () => {
  it('MS-2 / SP-3: checkout renders hidden inputs with the versions in force from the suite, escaped; nothing when the suite was never reached', async () => {
    const run = await runWhmcs(scenario({ steps: [{ hook: 'ShoppingCartCheckoutOutput', vars: { cartData: [] } }] }));
    expect(stepResult(run, 1)).toEqual(['<input type="hidden" name="privacysuite_terms_version" value="2026-03"><input type="hidden" name="privacysuite_privacy_version" value="p&quot;1&lt;">']);
    const never = await runWhmcs(scenario({ settings: settings({ suite_url: 'http://127.0.0.1:9' }), steps: [{ hook: 'ShoppingCartCheckoutOutput', vars: { cartData: [] } }] }));
    expect(stepResult(never, 1)).toEqual(['']);
  });

  it('MS-2 / SP-3: a German session is shown the German terms version', async () => {
    const run = await runWhmcs(scenario({ session: { Language: 'german' }, steps: [{ hook: 'ShoppingCartCheckoutOutput', vars: { cartData: [] } }] }));
    expect(stepResult<string[]>(run, 1)[0]).toContain('name="privacysuite_terms_version" value="2026-03-de"');
  });

  it('MS-2 / SP-3: the registration page gets a script adding the same inputs to its forms; other pages get nothing', async () => {
    const run = await runWhmcs(scenario({
      steps: [{ hook: 'ClientAreaFooterOutput', vars: { filename: 'register', language: 'english' } }, { hook: 'ClientAreaFooterOutput', vars: { filename: 'clientarea' } }],
    }));
    const [script] = stepResult<string[]>(run, 1);
    expect(script).toMatch(/^<script>/);
    expect(script).toContain('"privacysuite_terms_version":"2026-03"');
    expect(stepResult(run, 2)).toEqual(['']);
  });
});

describe('what the hook file adds, and from where', () => {
  it('AfterShoppingCartCheckout reads the order\'s client through localAPI GetOrders when tblorders has no row', async () => {
    const run = await runWhmcs(scenario({
      post: { accepttos: 'on' },
      localApi: { GetOrders: { result: 'success', totalresults: 1, orders: { order: [{ id: 55, userid: 9 }] } } },
      steps: [{ hook: 'AfterShoppingCartCheckout', vars: { OrderID: 55, OrderNumber: 123, ServiceIDs: [], AddonIDs: [], DomainIDs: [], RenewalIDs: [], PaymentMethod: 'banktransfer', InvoiceID: 0, TotalDue: 0 } }],
    }));
    expect(stepResult(run, 1)).toEqual([null]);
    expect(run.localApiCalls.map((c) => [c.command, c.values])).toEqual([['GetOrders', { id: 55 }]]);
    expect(last('AfterShoppingCartCheckout').body.vars).toMatchObject({ OrderID: 55, userid: 9, accepttos: true, marketing_emails_opt_in: false });
  });

  it('ClientEdit carries the client\'s tax id from tblclients; a date of birth from the form reaches the validation hooks', async () => {
    const run = await runWhmcs(scenario({
      session: { uid: 4 }, post: { date_of_birth: '1990-02-03', save: 'true' },
      steps: [
        { sql: "alter table tblclients add column tax_id varchar(64) not null default ''" },
        { sql: "insert into tblclients (id, email, tax_id) values (4, 'ada@example.org', 'DE123456789')" },
        { hook: 'ClientEdit', vars: { userid: 4, email: 'ada@example.org', olddata: {} } },
        { hook: 'ContactDetailsValidation', vars: { firstname: 'Ada', email: 'ada.contact@example.org' } },
      ],
    }));
    expect(run.steps.every((s) => !s.error)).toBe(true);
    expect(last('ClientEdit').body.vars).toEqual({ userid: 4, email: 'ada@example.org', olddata: [], tax_id: 'DE123456789' });
    expect(stepResult(run, 4)).toEqual([[]]);
    expect(last('ContactDetailsValidation')).toMatchObject({ status: 200, body: { vars: { userid: 4, date_of_birth: '1990-02-03' } } });
  });

  it('UserLogin sends the user reduced to plain data without its secrets, and the logged-in client', async () => {
    const user = `new class { public $id = 12; public $email = 'ada@example.org';
      public function toArray() { return ['id' => $this->id, 'email' => $this->email, 'password' => '$2y$10$hash', 'remember_token' => 'r', 'second_factor_config' => 'x']; } }`;
    const run = await runWhmcs(scenario({ session: { uid: 4 }, steps: [{ php: `return run_hook('UserLogin', ['user' => ${user}]);` }] }));
    expect(stepResult(run, 1)).toEqual([null]);
    expect(last('UserLogin')).toMatchObject({ status: 200, body: { vars: { user: { id: 12, email: 'ada@example.org' }, userid: 4 } } });
    expect(last('UserLogin').body.vars.user).toEqual({ id: 12, email: 'ada@example.org' });
    expect(last('UserLogin').key).toMatch(/^whmcs-/);
  });

  it('the admin area posts no form choices: no terms or marketing flag, no shown versions', async () => {
    const run = await runWhmcs(scenario({
      post: { accepttos: 'on', marketingoptin: '1', privacysuite_terms_version: '1' },
      steps: [{ php: "define('ADMINAREA', true); return run_hook('ClientAdd', ['client_id' => 8, 'userid' => 8, 'email' => 'grace@example.org', 'marketing_emails_opt_in' => false, 'password' => 'pw']);" }],
    }));
    expect(stepResult(run, 1)).toEqual([null]);
    expect(last('ClientAdd').body.vars).toEqual({ client_id: 8, userid: 8, email: 'grace@example.org', marketing_emails_opt_in: false });
  });

  it('PreRegistrarRegisterDomain is forwarded and the suite\'s refusal comes back as abortWithError; complete contacts carry on', async () => {
    const params = { domainid: 3, userid: 4, sld: 'example', tld: 'org', regperiod: 1 };
    const contacts = { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.org', address1: '1 Analytical Row', city: 'London', countrycode: 'GB', fullphonenumber: '+44.2071234567' };
    const run = await runWhmcs(scenario({
      steps: [{ hook: 'PreRegistrarRegisterDomain', vars: { params } }, { hook: 'PreRegistrarRegisterDomain', vars: { params: { ...params, ...contacts } } }],
    }));
    expect(last('PreRegistrarRegisterDomain').status).toBe(200);
    expect(stepResult(run, 1)).toEqual([{ abortWithError: expect.stringContaining('params.firstname') }]);
    expect(stepResult(run, 2)).toEqual([[]]);
  });
});

describe('every other forwarded hook, with the variables WHMCS documents', () => {
  const contacts = { firstname: 'Ada', lastname: 'Lovelace', fullname: 'Ada Lovelace', companyname: '', email: 'ada@example.org', address1: '1 Analytical Row', address2: '', city: 'London', state: '', fullstate: '', postcode: 'N1 9GU', countrycode: 'GB', countryname: 'United Kingdom', phonenumber: '2071234567', phonecc: '44', fullphonenumber: '+44.2071234567' };
  const params = { userid: 4, domainid: 3, sld: 'example', tld: 'org', regperiod: 1, ns1: 'ns1.example.net', ns2: 'ns2.example.net', ...contacts, dnsmanagement: false, emailforwarding: false, idprotection: true };
  /** The registrar module's own settings, which WHMCS merges into params. */
  const moduleSettings = { Username: 'reseller-7', AuthKey: 'k-123', APIKey: 'a-456', TestMode: 'on' };

  it('lands each one (the suite answers 200) and answers WHMCS\'s neutral value', async () => {
    const contact = { userid: 4, contactid: 41, firstname: 'Lise', lastname: 'Meitner', companyname: '', email: 'lise@example.org', address1: '', address2: '', city: '', state: '', postcode: '', country: 'AT', phonenumber: '', tax_id: '', domainemails: true, generalemails: true, invoiceemails: false, productemails: false, supportemails: false, affiliateemails: false };
    const hooks: [string, Row][] = [
      ['ClientAdd', { client_id: 4, user_id: 14, userid: 4, firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.org', country: 'GB', password: 'pw', marketing_emails_opt_in: false }],
      ['ContactEdit', { ...contact, olddata: { email: 'lise.old@example.org' } }],
      ['ContactDelete', { userid: 4, contactid: 41 }],
      ['AfterRegistrarRegistration', { params: { ...params, ...moduleSettings } }],
      ['AfterRegistrarRenewal', { params: { ...params, ...moduleSettings } }],
      ['AfterRegistrarTransfer', { params: { ...params, eppcode: 'EPP-SECRET-1', ...moduleSettings }, results: { success: true }, functionExists: true, functionSuccessful: true }],
      ['AfterRegistrarSaveContactDetails', { params: { ...params, ...moduleSettings, contactdetails: { Registrant: { 'First Name': 'Ada' } } }, results: { success: true }, functionExists: true, functionSuccessful: true }],
      ['PreRegistrarTransferDomain', { params: { ...params, eppcode: 'EPP-SECRET-2', ...moduleSettings, original: { ...contacts, eppcode: 'EPP-SECRET-2', Username: 'reseller-7' } } }],
      ['ClientClose', { userid: 4 }],
      ['PreDeleteClient', { userid: 4 }],
    ];
    const before = seen.length;
    const run = await runWhmcs(scenario({ steps: hooks.map(([hook, vars]) => ({ hook, vars })) }));
    const sent = seen.slice(before);
    expect(sent.map((c) => [c.hook, c.status])).toEqual(hooks.map(([hook]) => [hook, 200]));
    expect(run.steps.slice(1).map((r) => r.result)).toEqual(hooks.map(([hook]) => (hook === 'PreRegistrarTransferDomain' ? [[]] : [null])));
    const raw = JSON.stringify(sent.map((c) => c.body));
    for (const secretValue of ['EPP-SECRET', 'reseller-7', 'k-123', 'a-456', '"pw"']) expect(raw).not.toContain(secretValue);
    const transfer = sent.find((c) => c.hook === 'PreRegistrarTransferDomain')!.body.vars.params as Row;
    expect(Object.keys(transfer).sort()).toEqual([...Object.keys(params), 'original'].sort());
    expect(transfer.original).toEqual(contacts);
  });

  it('reduces domainObj to plain data', async () => {
    const domainObj = "new class { public $domain = 'example.org'; public function toArray() { return ['domain' => $this->domain, 'secondLevel' => 'example']; } }";
    const php = `return run_hook('AfterRegistrarRenewal', ['params' => json_decode(${JSON.stringify(JSON.stringify(params))}, true) + ['domainObj' => ${domainObj}]]);`;
    await runWhmcs(scenario({ steps: [{ php }] }));
    expect(last('AfterRegistrarRenewal')).toMatchObject({ status: 200, body: { vars: { params: { sld: 'example', domainObj: { domain: 'example.org', secondLevel: 'example' } } } } });
  });
});

describe('guards: a suite or connector problem never breaks a WHMCS page', () => {
  it('does nothing while the addon is not activated (its queue table is missing)', async () => {
    const before = seen.length;
    const run = await runWhmcs(scenario({ steps: [{ hook: 'ClientAdd', vars: { client_id: 30, email: 'x@example.org' } }, { hook: 'ShoppingCartValidateCheckout', vars: { a: 'checkout' } }] }, false));
    expect([stepResult(run, 0), stepResult(run, 1)]).toEqual([[null], [[]]]);
    expect(seen.length).toBe(before);
  });

  it('an exception inside a callback is caught, logged without its message, and answered with the neutral value', async () => {
    const run = await runWhmcs(scenario({
      steps: [
        { hook: 'ClientClose', vars: { userid: 4 } },
        // The queue table disappears mid-request: refused events cannot be recorded, the cron cannot read.
        { sql: 'drop table mod_privacysuite_queue' },
        { hook: 'ClientClose', vars: {} },
        { hook: 'AfterCronJob', vars: {} },
      ],
    }));
    expect(stepResult(run, 1)).toEqual([null]);
    expect(stepResult(run, 3)).toEqual([null]);
    expect(stepResult(run, 4)).toEqual([null]);
    const failures = run.moduleLog.filter((l) => /failed$/.test(l.action));
    expect(failures.map((l) => l.action)).toEqual(['hook ClientClose failed', 'hook AfterCronJob failed']);
    expect(failures[0].request).toEqual({ exception: expect.stringContaining('QueryException') });
  });
});
