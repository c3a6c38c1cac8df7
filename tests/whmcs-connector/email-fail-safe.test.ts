/**
 * EmailPreSend while the suite is unreachable (MS-7.2): the connector cannot ask whether a person consented, so with
 * `fail_mode_email` closed (the default) only a template the suite classes transactional goes out (the list comes with
 * the suite's documents answer, cached in WHMCS); a marketing or unknown template is held back. Open sends everything;
 * a connector that never reached the suite knows no classes and sends (logged). Real PHP, the real hook file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setClass } from '../../modules/consent/messages/template-class';
import { createBrand, PROVIDER_PROFILE, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recording-proxy';
import { HOOK_FILE, INSTALL_ADDON, runWhmcs, stepResult, type WhmcsStep } from '../helpers/whmcs-php';

const NS = '\\WHMCS\\Module\\Addon\\Privacysuite';

let t: TestSuite;
let secret: string;
let proxy: RecordingProxy;
let dir: string;

beforeAll(async () => {
  t = await startTestSuite();
  secret = await createBrand(t.suite, 'mailshop', { profile: { ...PROVIDER_PROFILE, consent: { model: 'opt-in', channels: ['email'] } } });
  const brandId = (await t.suite.kernel.brands.get('mailshop')).id;
  await t.suite.kernel.db.transaction(async (trx) => {
    await setClass(trx, brandId, 'Spring Offers', 'marketing');
    await setClass(trx, brandId, 'Maintenance Window', 'transactional');
  });
  proxy = await startRecordingProxy(t.baseUrl);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whmcs-mail-'));
});
afterAll(async () => {
  await proxy.close();
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const email = (messagename: string): WhmcsStep => ({ hook: 'EmailPreSend', vars: { messagename, relid: 7, mergefields: { client_first_name: 'Ada' } } });
const warmCache: WhmcsStep = { php: `return ${NS}\\Documents::transactional(${NS}\\Settings::load());` };

function run(db: string, steps: WhmcsStep[], extra: Record<string, string> = {}) {
  return runWhmcs({
    db: path.join(dir, db), settings: { suite_url: proxy.url, brand: 'mailshop', hook_secret: secret, connect_timeout_seconds: '1', timeout_seconds: '1', ...extra },
    include: [HOOK_FILE], steps: [INSTALL_ADDON, ...steps],
  });
}

describe('EmailPreSend while the suite is down', () => {
  afterEach(() => { proxy.down = false; });

  it('MS-7.2: the documents answer names the transactional templates: the brand\'s own and WHMCS\'s standard ones, never a marketing one', async () => {
    proxy.down = false;
    const r = await run('answer.sqlite', [warmCache]);
    const names = stepResult<string[]>(r, 1);
    expect(names).toEqual(expect.arrayContaining(['Maintenance Window', 'Invoice Created', 'Password Reset Validation']));
    expect(names).not.toContain('Spring Offers');
  });

  it('MS-7.2: closed (the default): a transactional template goes out, a marketing or unknown one is held back (abortsend)', async () => {
    await run('closed.sqlite', [warmCache]);
    proxy.down = true;
    const r = await run('closed.sqlite', [email('Invoice Created'), email('Maintenance Window'), email('Spring Offers'), email('Black Friday Deals')]);
    expect(r.warnings).toEqual([]);
    expect(stepResult(r, 1)).toEqual([[]]);
    expect(stepResult(r, 2)).toEqual([[]]);
    expect(stepResult(r, 3)).toEqual([{ abortsend: true }]);
    expect(stepResult(r, 4)).toEqual([{ abortsend: true }]);
    const logged = JSON.stringify(r.moduleLog);
    expect(logged).toContain('EmailPreSend held back');
    expect(logged).not.toContain(secret);
  });

  it('open: every template goes out while the suite is down', async () => {
    await run('open.sqlite', [warmCache]);
    proxy.down = true;
    const r = await run('open.sqlite', [email('Spring Offers'), email('Black Friday Deals')], { fail_mode_email: 'open' });
    expect(stepResult(r, 1)).toEqual([[]]);
    expect(stepResult(r, 2)).toEqual([[]]);
  });

  it('MS-7.2: WHMCS\'s cron fills the template classes, so a shop with no page view since install still holds marketing back', async () => {
    await run('cron.sqlite', [{ hook: 'AfterCronJob', vars: {} }]);
    proxy.down = true;
    const r = await run('cron.sqlite', [email('Spring Offers'), email('Invoice Created')]);
    expect(stepResult(r, 1)).toEqual([{ abortsend: true }]);
    expect(stepResult(r, 2)).toEqual([[]]);
  });

  it('a connector that never reached the suite knows no template classes: the message goes out and the gap is logged', async () => {
    proxy.down = true;
    const r = await run('never.sqlite', [email('Spring Offers')]);
    expect(stepResult(r, 1)).toEqual([[]]);
    expect(JSON.stringify(r.moduleLog)).toContain('no template classes cached yet');
  });
});
