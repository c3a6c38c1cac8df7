/**
 * The WHMCS hook file (includes/hooks/privacy_suite.php) run with real PHP in the fake WHMCS runtime against a running
 * suite, behind a proxy that records every request: secrets never leave WHMCS, objects arrive as plain data, the
 * connector adds what WHMCS does not pass (terms, marketing choice, shown versions, the client), and answers come
 * back in WHMCS's own form (MS-2 / SP-3, MS-7.2).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBrand, PROVIDER_PROFILE, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { startRecordingProxy, type Passed, type RecordingProxy } from '../helpers/recording-proxy';
import { HOOK_FILE, INSTALL_ADDON, runWhmcs, stepResult, type WhmcsScenario } from '../helpers/whmcs-php';
import { publishTerms } from '../modules/consent/marketing-fixtures';

type Row = Record<string, unknown>;

const NS = '\\WHMCS\\Module\\Addon\\Privacysuite';

let t: TestSuite;
let secret: string;
let brandId: number;
let proxy: RecordingProxy;
let proxyUrl: string;
let dir: string;
let seen: Passed[] = [];

const settings = (extra: Record<string, string> = {}): Record<string, string> => ({ suite_url: proxyUrl, brand: 'shop', hook_secret: secret, ...extra });
/** A scenario on the hook file with the addon activated (its tables) and configured. */
const scenario = (s: Partial<WhmcsScenario>): WhmcsScenario => ({ settings: settings(), include: [HOOK_FILE], ...s, steps: [INSTALL_ADDON, ...(s.steps ?? [])] });
const count = async (table: string, where: Row = {}): Promise<number> => Number(((await t.suite.kernel.db(table).where(where).count({ n: '*' }).first()) as { n: number | string }).n);
const calls = (hook: string): Passed[] => seen.filter((s) => s.hook === hook);
const last = (hook: string): Passed => calls(hook).at(-1)!;
/** The hooks that passed since `n` (the cron's documents refresh left out: it is not a hook). */
const hooksSince = (n: number): Passed[] => seen.slice(n).filter((s) => s.hook !== 'documents');
async function ledger(clientId: number): Promise<Row[]> {
  const subject = await t.suite.kernel.subjects.findByExternal(brandId, 'client', clientId);
  return (await t.suite.kernel.db('consent_ledger as l').leftJoin('consent_documents as d', 'd.id', 'l.document_id')
    .where({ 'l.subject_id': subject!.id }).orderBy('l.seq').select('l.purpose', 'l.action', 'l.collection_point', 'l.document_version', 'd.language as document_language')) as Row[];
}

/** ClientAdd as WHMCS sends it on registration (with the plain password). */
const clientAdd = (id: number, extra: Row = {}): Row => ({
  client_id: id, user_id: id + 100, userid: id, firstname: 'Emmy', lastname: `Noether${id}`, companyname: '', email: `emmy.${id}@example.org`,
  address1: 'Bunsenstr. 3', address2: '', city: 'Göttingen', state: '', postcode: '37073', country: 'DE', phonenumber: '+49.5511234',
  tax_id: '', password: `correct horse battery ${id}`, customFields: [], taxexempt: false, latefeeoveride: false, overideduenotices: false,
  separateinvoices: false, disableautocc: false, emailoptout: false, marketing_emails_opt_in: false, overrideautoclose: false, notes: '', groupid: 0, ...extra,
});
/** ShoppingCartValidateCheckout as WHMCS sends it: card data and passwords, no accepttos. */
const checkoutVars = (): Row => ({
  a: 'checkout', submit: 'true', promocode: '', notes: '', paymentmethod: 'stripe', ccinfo: 'new', cctype: 'Visa', ccnumber: '4111111111111111',
  ccexpirymonth: '12', ccexpiryyear: '2030', cccvv: '123', custtype: 'existing', clientId: 1, loginemail: '', loginpassword: 'hunter2',
  firstname: 'Emmy', lastname: 'Noether', companyname: '', email: 'emmy.1@example.org', address1: 'Bunsenstr. 3', address2: '', city: 'Göttingen',
  state: '', country: 'DE', tax_id: '', phonenumber: '', password: 'pw-new', password2: 'pw-new', securityqid: '', securityqans: 'Fluffy', customfield: [],
});
const DE_SESSION = { Language: 'german' };
/** The registration form's post (terms ticked, no marketing box, the versions the page showed). */
const REGISTRATION_POST = { accepttos: 'on', privacysuite_terms_version: '4.0-de', privacysuite_privacy_version: 'p-1-de', password: 'x', password2: 'x' };

