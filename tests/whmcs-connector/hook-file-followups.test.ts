/**
 * Issue 15: the hook file sends the connector additions the catalogue declares (PreDeleteClient's invoices, UserLogin's
 * and ContactDetailsValidation's client, ClientAdd's language), strips two-factor data at any depth, forwards only the
 * hooks the suite binds for WHMCS, and a new customer's checkout (clientId '') passes. Real PHP in the fake WHMCS
 * runtime against a running suite behind a recording proxy.
 */
import { startTestSuite, type TestSuite } from '../helpers/test-suite';
import { startRecordingProxy, type Passed, type RecordingProxy } from '../helpers/recording-proxy';
import { HOOK_FILE, INSTALL_ADDON, runWhmcs, stepResult, type WhmcsScenario, type WhmcsStep } from '../helpers/whmcs-php';
import { rightsBrand } from '../modules/rights/fixtures';
import { consentBrand, publishTerms, type TestBrand } from '../modules/consent/marketing-fixtures';
import { PANEL_INVOICE_SOURCE } from '../../modules/rights/hooks/erase-before-delete';

type Row = Record<string, unknown>;

const NS = '\\WHMCS\\Module\\Addon\\Privacysuite';
const INVOICES_TABLE: WhmcsStep = {
  sql: "create table if not exists tblinvoices (id integer primary key, userid integer not null, date date, duedate date, datepaid datetime not null default '0000-00-00 00:00:00', total decimal(16,2) not null default 0, status varchar(16) not null default 'Unpaid', paymentmethod varchar(64) not null default '')",
};

let t: TestSuite;
let rightsSecret: string;
let shop: TestBrand;
let proxy: RecordingProxy;
let proxyUrl: string;
let seen: Passed[] = [];

const settings = (brand: string, secret: string): Record<string, string> => ({ suite_url: proxyUrl, brand, hook_secret: secret });
const rights = (s: Partial<WhmcsScenario>): WhmcsScenario => ({ settings: settings('fu-rights', rightsSecret), include: [HOOK_FILE], ...s, steps: [INSTALL_ADDON, ...(s.steps ?? [])] });
const shopScenario = (s: Partial<WhmcsScenario>): WhmcsScenario => ({ settings: settings(shop.slug, shop.secret), include: [HOOK_FILE], ...s, steps: [INSTALL_ADDON, ...(s.steps ?? [])] });
const calls = (hook: string): Passed[] => seen.filter((s) => s.hook === hook);
const last = (hook: string): Passed => calls(hook).at(-1)!;
const noErrors = (run: Awaited<ReturnType<typeof runWhmcs>>): void => {
  expect(run.steps.filter((s) => s.error)).toEqual([]);
  expect(run.warnings).toEqual([]);
};

beforeAll(async () => {
  t = await startTestSuite();
  rightsSecret = await rightsBrand(t.suite, 'fu-rights');
  shop = await consentBrand(t.suite, 'fu-shop', { model: 'opt-in', channels: ['email'], requireTermsAtCheckout: true });
  await publishTerms(t.suite, shop.id, 'en', '2026-01');
  proxy = await startRecordingProxy(t.baseUrl);
  proxyUrl = proxy.url;
  seen = proxy.seen;
});
afterAll(async () => {
  await proxy.close();
  await t.close();
});

const clientAddVars = (id: number): Row => ({ client_id: id, user_id: id + 100, userid: id, firstname: 'Ada', lastname: 'Lovelace', email: `ada${id}@example.org`, country: 'GB', password: 'pw' });

