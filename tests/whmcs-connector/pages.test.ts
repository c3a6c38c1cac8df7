/** The WHMCS connector's pages, run with real PHP against a running suite: the client area's SSO link, the addon's admin page, the client summary, the menu entry. */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startTestSuite, type TestSuite } from '../helpers/test-suite';
import { CONNECTOR_ROOT, runWhmcs, stepResult, type WhmcsRun, type WhmcsScenario, type WhmcsStep } from '../helpers/whmcs-php';
import { clientAdd, consentBrand, subjectOf, type TestBrand } from '../modules/consent/marketing-fixtures';
import { adminKey, rightsCall } from '../modules/rights/fixtures';

const ADDON = 'modules/addons/privacysuite/privacysuite.php';
const PAGES = 'includes/hooks/privacy_suite_pages.php';
const NS = '\\WHMCS\\Module\\Addon\\Privacysuite\\';
const CLIENT = 7;
/** A second client, for the client-area page (a link made in the same second as another for the same client is the same link, and each opens once). */
const CLIENT_AREA = 9;

/** WHMCS's CSRF helpers, as simple stand-ins (the fake runtime has none): one fixed token. */
const TOKENS: WhmcsStep = {
  php: `if (!function_exists('generate_token')) {
    function generate_token($type = 'link') { return 'tok-fixed'; }
    function check_token($namespace = 'WHMCS.default') { return isset($_POST['token']) && $_POST['token'] === 'tok-fixed'; }
  } return true;`,
};

/** A stand-in for WHMCS's menu item (\\WHMCS\\View\\Menu\\Item): children by name; then every navbar callback runs on it. */
/** The addon's admin page as WHMCS shows it under Addons (privacysuite_output echoes it). */
const OUTPUT: WhmcsStep = { call: 'privacysuite_output', args: [{ modulelink: 'addonmodules.php?module=privacysuite' }] };

const NAVBAR: WhmcsStep = {
  php: `if (!class_exists('FakeMenuItem')) {
    class FakeMenuItem { public $children = [];
      public function addChild($name, $attrs = []) { $this->children[$name] = $attrs; return $this; }
      public function getChild($name) { return $this->children[$name] ?? null; } }
  }
  $nav = new FakeMenuItem();
  foreach (FakeWhmcs::$hooks['ClientAreaPrimaryNavbar'] ?? [] as $h) { call_user_func($h['fn'], $nav); }
  return $nav->children;`,
};

let t: TestSuite;
let shop: TestBrand;
let closedPort: number;
let dueDate: string;

beforeAll(async () => {
  t = await startTestSuite();
  shop = await consentBrand(t.suite, 'wh-pages', { model: 'opt-in', channels: ['email'] });
  expect((await clientAdd(t.baseUrl, shop, CLIENT, { marketing_emails_opt_in: true })).status).toBe(200);
  expect((await clientAdd(t.baseUrl, shop, CLIENT_AREA)).status).toBe(200);
  const opened = await rightsCall(t.baseUrl, await adminKey(t.suite), shop.slug, 'POST', '/requests', { type: 'access', subjectId: await subjectOf(t.suite, shop, CLIENT), verified: 'manual' });
  expect(opened.status).toBe(201);
  dueDate = new Date(Number(opened.body.dueAt ?? opened.body.request?.dueAt)).toISOString().slice(0, 10);
  closedPort = await new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
});
afterAll(() => t.close());

const settings = (over: Record<string, string> = {}) => ({ suite_url: t.baseUrl, brand: shop.slug, hook_secret: shop.secret, ...over });

/** Runs a scenario with the addon and the page hooks included, as WHMCS loads them. */
function run(s: Partial<WhmcsScenario>): Promise<WhmcsRun> {
  return runWhmcs({ settings: settings(), include: [ADDON, PAGES], ...s });
}

/** Follows a link into the privacy center without following the redirect. */
async function enter(url: string): Promise<{ status: number; cookie?: string; location: string | null }> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, cookie: res.headers.getSetCookie().find((c) => c.startsWith('suite_privacy=')), location: res.headers.get('location') };
}