beforeAll(async () => {
  t = await startTestSuite();
  secret = await createBrand(t.suite, 'shop', { profile: { ...PROVIDER_PROFILE, consent: { model: 'opt-in', channels: ['email'] } } });
  brandId = (await t.suite.kernel.brands.get('shop')).id;
  for (const [lang, version, kind] of [['en', '4.0', 'terms'], ['en', '4.1', 'terms'], ['de', '4.1-de', 'terms'], ['de', '4.0-de', 'terms'], ['en', 'p-1', 'privacy'], ['de', 'p-1-de', 'privacy']]) {
    await publishTerms(t.suite, brandId, lang, version, kind);
  }
  proxy = await startRecordingProxy(t.baseUrl);
  proxyUrl = proxy.url;
  seen = proxy.seen;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whmcs-hook-file-'));
});
afterAll(async () => {
  await proxy.close();
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the hook file when WHMCS loads it', () => {
  it('prints nothing, runs no query, and registers every forwarded hook, the cron and the two output hooks', async () => {
    const run = await runWhmcs(scenario({ steps: [{ php: `return array_keys(${NS}\\HookMap::HOOKS);` }, { php: 'return PRIVACYSUITE_HOOKS;' }] }));
    expect(run.output).toBe('');
    expect(run.includeQueries).toEqual([]);
    expect(run.warnings).toEqual([]);
    const forwarded = stepResult<string[]>(run, 2);
    expect(stepResult<string[]>(run, 1).sort()).toEqual([...forwarded].sort());
    expect([...forwarded].sort()).toEqual(['ClientAdd', 'ClientEdit', 'ClientClose', 'PreDeleteClient', 'ClientDetailsValidation',
      'ContactAdd', 'ContactEdit', 'ContactDelete', 'ShoppingCartValidateCheckout', 'AfterShoppingCartCheckout', 'PreRegistrarRegisterDomain',
      'PreRegistrarTransferDomain', 'AfterRegistrarRegistration', 'AfterRegistrarRenewal',
      'AfterRegistrarTransfer', 'EmailPreSend', 'UserLogin', 'ContactDetailsValidation', 'AfterRegistrarSaveContactDetails', 'InvoicePaid',
      'CancellationRequest', 'TicketOpen', 'TicketUserReply'].sort());
    for (const hook of [...forwarded, 'AfterCronJob', 'ShoppingCartCheckoutOutput', 'ClientAreaFooterOutput']) expect(run.hooks[hook]).toBe(1);
  });

  it('does nothing and answers WHMCS\'s neutral values while the addon is not configured', async () => {
    const before = seen.length;
    const run = await runWhmcs(scenario({
      settings: { suite_url: proxyUrl, brand: 'shop' },
      steps: [{ hook: 'ShoppingCartValidateCheckout', vars: checkoutVars() }, { hook: 'ClientAdd', vars: clientAdd(90) }, { hook: 'EmailPreSend', vars: { messagename: 'Newsletter', relid: 90 } }],
    }));
    expect([stepResult(run, 1), stepResult(run, 2), stepResult(run, 3)]).toEqual([[[]], [null], [[]]]);
    expect(seen.length).toBe(before);
  });
});