describe('PreDeleteClient: the client\'s invoices, read before WHMCS deletes them (TOS-1.4, MS-8)', () => {
  it('TOS-1.4: sends tblinvoices of the client; the suite keeps their statutory copies and erases the client', async () => {
    const run = await runWhmcs(rights({
      tables: { tblclients: [{ id: 61, email: 'ada61@example.org', language: 'english' }] },
      steps: [
        INVOICES_TABLE,
        { sql: "insert into tblinvoices (id, userid, date, datepaid, total, status) values (901, 61, '2025-03-01', '2025-03-02 10:11:12', 119.00, 'Paid'), (902, 61, '2025-06-01', '0000-00-00 00:00:00', 20.50, 'Unpaid'), (903, 62, '2025-06-01', '0000-00-00 00:00:00', 5, 'Paid')" },
        { hook: 'ClientAdd', vars: clientAddVars(61) },
        { hook: 'PreDeleteClient', vars: { userid: 61 } },
      ],
    }));
    noErrors(run);
    expect(stepResult(run, 4)).toEqual([null]);
    const call = last('PreDeleteClient');
    expect(call.body.vars).toEqual({
      userid: 61,
      invoices: [
        { id: 901, date: '2025-03-01', total: 119, status: 'Paid', datepaid: '2025-03-02 10:11:12' },
        { id: 902, date: '2025-06-01', total: 20.5, status: 'Unpaid', datepaid: '0000-00-00 00:00:00' },
      ],
    });
    expect(call.status).toBe(200);
    expect(call.answer.data).toMatchObject({ erased: true, panelInvoicesKept: 2 });
    const brandId = (await t.suite.kernel.brands.get('fu-rights')).id;
    const s = (await t.suite.kernel.subjects.findByExternal(brandId, 'client', 61))!;
    expect((await t.suite.kernel.subjects.get(s.id)).status).toBe('erased');
    const kept = (await t.suite.kernel.db('rights_statutory_records').where({ subject_id: s.id, source: PANEL_INVOICE_SOURCE }).orderBy('record_id').pluck('record_id')) as string[];
    expect(kept.map(String)).toEqual(['901', '902']);
  });

  it('a client without invoices sends an empty list; without the table (a lookup failing) it is sent without invoices and still erased', async () => {
    const run = await runWhmcs(rights({
      steps: [INVOICES_TABLE, { hook: 'ClientAdd', vars: clientAddVars(63) }, { hook: 'PreDeleteClient', vars: { userid: 63 } }],
    }));
    noErrors(run);
    expect(last('PreDeleteClient').body.vars).toEqual({ userid: 63, invoices: [] });
    const bare = await runWhmcs(rights({ steps: [{ sql: 'drop table tblinvoices' }, { hook: 'ClientAdd', vars: clientAddVars(64) }, { hook: 'PreDeleteClient', vars: { userid: 64 } }] }));
    noErrors(bare);
    expect(stepResult(bare, 3)).toEqual([null]);
    expect(last('PreDeleteClient').body.vars).toEqual({ userid: 64 });
    expect(last('PreDeleteClient').answer.data).toMatchObject({ erased: true, panelInvoicesKept: 0 });
  });
});

describe('UserLogin and ContactDetailsValidation: the client (MS-9, WSM-22)', () => {
  it('MS-9: UserLogin names the session\'s client; without one, the user\'s only client; the suite records the last login', async () => {
    const run = await runWhmcs(rights({
      tables: { tblusers_clients: [{ auth_user_id: 112, client_id: 65, owner: 1 }, { auth_user_id: 113, client_id: 66, owner: 1 }, { auth_user_id: 113, client_id: 67, owner: 0 }] },
      steps: [
        { hook: 'ClientAdd', vars: clientAddVars(65) },
        { set: { session: {} } },
        { php: "return run_hook('UserLogin', ['user' => new class { public $id = 112; public $email = 'ada65@example.org'; }]);" },
        { php: "return run_hook('UserLogin', ['user' => new class { public $id = 113; }]);" },
        { set: { session: { uid: 67 } } },
        { php: "return run_hook('UserLogin', ['user' => new class { public $id = 113; }]);" },
      ],
    }));
    noErrors(run);
    const [single, several, chosen] = calls('UserLogin').slice(-3);
    expect(single.body.vars).toEqual({ user: { id: 112, email: 'ada65@example.org' }, userid: 65 });
    expect(single.answer.data).toMatchObject({ lastLogin: 'recorded' });
    // A user with several clients and none chosen yet: no client is guessed.
    expect(several.body.vars).toEqual({ user: { id: 113 } });
    expect(chosen.body.vars).toEqual({ user: { id: 113 }, userid: 67 });
  });

  it('WSM-22: ContactDetailsValidation carries the session\'s client and the posted contact fields WHMCS left out', async () => {
    const run = await runWhmcs(shopScenario({
      session: { uid: 4 },
      post: { contactid: '0', firstname: 'Lise', lastname: 'Meitner', email: 'lise@example.org', country: 'AT', generalemails: '1', password: 'secret-pw', date_of_birth: '1990-02-03', token: 'csrf' },
      steps: [{ hook: 'ContactDetailsValidation', vars: { firstname: 'Lise' } }],
    }));
    noErrors(run);
    expect(stepResult(run, 1)).toEqual([[]]);
    expect(last('ContactDetailsValidation')).toMatchObject({ status: 200 });
    expect(last('ContactDetailsValidation').body.vars).toEqual({
      firstname: 'Lise', userid: 4, contactid: '0', lastname: 'Meitner', email: 'lise@example.org', country: 'AT', generalemails: '1', date_of_birth: '1990-02-03',
    });
  });
});

describe('ClientAdd: the new client\'s language', () => {
  it('sends tblclients.language of the new client; none when the record has no language', async () => {
    const run = await runWhmcs(shopScenario({
      tables: { tblclients: [{ id: 71, email: 'ada71@example.org', language: 'german' }, { id: 72, email: 'ada72@example.org', language: '' }] },
      steps: [{ hook: 'ClientAdd', vars: clientAddVars(71) }, { hook: 'ClientAdd', vars: clientAddVars(72) }],
    }));
    noErrors(run);
    const [withLanguage, without] = calls('ClientAdd').slice(-2);
    expect(withLanguage).toMatchObject({ status: 200, body: { vars: { client_id: 71, language: 'german' } } });
    expect(without.status).toBe(200);
    expect(without.body.vars).not.toHaveProperty('language');
    expect(without.body.vars).not.toHaveProperty('password');
  });
});

