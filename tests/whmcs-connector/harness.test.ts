/** The fake WHMCS runtime and the addon's Settings and SuiteClient, run with real PHP against a running suite. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { signHook } from '../../core/http/signature';
import { createBrand, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { runWhmcs, stepResult } from '../helpers/whmcs-php';

const LIB = ['modules/addons/privacysuite/lib/Settings.php', 'modules/addons/privacysuite/lib/SuiteClient.php'];
const NS = '\\WHMCS\\Module\\Addon\\Privacysuite';

/** A PHP step posting one hook through SuiteClient with the stored settings. */
const postStep = (hook: string, payload: Record<string, unknown>, key?: string): { php: string } => ({
  php: `$c = new ${NS}\\SuiteClient(${NS}\\Settings::load());
    return $c->post('/api/v1/hooks/${hook}', json_decode(${JSON.stringify(JSON.stringify(payload))}, true)${key ? `, ${JSON.stringify(key)}` : ''});`,
});

let t: TestSuite;
let secret: string;
let dir: string;
beforeAll(async () => {
  t = await startTestSuite();
  secret = await createBrand(t.suite, 'whmcs-shop');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whmcs-harness-'));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the fake WHMCS runtime', () => {
  it('runs every callback of a hook in priority order and answers the list of their returns', async () => {
    const run = await runWhmcs({
      files: {
        'includes/hooks/zz_test.php': `<?php
add_hook('ClientAdd', 5, function ($vars) { return ['second' => $vars['userid']]; });
add_hook('ClientAdd', 1, function ($vars) { return 'first'; });
add_hook('ClientAdd', 5, function ($vars) { return null; });`,
      },
      include: ['includes/hooks/zz_test.php'],
      steps: [{ hook: 'ClientAdd', vars: { userid: 7 } }, { hook: 'ClientEdit', vars: {} }],
    });
    expect(run.output).toBe('');
    expect(run.hooks).toEqual({ ClientAdd: 3 });
    expect(stepResult(run, 0)).toEqual(['first', { second: 7 }, null]);
    expect(stepResult(run, 1)).toEqual([]);
    expect(run.completed).toBe(true);
  });

  it('autoloads module lib/ classes as WHMCS does: addons and registrars, by their namespace', async () => {
    const run = await runWhmcs({
      files: { 'modules/registrars/recorder/lib/Api/Client.php': '<?php\nnamespace WHMCS\\Module\\Registrar\\Recorder\\Api;\nfinal class Client { const NAME = "rec"; }\n' },
      steps: [
        { php: 'return \\WHMCS\\Module\\Registrar\\Recorder\\Api\\Client::NAME;' },
        { php: "return class_exists('WHMCS\\\\Module\\\\Addon\\\\Privacysuite\\\\SuiteClient');" },
        { php: "return class_exists('WHMCS\\\\Module\\\\Addon\\\\Privacysuite\\\\Nothing');" },
      ],
    });
    expect([stepResult(run, 0), stepResult(run, 1), stepResult(run, 2)]).toEqual(['rec', true, false]);
  });

  it('answers localAPI from the scenario (a list in order, its last entry repeating) and records every call', async () => {
    const run = await runWhmcs({
      localApi: { GetClientsDetails: { result: 'success', client_id: 3 }, GetOrders: [{ result: 'success', n: 1 }, { result: 'success', n: 2 }] },
      steps: [
        { php: "return localAPI('GetClientsDetails', ['clientid' => 3]);" },
        { php: "return [localAPI('GetOrders', []), localAPI('GetOrders', []), localAPI('GetOrders', [])];" },
        { php: "return localAPI('CloseClient', ['clientid' => 3], 'admin');" },
      ],
    });
    expect(stepResult(run, 0)).toEqual({ result: 'success', client_id: 3 });
    expect(stepResult<{ n: number }[]>(run, 1).map((a) => a.n)).toEqual([1, 2, 2]);
    expect(stepResult(run, 2)).toEqual({ result: 'error', message: 'fake WHMCS: no scripted answer for CloseClient' });
    expect(run.localApiCalls.map((c) => [c.command, c.values, c.adminUser])).toEqual([
      ['GetClientsDetails', { clientid: 3 }, ''], ['GetOrders', [], ''], ['GetOrders', [], ''], ['GetOrders', [], ''], ['CloseClient', { clientid: 3 }, 'admin'],
    ]);
  });

  it('keeps the WHMCS database in a SQLite file several PHP runs share, with the addon settings in tbladdonmodules', async () => {
    const db = path.join(dir, 'shared.sqlite');
    await runWhmcs({
      db,
      settings: { suite_url: 'https://suite.example', brand: 'whmcs-shop', delete_data_on_deactivate: true },
      tables: { tblclients: [{ id: 4, firstname: 'Ada', email: 'ada@example.org' }], tblorders: [{ id: 9, userid: 4 }] },
    });
    const run = await runWhmcs({
      db,
      steps: [
        { sql: "select setting, value from tbladdonmodules where module = 'privacysuite' order by setting" },
        { php: "return \\WHMCS\\Database\\Capsule::table('tblorders')->where('id', 9)->value('userid');" },
        { sql: "update tblclients set email = 'x@example.org' where id = 4" },
      ],
    });
    expect(stepResult(run, 0)).toEqual([
      { setting: 'brand', value: 'whmcs-shop' }, { setting: 'delete_data_on_deactivate', value: 'on' }, { setting: 'suite_url', value: 'https://suite.example' },
    ]);
    expect(Number(stepResult(run, 1))).toBe(4);
    expect(stepResult(run, 2)).toBe(1);
  });

  it('sets $_POST, $_SESSION and $_SERVER from the scenario and changes them between steps', async () => {
    const run = await runWhmcs({
      post: { accepttos: 'on' },
      session: { uid: 12 },
      steps: [
        { php: "return [$_POST, $_SESSION['uid'], $_SERVER['REMOTE_ADDR'], ROOTDIR !== '', defined('WHMCS')];" },
        { set: { post: { marketingoptin: '1' }, server: { REMOTE_ADDR: '198.51.100.4' } } },
        { php: "$_SESSION['seen'] = true; return [$_POST, $_REQUEST, $_SERVER['REMOTE_ADDR']];" },
      ],
    });
    expect(stepResult(run, 0)).toEqual([{ accepttos: 'on' }, 12, '203.0.113.10', true, true]);
    expect(stepResult(run, 2)).toEqual([{ marketingoptin: '1' }, { marketingoptin: '1' }, '198.51.100.4']);
    expect(run.session).toEqual({ uid: 12, seen: true });
  });

  it('records output, warnings, a throwing step, an exit, logModuleCall and getRegistrarConfigOptions', async () => {
    const run = await runWhmcs({
      registrarConfig: { realreg: { apiKey: 'k' } },
      steps: [
        { php: "echo 'printed'; logModuleCall('privacysuite', 'act', 'req', 'resp', '', []); return getRegistrarConfigOptions('realreg');" },
        { php: "throw new \\RuntimeException('boom');" },
        { php: '$a = []; return $a["missing"] ?? $a["gone"];' },
        { php: 'exit(0);' },
        { php: 'return "never";' },
      ],
    });
    expect(run.steps[0]).toMatchObject({ output: 'printed', result: { apiKey: 'k' } });
    expect(run.moduleLog).toEqual([expect.objectContaining({ module: 'privacysuite', action: 'act', request: 'req', response: 'resp' })]);
    expect(run.steps[1].error).toMatchObject({ class: 'RuntimeException', message: 'boom' });
    expect(run.warnings).toEqual([expect.objectContaining({ type: 'warning', message: 'Undefined array key "gone"' })]);
    expect(run.completed).toBe(false);
    expect(run.stoppedAtStep).toBe(3);
    expect(run.steps).toHaveLength(3);
  });
});

describe('Settings', () => {
  it('loads the stored settings with their defaults, and is null while suite_url, brand or hook_secret is missing', async () => {
    const full = { suite_url: 'https://suite.example/', brand: 'b', hook_secret: 's', fail_mode_checkout: 'closed', delete_data_on_deactivate: 'on' };
    const read = `$s = ${NS}\\Settings::load(); return $s === null ? null : [$s->suiteUrl, $s->brand, $s->hookSecret, $s->timeoutSeconds(), $s->connectTimeoutSeconds(),
      $s->failMode('ShoppingCartValidateCheckout'), $s->failMode('ClientDetailsValidation'), $s->isOn('delete_data_on_deactivate'), $s->get('registrar_module', 'none')];`;
    const run = await runWhmcs({ settings: full, include: LIB, steps: [{ php: read }, { set: { settings: { ...full, hook_secret: '' } } }, { php: read },
      { set: { settings: { ...full, suite_url: 'ftp://suite.example' } } }, { php: read }] });
    expect(stepResult(run, 0)).toEqual(['https://suite.example', 'b', 's', 5, 2, 'closed', 'open', true, 'none']);
    expect(stepResult(run, 2)).toBeNull();
    expect(stepResult(run, 4)).toBeNull();
  });
});

describe('SuiteClient', () => {
  const settings = (): Record<string, string> => ({ suite_url: t.baseUrl, brand: 'whmcs-shop', hook_secret: secret });

  it('signs like the suite: v1= hex HMAC-SHA256 of "<ts>.<raw body>"', async () => {
    const raw = '{"brand":"b","vars":{"name":"Zoë/1"}}';
    const run = await runWhmcs({ include: LIB, steps: [{ php: `return ${NS}\\SuiteClient::sign('sekret', 1700000000, ${JSON.stringify(raw)});` }] });
    expect(stepResult(run, 0)).toBe(signHook('sekret', 1700000000, raw));
  });

  it('a signed ClientAdd lands and records the client as a subject', async () => {
    const run = await runWhmcs({
      settings: settings(),
      steps: [postStep('ClientAdd', { vars: { client_id: 41, email: 'zoe@example.org', firstname: 'Zoë', lastname: 'A/B' }, context: { ip: '203.0.113.10', userAgent: 'test', locale: 'en' } })],
    });
    expect(stepResult(run, 0)).toEqual({ status: 200, body: expect.objectContaining({ ok: true }), error: null });
    const brand = await t.suite.kernel.brands.get('whmcs-shop');
    expect(await t.suite.kernel.subjects.findByExternal(brand.id, 'client', 41)).toBeDefined();
    expect(run.warnings).toEqual([]);
  });

  it('a wrong secret is refused with 401 and nothing is recorded', async () => {
    const run = await runWhmcs({ settings: { ...settings(), hook_secret: 'not-the-secret' }, steps: [postStep('ClientAdd', { vars: { client_id: 42, email: 'c42@example.org' } })] });
    expect(stepResult<{ status: number }>(run, 0).status).toBe(401);
    const brand = await t.suite.kernel.brands.get('whmcs-shop');
    expect(await t.suite.kernel.subjects.findByExternal(brand.id, 'client', 42)).toBeUndefined();
  });

  it('sends the Idempotency-Key: the same event again is a replay, another body under the same key a 409', async () => {
    const step = postStep('ClientAdd', { vars: { client_id: 43, email: 'c43@example.org' } }, 'ClientAdd:43');
    const other = postStep('ClientAdd', { vars: { client_id: 44, email: 'c44@example.org' } }, 'ClientAdd:43');
    const run = await runWhmcs({ settings: settings(), steps: [step, step, other] });
    expect(stepResult(run, 0)).toMatchObject({ status: 200 });
    expect(stepResult(run, 1)).toEqual(stepResult(run, 0));
    expect(stepResult<{ status: number }>(run, 2).status).toBe(409);
  });

  it('sends its User-Agent, the brand from the settings, an empty vars as an object, unicode and slashes unescaped', async () => {
    let request = '';
    const server = net.createServer((sock) => sock.on('data', (b) => {
      request += b.toString('utf8');
      if (request.includes('\r\n\r\n') && request.endsWith('}')) sock.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\nconnection: close\r\n\r\n{"ok":true}');
    }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const run = await runWhmcs({ settings: { suite_url: `http://127.0.0.1:${port}`, brand: 'whmcs-shop', hook_secret: 's' }, steps: [postStep('DailyCronJob', { vars: [], context: { userAgent: 'Zoë/1.0' } })] });
      expect(stepResult(run, 0)).toEqual({ status: 200, body: { ok: true }, error: null });
    } finally {
      server.close();
    }
    expect(request).toMatch(/\r\nuser-agent: privacysuite-whmcs\/\d+\.\d+\.\d+\r\n/i);
    expect(request).toMatch(/\r\nx-suite-signature: v1=[0-9a-f]{64}\r\n/i);
    expect(request.slice(request.indexOf('\r\n\r\n') + 4)).toBe('{"brand":"whmcs-shop","vars":{},"context":{"userAgent":"Zoë/1.0"}}');
  });

  it('a suite that does not answer in time is status 0 with the error, within the configured timeout', async () => {
    const server = net.createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const started = Date.now();
    try {
      const run = await runWhmcs({ settings: { suite_url: `http://127.0.0.1:${port}`, brand: 'b', hook_secret: 's', timeout_seconds: '1' }, steps: [postStep('ClientAdd', { vars: {} })] });
      const r = stepResult<{ status: number; body: unknown; error: string }>(run, 0);
      expect(r).toMatchObject({ status: 0, body: null });
      expect(r.error).toMatch(/^curl 28: /);
    } finally {
      server.close();
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a refused connection is status 0, not an exception', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const run = await runWhmcs({ settings: { suite_url: `http://127.0.0.1:${port}`, brand: 'b', hook_secret: 's' }, steps: [postStep('ClientAdd', { vars: {} })] });
    expect(stepResult(run, 0)).toMatchObject({ status: 0, body: null, error: expect.stringMatching(/^curl 7: /) });
  });
});