describe('MS-2 / SP-3: registration, checkout and edits land as the promises say', () => {
  it('MS-2 / SP-3: a registration records the terms version the page showed, in the client\'s language; the password never leaves WHMCS', async () => {
    const run = await runWhmcs(scenario({
      session: DE_SESSION,
      post: REGISTRATION_POST,
      steps: [{ hook: 'ClientAdd', vars: clientAdd(1) }],
    }));
    expect(stepResult(run, 1)).toEqual([null]);
    const call = last('ClientAdd');
    expect(call.status).toBe(200);
    expect(call.raw).not.toContain('correct horse battery');
    expect(call.body.vars).not.toHaveProperty('password');
    expect(call.body.vars).toMatchObject({ client_id: 1, accepttos: true, marketing_emails_opt_in: false, terms_version_shown: '4.0-de', privacy_version_shown: 'p-1-de' });
    expect(call.body.context).toEqual({ ip: '203.0.113.10', userAgent: 'Mozilla/5.0 (fake WHMCS test)', locale: 'de' });
    expect(call.key).toMatch(/^whmcs-[0-9a-f]{64}$/);
    expect(await ledger(1)).toEqual(expect.arrayContaining([expect.objectContaining({ purpose: 'terms', action: 'given', collection_point: 'registration', document_version: '4.0-de', document_language: 'de' })]));
  });

  it('MS-2 / SP-3: checkout with the terms ticked passes, card data and passwords stay in WHMCS, and the order records the exact version', async () => {
    const post = { accepttos: 'on', marketingoptin: '1', privacysuite_terms_version: '4.1-de', privacysuite_privacy_version: 'p-1-de' };
    const run = await runWhmcs(scenario({
      session: { ...DE_SESSION, uid: 1 }, post,
      tables: { tblorders: [{ id: 31, ordernum: '5551234', userid: 1, invoiceid: 77 }] },
      steps: [
        { hook: 'ShoppingCartValidateCheckout', vars: checkoutVars() },
        { hook: 'AfterShoppingCartCheckout', vars: { OrderID: 31, OrderNumber: 5551234, ServiceIDs: [12], AddonIDs: [], DomainIDs: [], RenewalIDs: [], PaymentMethod: 'stripe', InvoiceID: 77, TotalDue: 20 } },
      ],
    }));
    expect(stepResult(run, 1)).toEqual([[]]);
    expect(stepResult(run, 2)).toEqual([null]);
    const validate = last('ShoppingCartValidateCheckout');
    for (const secretValue of ['4111111111111111', 'hunter2', 'pw-new', 'Fluffy', '"123"']) expect(validate.raw).not.toContain(secretValue);
    for (const name of ['ccnumber', 'cccvv', 'ccexpirymonth', 'ccexpiryyear', 'password', 'password2', 'loginpassword', 'securityqans']) expect(validate.body.vars).not.toHaveProperty(name);
    expect(validate.body.vars).toMatchObject({ userid: 1, accepttos: true, marketing_emails_opt_in: true, terms_version_shown: '4.1-de' });
    expect(validate.status).toBe(200);
    expect(validate.key).toBeNull();
    expect(last('AfterShoppingCartCheckout').body.vars).toMatchObject({ OrderID: 31, userid: 1, accepttos: true, marketing_emails_opt_in: true });
    const rows = await ledger(1);
    expect(rows).toEqual(expect.arrayContaining([
      expect.objectContaining({ purpose: 'terms', action: 'given', collection_point: 'checkout', document_version: '4.1-de', document_language: 'de' }),
      expect.objectContaining({ purpose: 'marketing:email', action: 'given', collection_point: 'checkout', document_version: 'p-1-de' }),
    ]));
  });

  it('MS-2 / SP-3: checkout without the terms ticked is refused with the brand\'s message in the client\'s language', async () => {
    const run = await runWhmcs(scenario({ session: { ...DE_SESSION, uid: 1 }, post: { paymentmethod: 'stripe' }, steps: [{ hook: 'ShoppingCartValidateCheckout', vars: checkoutVars() }] }));
    expect(stepResult(run, 1)).toEqual([['Bitte akzeptieren Sie die Allgemeinen Geschäftsbedingungen, um fortzufahren.']]);
    expect(last('ShoppingCartValidateCheckout')).toMatchObject({ status: 200, body: { vars: { accepttos: false, marketing_emails_opt_in: false } } });
  });

  it('an existing client\'s details edit carries the logged-in client and no terms flag; the edit lands', async () => {
    const vars = { firstname: 'Emmy', lastname: 'Noether', companyname: '', email: 'emmy.1@example.org', address1: 'Weender Landstr. 1', address2: '', city: 'Göttingen', state: '', postcode: '37073', country: 'DE', phonenumber: '', tax_id: '', paymentmethod: '', customfield: [], securityqid: '', securityqans: 'Fluffy' };
    const run = await runWhmcs(scenario({
      session: { ...DE_SESSION, uid: 1 }, post: { save: 'true' },
      steps: [{ hook: 'ClientDetailsValidation', vars }, { hook: 'ClientEdit', vars: { userid: 1, uuid: 'u-1', ...vars, securityqans: undefined, olddata: { address1: 'Bunsenstr. 3' } } }],
    }));
    expect(stepResult(run, 1)).toEqual([[]]);
    const validation = last('ClientDetailsValidation');
    expect(validation.status).toBe(200);
    expect(validation.body.vars).toMatchObject({ userid: 1 });
    expect(validation.body.vars).not.toHaveProperty('accepttos');
    expect(validation.body.vars).not.toHaveProperty('securityqans');
    expect(last('ClientEdit')).toMatchObject({ status: 200 });
  });

  it('MS-7.2: EmailPreSend answers flat merge fields with consent, and abortsend after a marketing opt-out', async () => {
    const run = await runWhmcs(scenario({
      session: {}, post: {},
      steps: [
        { hook: 'EmailPreSend', vars: { messagename: 'Spring Offers', relid: 1, mergefields: { client_first_name: 'Emmy' } } },
        { hook: 'ClientEdit', vars: { userid: 1, email: 'emmy.1@example.org', marketing_emails_opt_in: false, olddata: { marketing_emails_opt_in: true } } },
        { hook: 'EmailPreSend', vars: { messagename: 'Spring Offers', relid: 1, mergefields: { client_first_name: 'Emmy' } } },
      ],
    }));
    const [allowed] = stepResult<Row[]>(run, 1);
    expect(allowed).toEqual({ unsubscribe_url: expect.stringContaining('http'), list_unsubscribe: expect.stringMatching(/^<http/), list_unsubscribe_post: 'List-Unsubscribe=One-Click' });
    expect(stepResult(run, 3)).toEqual([{ abortsend: true }]);
  });
});