describe('two-factor data and the hooks not forwarded', () => {
  it('strips authdata at any depth (and the listed secrets beside it)', async () => {
    const run = await runWhmcs(shopScenario({
      steps: [
        { php: `return array_map(function ($k) { return ${NS}\\Forwarder::isSecret($k); }, ['authdata', 'AuthData', 'authmodule', 'email']);` },
        { hook: 'ClientEdit', vars: { userid: 4, email: 'ada@example.org', authmodule: 'totp', authdata: 'a:1:{s:6:"secret";s:16:"JBSWY3DPEHPK3PXP";}', olddata: { authdata: 'old-2fa', email: 'ada.old@example.org', nested: { deeper: { authdata: 'deep-2fa' } } } } },
      ],
    }));
    noErrors(run);
    expect(stepResult(run, 1)).toEqual([true, true, false, false]);
    const vars = last('ClientEdit').body.vars;
    expect(vars).toMatchObject({ userid: 4, authmodule: 'totp', olddata: { email: 'ada.old@example.org', nested: { deeper: {} } } });
    expect(JSON.stringify(vars)).not.toMatch(/authdata|JBSWY3DPEHPK3PXP|old-2fa|deep-2fa/);
  });

  it('an object WHMCS passes arrives as plain data: public properties, dates as ISO 8601, nested secrets and private state dropped', async () => {
    const user = `new class { public $id = 15; public $email = 'ada@example.org'; public $lastLogin; private $internal = 'hidden';
      public $payMethod = ['gatewayid' => 'cus_123', 'lastfour' => '1111']; public $authdata = 'totp-secret';
      public function __construct() { $this->lastLogin = new \\DateTime('2026-12-01T10:00:00+00:00'); } }`;
    const run = await runWhmcs(shopScenario({ session: { uid: 4 }, steps: [{ php: `return run_hook('UserLogin', ['user' => ${user}]);` }] }));
    noErrors(run);
    expect(last('UserLogin').body.vars).toEqual({
      user: { id: 15, email: 'ada@example.org', lastLogin: '2026-12-01T10:00:00+00:00', payMethod: { lastfour: '1111' } }, userid: 4,
    });
  });

  it('DailyCronJob and InvoiceCreated are not registered and send nothing', async () => {
    const before = seen.length;
    const hooks = ['DailyCronJob', 'InvoiceCreated'];
    const run = await runWhmcs(shopScenario({
      steps: [
        { php: `return array_values(array_intersect(array_keys(${NS}\\HookMap::HOOKS), ['${hooks.join("', '")}']));` },
        { hook: 'DailyCronJob', vars: {} },
        { hook: 'InvoiceCreated', vars: { source: 'autogen', user: 'system', invoiceid: 77, status: 'Unpaid' } },
      ],
    }));
    noErrors(run);
    expect(stepResult(run, 1)).toEqual([]);
    for (const hook of hooks) expect(run.hooks[hook] ?? 0).toBe(0);
    expect(seen.length).toBe(before);
  });
});

describe('a new customer\'s checkout, exactly as WHMCS sends it (MS-2 / SP-3)', () => {
  it('clientId \'\' and no session client: the terms ticked pass, unticked are refused', async () => {
    const vars = {
      a: 'checkout', submit: 'true', promocode: '', notes: '', paymentmethod: 'banktransfer', ccinfo: '', cctype: '', ccnumber: '', ccexpirymonth: '', ccexpiryyear: '', cccvv: '',
      custtype: 'new', clientId: '', loginemail: '', loginpassword: '', firstname: 'Ada', lastname: 'Lovelace', companyname: '', email: 'ada.new@example.org',
      address1: '1 Analytical Row', address2: '', city: 'London', state: '', country: 'GB', tax_id: '', phonenumber: '', password: 'pw-new', password2: 'pw-new',
      securityqid: '', securityqans: '', customfield: [],
    };
    const run = await runWhmcs(shopScenario({
      session: {}, post: { accepttos: 'on', privacysuite_terms_version: '2026-01', password: 'pw-new' },
      steps: [{ hook: 'ShoppingCartValidateCheckout', vars }, { set: { post: { privacysuite_terms_version: '2026-01', custtype: 'new' } } }, { hook: 'ShoppingCartValidateCheckout', vars }],
    }));
    noErrors(run);
    expect(stepResult(run, 1)).toEqual([[]]);
    const [ticked, unticked] = calls('ShoppingCartValidateCheckout').slice(-2);
    expect(ticked).toMatchObject({ status: 200, body: { vars: { clientId: '', accepttos: true, terms_version_shown: '2026-01' } } });
    expect(ticked.body.vars).not.toHaveProperty('userid');
    expect(unticked.status).toBe(200);
    expect(stepResult<string[][]>(run, 3)[0]).toHaveLength(1);
  });
});
