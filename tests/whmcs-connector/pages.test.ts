/** The WHMCS connector's pages, run with real PHP against a running suite: the client area's SSO link, the addon's admin page, the client summary, the menu entry. */
import { startTestSuite, type TestSuite } from '../helpers/test-suite';
import { runWhmcs, stepResult, type WhmcsRun, type WhmcsScenario, type WhmcsStep } from '../helpers/whmcs-php';
import { clientAdd, consentBrand, type TestBrand } from '../modules/consent/marketing-fixtures';

const PAGES = 'includes/hooks/privacy_suite_pages.php';
const NS = '\\WHMCS\\Module\\Addon\\Privacysuite\\';
const CLIENT = 7;

/** A stand-in for WHMCS's menu item (\\WHMCS\\View\\Menu\\Item): children by name; then every navbar callback runs on it. */
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

beforeAll(async () => {
  t = await startTestSuite();
  shop = await consentBrand(t.suite, 'wh-pages', { model: 'opt-in', channels: ['email'] });
  expect((await clientAdd(t.baseUrl, shop, CLIENT, { marketing_emails_opt_in: true })).status).toBe(200);
});
afterAll(() => t.close());

const settings = (over: Record<string, string> = {}) => ({ suite_url: t.baseUrl, brand: shop.slug, hook_secret: shop.secret, ...over });

/** Runs a scenario with the addon and the page hooks included, as WHMCS loads them. */
function run(s: Partial<WhmcsScenario>): Promise<WhmcsRun> {
  return runWhmcs({ settings: settings(), include: [PAGES], ...s });
}

/** Follows a link into the privacy center without following the redirect. */
async function enter(url: string): Promise<{ status: number; cookie?: string; location: string | null }> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, cookie: res.headers.getSetCookie().find((c) => c.startsWith('suite_privacy=')), location: res.headers.get('location') };
}

describe('WHMCS connector pages', () => {
  it('including the page hooks prints nothing, queries nothing and registers the menu hook', async () => {
    const r = await run({});
    expect(r.output).toBe('');
    expect(r.includeQueries).toEqual([]);
    expect(r.warnings).toEqual([]);
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