describe('MS-9: tickets tell the suite WHMCS holds correspondence, and nothing of the message', () => {
  it('TicketOpen and TicketUserReply are forwarded with their ids only: subject, message, department name and attachments stay in WHMCS', async () => {
    const message = 'My card 4111 1111 1111 1111 was charged twice, call me on +49 551 1234';
    const run = await runWhmcs(scenario({
      steps: [
        { hook: 'TicketOpen', vars: { ticketid: 41, ticketmask: 'ABC-123456', userid: 1, deptid: 2, deptname: 'Billing', subject: 'Double charge', message, priority: 'High', attachments: ['scan.pdf'] } },
        { hook: 'TicketUserReply', vars: { ticketid: 41, replyid: 7, userid: 1, deptid: 2, deptname: 'Billing', subject: 'Double charge', message: `${message} (again)`, priority: 'High', status: 'Customer-Reply' } },
      ],
    }));
    expect(run.warnings).toEqual([]);
    expect([stepResult(run, 1), stepResult(run, 2)]).toEqual([[null], [null]]);
    const open = last('TicketOpen');
    const reply = last('TicketUserReply');
    expect([open.status, reply.status]).toEqual([200, 200]);
    expect(open.body.vars).toEqual({ ticketid: 41, ticketmask: 'ABC-123456', userid: 1, deptid: 2 });
    expect(reply.body.vars).toEqual({ ticketid: 41, replyid: 7, userid: 1, deptid: 2 });
    for (const text of ['4111', 'Double charge', 'Billing', 'scan.pdf', 'High', 'Customer-Reply']) {
      expect(open.raw).not.toContain(text);
      expect(reply.raw).not.toContain(text);
    }
    expect(open.key).toMatch(/^whmcs-[0-9a-f]{64}$/);
  });
});