describe('WHMCS connector pages', () => {
  it('including the addon and the page hooks prints nothing, queries nothing and registers the two page hooks', async () => {
    const r = await run({});
    expect(r.output).toBe('');
    expect(r.includeQueries).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.hooks.AdminAreaClientSummaryPage).toBe(1);
    expect(r.hooks.ClientAreaPrimaryNavbar).toBe(1);
  });

  it('the SSO link Sso.php signs opens the real privacy center (303 and a session cookie), once; tampered and expired links are refused', async () => {
    const r = await run({
      steps: [
        { php: `return ${NS}Sso::link(${NS}Settings::load(), ${CLIENT});` },
        { php: `return ${NS}Sso::link(${NS}Settings::load(), ${CLIENT}, time() - 3600);` },
      ],
    });
    const link = stepResult<string>(r, 0);
    expect(link).toMatch(new RegExp(`^${t.baseUrl}/b/wh-pages/privacy/sso\\?client=${CLIENT}&exp=\\d+&sig=[0-9a-f]{64}$`));
    const exp = Number(/exp=(\d+)/.exec(link)![1]);
    expect(exp).toBeGreaterThan(Date.now() / 1000);
    expect(exp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 120);

    const tampered = link.replace(/sig=([0-9a-f])/, (_m, c: string) => `sig=${c === '0' ? '1' : '0'}`);
    expect((await enter(tampered)).status).toBe(401);
    expect((await enter(link.replace(`client=${CLIENT}`, 'client=8'))).status).toBe(401);
    expect((await enter(stepResult<string>(r, 1))).status).toBe(410);

    const ok = await enter(link);
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/b/wh-pages/privacy');
    expect(ok.cookie).toMatch(/HttpOnly/i);
    const page = await fetch(`${t.baseUrl}/b/wh-pages/privacy`, { headers: { cookie: ok.cookie!.split(';')[0] }, redirect: 'manual' });
    expect(page.status).toBe(200);
    // Each link opens the center once.
    expect((await enter(link)).status).toBe(410);
  });

  it('the client-area page asks for a log-in, uses templates/clientarea.tpl and hands the template a fresh link into the center', async () => {
    const r = await run({
      session: { uid: CLIENT_AREA },
      steps: [
        { call: 'privacysuite_clientarea', args: [{ modulelink: 'index.php?m=privacysuite' }] },
        { call: 'privacysuite_clientarea', args: [{ modulelink: 'index.php?m=privacysuite' }] },
        { set: { session: {} } },
        { call: 'privacysuite_clientarea', args: [{ modulelink: 'index.php?m=privacysuite' }] },
        { set: { settings: {} } },
        { call: 'privacysuite_clientarea', args: [{ modulelink: 'index.php?m=privacysuite' }] },
      ],
    });
    const page = stepResult<{ pagetitle: string; breadcrumb: Record<string, string>; templatefile: string; requirelogin: boolean; vars: { ssoUrl: string; available: boolean; text: Record<string, string> } }>(r, 0);
    expect(page.pagetitle).toBe('Privacy');
    expect(page.breadcrumb).toEqual({ 'index.php?m=privacysuite': 'Privacy' });
    expect(page.templatefile).toBe('clientarea');
    expect(page.requirelogin).toBe(true);
    expect(fs.existsSync(path.join(CONNECTOR_ROOT, 'modules/addons/privacysuite/templates', `${page.templatefile}.tpl`))).toBe(true);
    expect(page.vars.available).toBe(true);
    expect(page.vars.text.open).toBe('Open my privacy center');
    // Each page view gets its own link, even two in the same second, and each opens the center.
    const again = stepResult<{ vars: { ssoUrl: string } }>(r, 1).vars.ssoUrl;
    expect(again).not.toBe(page.vars.ssoUrl);
    expect((await enter(page.vars.ssoUrl)).status).toBe(303);
    expect((await enter(again)).status).toBe(303);
    // No client in the session, or no settings: the page says the center is unavailable, with no link.
    for (const i of [3, 5]) {
      const p = stepResult<{ vars: { ssoUrl: string; available: boolean } }>(r, i);
      expect(p.vars).toMatchObject({ ssoUrl: '', available: false });
    }
    expect(r.warnings).toEqual([]);
  });

  it('the menu gets a "Privacy" entry to index.php?m=privacysuite for a logged-in client, in the client\'s language; none when logged out', async () => {
    const r = await run({
      session: { uid: CLIENT },
      steps: [NAVBAR, { set: { session: { uid: CLIENT, Language: 'german' } } }, NAVBAR, { set: { session: {} } }, NAVBAR],
    });
    expect(stepResult(r, 0)).toEqual({ privacysuite: { label: 'Privacy', uri: 'index.php?m=privacysuite', order: 90 } });
    expect(stepResult(r, 2)).toEqual({ privacysuite: { label: 'Datenschutz', uri: 'index.php?m=privacysuite', order: 90 } });
    expect(stepResult(r, 4)).toEqual([]);
    expect(r.output).toBe('');
  });

  it('the admin page says "Connected" against the running suite, and the error in words against a closed port, a wrong secret or no settings', async () => {
    const page = (set: Record<string, string>) => run({ settings: settings(set), steps: [OUTPUT] });
    const ok = await page({});
    expect(ok.steps[0].error).toBeUndefined();
    expect(ok.steps[0].output).toContain('alert-success');
    expect(ok.steps[0].output).toContain(`Connected: the suite at ${t.baseUrl} knows brand wh-pages`);
    expect(ok.steps[0].output).toContain(`href="${t.baseUrl}/admin"`);

    const down = await page({ suite_url: `http://127.0.0.1:${closedPort}` });
    expect(down.steps[0].output).toMatch(/The suite cannot be reached: curl 7: /);
    expect(down.steps[0].output).not.toContain('Connected');

    const wrong = await page({ hook_secret: 'not-the-secret' });
    expect(wrong.steps[0].output).toContain('The suite refused the signature: check the brand and the hook secret.');
    expect(wrong.steps[0].output).not.toContain('not-the-secret');

    const none = await run({ settings: {}, steps: [OUTPUT] });
    expect(none.steps[0].output).toContain('Not configured');
    for (const r of [ok, down, wrong, none]) expect(r.warnings).toEqual([]);
  });

  it('the admin page lists the queue (waiting, failed with its last error, delivered count) and Retry, with WHMCS\'s token, resets a failed entry to waiting', async () => {
    const rows = `INSERT INTO mod_privacysuite_queue (hook, idempotency_key, body, attempts, last_error, next_attempt_at, created_at, delivered_at) VALUES
      ('ClientAdd', 'k1', '{}', 1, NULL, NULL, '2026-01-01 10:00:00', '2026-01-01 10:01:00'),
      ('InvoicePaid', 'k2', '{}', 1, 'HTTP 422 SUITE_HOOK_INVALID', NULL, '2026-01-01 10:02:00', NULL),
      ('ClientEdit', 'k3', '{}', 2, 'curl 7', '2026-01-01 10:10:00', '2026-01-01 10:03:00', NULL)`;
    const r = await run({
      settings: settings({ suite_url: `http://127.0.0.1:${closedPort}` }),
      steps: [
        { call: 'privacysuite_activate' }, { sql: rows }, TOKENS,
        OUTPUT,
        { set: { post: { token: 'forged', privacysuite_retry: 2 } } }, OUTPUT,
        { set: { post: { token: 'tok-fixed', privacysuite_retry: 3 } } }, OUTPUT,
        { set: { post: { token: 'tok-fixed', privacysuite_retry: 2 } } }, OUTPUT,
        { sql: 'SELECT id, attempts, last_error, next_attempt_at, delivered_at FROM mod_privacysuite_queue ORDER BY id' },
      ],
    });
    const before = r.steps[3].output;
    expect(before).toMatch(/data-count="pending">1</);
    expect(before).toMatch(/data-count="failed">1</);
    expect(before).toMatch(/data-count="delivered">1</);
    expect(before).toContain('HTTP 422 SUITE_HOOK_INVALID');
    expect(before).toContain('<input type="hidden" name="token" value="tok-fixed">');
    expect(before).toMatch(/<tr data-queue-id="2">[\s\S]*?name="privacysuite_retry" value="2"/);
    expect(before).not.toMatch(/name="privacysuite_retry" value="3"/);
    // A forged token and a waiting entry change nothing.
    expect(r.steps[5].output).toContain('Nothing changed');
    expect(r.steps[7].output).toContain('Nothing changed');
    // The real token resets the failed entry: due now, error and attempts cleared.
    expect(r.steps[9].output).toContain('Event 2 will be sent again at the next cron run.');
    expect(r.steps[9].output).toMatch(/data-count="failed">0</);
    expect(r.steps[9].output).toMatch(/data-count="pending">2</);
    const after = stepResult<{ id: number; attempts: number; last_error: string | null; next_attempt_at: string | null }[]>(r, 10);
    expect(after[1]).toMatchObject({ id: 2, attempts: 0, last_error: null });
    expect(after[1].next_attempt_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(after[2]).toMatchObject({ id: 3, attempts: 2, last_error: 'curl 7', next_attempt_at: '2026-01-01 10:10:00' });
    expect(r.warnings).toEqual([]);
  });

  it('the client summary shows the client\'s privacy status from the suite and links to the client in the suite\'s admin', async () => {
    const r = await run({ steps: [{ hook: 'AdminAreaClientSummaryPage', vars: { userid: CLIENT } }, { hook: 'AdminAreaClientSummaryPage', vars: { userid: 99 } }] });
    const [html] = stepResult<string[]>(r, 0);
    expect(stepResult<string[]>(r, 1)[0]).toContain('Not known to the Privacy Suite yet.');
    expect(html).toContain('Privacy');
    expect(html).toMatch(/Consents in force:<\/strong> <\/p><ul><li>marketing:email <small>\(since \d{4}-\d\d-\d\d\)<\/small><\/li><\/ul>/);
    expect(html).toContain('<strong>Marketing:</strong> </p><ul><li>email: yes</li><li>sms: no</li>');
    expect(html).toContain(`<strong>Open requests:</strong> </p><ul><li>access — due ${dueDate}</li></ul>`);
    expect(html).not.toContain('Processing is restricted');
    expect(html).toContain(`href="${t.baseUrl}/admin/brands/wh-pages/consent/ledger?client=${CLIENT}"`);
    expect(html).not.toContain('unavailable');
    expect(r.warnings).toEqual([]);
  });

  it('the client summary is one line, "Privacy status unavailable", when the suite is down or refuses; never an exception', async () => {
    const broken: Record<string, string>[] = [{ suite_url: `http://127.0.0.1:${closedPort}` }, { hook_secret: 'not-the-secret' }];
    for (const set of broken) {
      const r = await run({ settings: settings(set), steps: [{ hook: 'AdminAreaClientSummaryPage', vars: { userid: CLIENT } }] });
      expect(r.steps[0].error).toBeUndefined();
      expect(stepResult(r, 0)).toEqual(['<div class="privacysuite-summary privacysuite-unavailable">Privacy status unavailable</div>']);
      expect(r.warnings).toEqual([]);
    }
    const none = await run({ settings: {}, steps: [{ hook: 'AdminAreaClientSummaryPage', vars: { userid: CLIENT } }] });
    expect(stepResult(none, 0)).toEqual(['']);
  });

  it('the six addon lang files have the same keys, and the translations are not English', async () => {
    const r = await run({
      steps: [{ php: `$out = []; foreach (['english','german','french','spanish','russian','arabic'] as $l) { $_ADDONLANG = []; include ROOTDIR . '/modules/addons/privacysuite/lang/' . $l . '.php'; $out[$l] = $_ADDONLANG; } return $out;` }],
    });
    const all = stepResult<Record<string, Record<string, string>>>(r, 0);
    const keys = Object.keys(all.english).sort();
    expect(keys.length).toBeGreaterThan(30);
    for (const [lang, strings] of Object.entries(all)) {
      expect(Object.keys(strings).sort()).toEqual(keys);
      if (lang === 'english') continue;
      for (const k of ['nav_privacy', 'client_open', 'summary_unavailable', 'queue_retry', 'conn_refused']) expect(strings[k]).not.toBe(all.english[k]);
    }
  });
});