describe('answers in WHMCS\'s own form', () => {
  it('maps PreRegistrar* answers to abortWithError / abortWithSuccess, and flattens EmailPreSend\'s merge fields', async () => {
    const run = await runWhmcs(scenario({
      steps: [{ php: `return [
        ${NS}\\Forwarder::abort(['ok' => true, 'abortWithError' => 'Registrant contact refused']),
        ${NS}\\Forwarder::abort(['ok' => true, 'abortWithSuccess' => true]),
        ${NS}\\Forwarder::abort(['ok' => true]),
        ${NS}\\Forwarder::mergeFields(['ok' => true, 'mergefields' => ['a' => 'x', 'b' => ['c' => 1]], 'abortsend' => true]),
        ${NS}\\Forwarder::errors(['ok' => true, 'errors' => ['one', 'two']]),
      ];` }],
    }));
    expect(stepResult(run, 1)).toEqual([{ abortWithError: 'Registrant contact refused' }, { abortWithSuccess: true }, [], { a: 'x', b: { c: 1 }, abortsend: true }, ['one', 'two']]);
  });

  it('strips every listed secret at any depth and in any case, and keeps the rest', async () => {
    const secrets = ['password', 'password2', 'loginpassword', 'ccnumber', 'cccvv', 'cardnum', 'cardcvv', 'ccexpirymonth', 'ccexpiryyear', 'securityqans',
      'gatewayid', 'bankacct', 'remember_token', 'client_password', 'Card_CVV', 'apiSecret', 'pwresetkey'];
    const input = Object.fromEntries(secrets.map((k) => [k, 's3cr3t']));
    const run = await runWhmcs(scenario({ steps: [{ php: `return ${NS}\\Forwarder::sanitize(json_decode(${JSON.stringify(JSON.stringify({ ...input, email: 'a@b.example', nested: { deeper: { ...input, keep: 1 } } }))}, true));` }] }));
    expect(stepResult(run, 1)).toEqual({ email: 'a@b.example', nested: { deeper: { keep: 1 } } });
  });
});

describe('suite down: fail modes, the queue and the cron', () => {
  const closedPort = 'http://127.0.0.1:9';

  it('validation hooks follow their fail mode: closed refuses with the addon\'s message, open lets through and logs', async () => {
    const run = await runWhmcs(scenario({
      settings: settings({ suite_url: closedPort, fail_mode_checkout: 'closed', fail_mode_details: 'open', connect_timeout_seconds: '1', timeout_seconds: '1' }),
      session: { uid: 1 }, post: { accepttos: 'on' },
      steps: [{ hook: 'ShoppingCartValidateCheckout', vars: checkoutVars() }, { hook: 'ClientDetailsValidation', vars: { email: 'emmy.1@example.org' } },
        { hook: 'PreRegistrarRegisterDomain', vars: { params: { sld: 'example', tld: 'org', domainid: 4, userid: 1 } } }],
    }));
    const [[closed]] = stepResult<string[][]>(run, 1);
    expect(closed).toMatch(/try again/i);
    expect(stepResult(run, 2)).toEqual([[]]);
    expect(stepResult(run, 3)).toEqual([[]]);
    expect(run.moduleLog.map((l) => l.action)).toEqual(['forward ShoppingCartValidateCheckout', 'forward ClientDetailsValidation', 'forward PreRegistrarRegisterDomain']);
    expect(JSON.stringify(run.moduleLog)).not.toContain('emmy');
  });

  it('after hooks are queued while the suite is down, then the cron delivers each exactly once, in order', async () => {
    const db = path.join(dir, 'queue.sqlite');
    const down = await runWhmcs(scenario({
      db, settings: settings({ suite_url: closedPort, connect_timeout_seconds: '1' }), session: DE_SESSION, post: { accepttos: 'on' },
      steps: [
        { hook: 'ClientAdd', vars: clientAdd(2) },
        { hook: 'ContactAdd', vars: { userid: 2, contactid: 21, firstname: 'Max', lastname: 'Born', companyname: '', email: 'max@example.org', address1: '', address2: '', city: '', state: '', postcode: '', country: 'DE', phonenumber: '', tax_id: '', generalemails: true, productemails: false, domainemails: false, invoiceemails: false, supportemails: false, affiliateemails: false } },
        { hook: 'ClientClose', vars: { userid: 2 } },
        { hook: 'AfterCronJob', vars: {} },
        { sql: 'select hook, attempts, last_error, delivered_at from mod_privacysuite_queue order by id' },
      ],
    }));
    const queued = stepResult<Row[]>(down, 5);
    expect(queued.map((r) => r.hook)).toEqual(['ClientAdd', 'ContactAdd', 'ClientClose']);
    expect(queued[0]).toMatchObject({ attempts: 2, last_error: 'transport error', delivered_at: null });
    expect(JSON.stringify(queued)).not.toContain('emmy');
    expect(await count('subjects', { brand_id: brandId })).toBe(1);

    const before = seen.length;
    const back = await runWhmcs(scenario({
      db, settings: settings(),
      steps: [
        // The first row backs off after its failed attempt: a cron run now sends nothing.
        { hook: 'AfterCronJob', vars: {} },
        { php: 'return count(FakeWhmcs::$moduleLog);' },
        { sql: "update mod_privacysuite_queue set next_attempt_at = '2000-01-01 00:00:00'" },
        { hook: 'AfterCronJob', vars: {} },
        { hook: 'AfterCronJob', vars: {} },
        { sql: "select hook, body, delivered_at is not null as delivered from mod_privacysuite_queue order by id" },
      ],
    }));
    expect(back.steps.every((s) => !s.error)).toBe(true);
    expect(back.moduleLog[0]).toMatchObject({ action: 'queue flush', request: { sent: 0, failed: 0, waiting: 3 } });
    const delivered = hooksSince(before);
    expect(delivered.map((s) => [s.hook, s.status, s.replayed])).toEqual([['ClientAdd', 200, false], ['ContactAdd', 200, false], ['ClientClose', 200, false]]);
    expect(delivered[0].body.vars).not.toHaveProperty('password');
    expect(delivered[0].body.context).toMatchObject({ locale: 'de' });
    expect(stepResult<Row[]>(back, 6)).toEqual([
      { hook: 'ClientAdd', body: '{}', delivered: 1 }, { hook: 'ContactAdd', body: '{}', delivered: 1 }, { hook: 'ClientClose', body: '{}', delivered: 1 },
    ]);
    expect(await count('subjects', { brand_id: brandId })).toBe(3);
    expect(await ledger(2)).toEqual(expect.arrayContaining([expect.objectContaining({ purpose: 'terms', collection_point: 'registration' })]));
  });

  it('a 4xx answer is not retried: the row is marked failed with the code and kept for the admin page', async () => {
    const before = seen.length;
    const run = await runWhmcs(scenario({
      steps: [
        { hook: 'ClientClose', vars: {} },
        { hook: 'AfterCronJob', vars: {} },
        { sql: 'select hook, attempts, last_error, next_attempt_at, delivered_at from mod_privacysuite_queue' },
      ],
    }));
    expect(hooksSince(before).map((s) => [s.hook, s.status])).toEqual([['ClientClose', 400]]);
    expect(stepResult(run, 3)).toEqual([{ hook: 'ClientClose', attempts: 1, last_error: 'HTTP 400 SUITE_VALIDATION_FAILED', next_attempt_at: null, delivered_at: null }]);
  });
});

describe('idempotency keys', () => {
  it('a re-fired same event is recognised; two real edits are not merged', async () => {
    const edit = (city: string): Row => ({ userid: 1, email: 'emmy.1@example.org', city, olddata: {} });
    const before = seen.length;
    const subjects = await count('subjects', { brand_id: brandId });
    await runWhmcs(scenario({
      session: DE_SESSION, post: REGISTRATION_POST,
      steps: [{ hook: 'ClientAdd', vars: clientAdd(1) }, { hook: 'ClientEdit', vars: edit('Berlin') }, { hook: 'ClientEdit', vars: edit('Berlin') }, { hook: 'ClientEdit', vars: edit('Hamburg') }],
    }));
    const sent = hooksSince(before);
    // ClientAdd for client 1 was delivered in the first test: the same event again is answered from the first.
    expect(sent.map((s) => [s.hook, s.status, s.replayed])).toEqual([['ClientAdd', 200, true], ['ClientEdit', 200, false], ['ClientEdit', 200, true], ['ClientEdit', 200, false]]);
    expect(sent[1].key).toBe(sent[2].key);
    expect(sent[3].key).not.toBe(sent[1].key);
    expect(await count('subjects', { brand_id: brandId })).toBe(subjects);
  });

  it('the same event re-fired from another request (another IP) is recognised, not recorded as a failure', async () => {
    const before = seen.length;
    const run = await runWhmcs(scenario({
      session: DE_SESSION, post: REGISTRATION_POST, server: { REMOTE_ADDR: '198.51.100.99' },
      steps: [{ hook: 'ClientAdd', vars: clientAdd(1) }, { sql: 'select count(*) as n from mod_privacysuite_queue' }],
    }));
    expect(hooksSince(before).map((s) => [s.hook, s.status])).toEqual([['ClientAdd', 409]]);
    expect(stepResult(run, 2)).toEqual([{ n: 0 }]);
  });

  it('an event whose answer was lost is queued, and its re-send is answered from the first delivery: it lands once', async () => {
    const db = path.join(dir, 'lost.sqlite');
    const contact = { userid: 1, contactid: 41, firstname: 'Lise', lastname: 'Meitner', companyname: '', email: 'lise@example.org', address1: '', address2: '', city: '', state: '', postcode: '', country: 'AT', phonenumber: '', tax_id: '', generalemails: true, productemails: false, domainemails: false, invoiceemails: false, supportemails: false, affiliateemails: false };
    const before = seen.length;
    proxy.loseAnswers = true;
    try {
      await runWhmcs(scenario({ db, steps: [{ hook: 'ContactAdd', vars: contact }] }));
    } finally {
      proxy.loseAnswers = false;
    }
    const stored = await count('subjects', { brand_id: brandId });
    const back = await runWhmcs(scenario({
      db,
      steps: [
        { sql: "update mod_privacysuite_queue set next_attempt_at = '2000-01-01 00:00:00'" },
        { hook: 'AfterCronJob', vars: {} },
        { sql: 'select hook, attempts, last_error, delivered_at is not null as delivered from mod_privacysuite_queue' },
      ],
    }));
    const sent = hooksSince(before);
    expect(sent.map((s) => [s.hook, s.status, s.replayed])).toEqual([['ContactAdd', 200, false], ['ContactAdd', 200, true]]);
    expect(sent[1].key).toBe(sent[0].key);
    expect(stepResult(back, 3)).toEqual([{ hook: 'ContactAdd', attempts: 2, last_error: null, delivered: 1 }]);
    expect(await count('subjects', { brand_id: brandId })).toBe(stored);
  });
});
