/**
 * The addon's signed endpoint for what WHMCS's API does not reach (real PHP: the addon under `php -S` with the fake
 * WHMCS runtime over a SQLite file), called by the suite's client (modules/whmcs/addon-api.ts) with the brand's real
 * hook secret: the marketing opt-in history paged, the email log erased, opt-in IPs blanked — and nothing read or
 * touched without a good signature, a fresh timestamp and the right brand.
 */
import { signHook } from '../../core/http/signature';
import { WhmcsApiError } from '../../modules/whmcs/api-client';
import { addonTarget, callAddon, consentHistory, type AddonConsentRow, type AddonTarget } from '../../modules/whmcs/addon-api';
import { createBrand, PROVIDER_PROFILE, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { runWhmcs, stepResult } from '../helpers/whmcs-php';
import { freePort, startWhmcsServer, type WhmcsPhpServer } from '../helpers/whmcs-php-server';

const SLUG = 'wh-endpoint';
/** Clients of the seeded WHMCS: history read (7, 8), email log erased (20, 21), IPs blanked (30, 31). */
const READ = [7, 8];
const ERASE = [20, 21];
const BLANK = [30, 31];
/** A client whose email log and opt-in history are expired up to a date (`before`): rows in January and June. */
const DATED = 40;

let t: TestSuite;
let server: WhmcsPhpServer;
let secret: string;
let target: AddonTarget;

interface ConsentDbRow { id: number; userid: number; opt_in: number; admin: number; ip_address: string; created_at: string; updated_at: string | null }
interface EmailDbRow { id: number; userid: number; subject: string }

/** Rows of the WHMCS database, read by a PHP scenario over the server's SQLite file. */
async function whmcsRows<T>(sql: string): Promise<T[]> {
  return stepResult<T[]>(await runWhmcs({ db: server.db, steps: [{ sql }] }), 0);
}
const consentRows = (): Promise<ConsentDbRow[]> => whmcsRows<ConsentDbRow>('select * from tblmarketing_consent order by id');
const emailRows = (): Promise<EmailDbRow[]> => whmcsRows<EmailDbRow>('select id, userid, subject from tblemails order by id');

/** A consent row as the endpoint answers it, from the database row. */
const asAnswered = (r: ConsentDbRow): Omit<AddonConsentRow, 'date'> => ({ id: r.id, userid: r.userid, optin: Boolean(r.opt_in), admin: Boolean(r.admin), ip: r.ip_address });

/** A raw request to the endpoint, signed (or not) as given. */
async function rawCall(body: Record<string, unknown>, opts: { secret?: string; timestamp?: number; signature?: string | null; method?: string } = {}): Promise<{ status: number; body: unknown }> {
  const raw = JSON.stringify(body);
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-suite-timestamp': String(ts) };
  if (opts.signature !== null) headers['x-suite-signature'] = opts.signature ?? signHook(opts.secret ?? secret, ts, raw);
  const res = await fetch(`${server.url}/modules/addons/privacysuite/endpoint.php`, { method: opts.method ?? 'POST', headers, body: opts.method === 'GET' ? undefined : raw });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  t = await startTestSuite({ http: false });
  server = await startWhmcsServer();
  secret = await createBrand(t.suite, SLUG, { profile: { ...PROVIDER_PROFILE, modules: { whmcs: { apiUrl: server.url, timeoutSeconds: 10 } } } });
  target = await addonTarget(t.suite.kernel, await t.suite.kernel.brands.get(SLUG));
  // Histories interleaved by id (as WHMCS writes them over time): client 7 gets 13 rows, client 8 gets 12.
  const consent = Array.from({ length: 25 }, (_, i) => ({
    userid: READ[i % 2], opt_in: i % 3 === 0 ? 0 : 1, admin: i % 4 === 0 ? 1 : 0, ip_address: `198.51.100.${i + 1}`,
    created_at: `2026-03-${String(1 + i).padStart(2, '0')} 10:${String(i).padStart(2, '0')}:00`,
  }));
  consent.push(
    { userid: BLANK[0], opt_in: 1, admin: 0, ip_address: '203.0.113.5', created_at: '2026-04-01 09:00:00' },
    { userid: BLANK[1], opt_in: 1, admin: 0, ip_address: '203.0.113.6', created_at: '2026-04-02 09:00:00' },
    { userid: BLANK[0], opt_in: 0, admin: 1, ip_address: '', created_at: '2026-04-03 09:00:00' },
    { userid: BLANK[0], opt_in: 0, admin: 0, ip_address: '2001:db8::7', created_at: '2026-04-04 09:00:00' },
  );
  consent.push(
    { userid: DATED, opt_in: 1, admin: 0, ip_address: '192.0.2.1', created_at: '2026-01-10 09:00:00' },
    { userid: DATED, opt_in: 0, admin: 0, ip_address: '192.0.2.2', created_at: '2026-06-10 09:00:00' },
  );
  const emails = [ERASE[0], ERASE[1], ERASE[0], ERASE[0], ERASE[1]].map((userid, i) => ({ userid, subject: `Invoice ${i}`, message: `Dear customer ${i}`, date: '2026-05-01 08:00:00', to: `c${userid}@example.test` }));
  emails.push(
    { userid: DATED, subject: 'Welcome', message: 'Dear customer', date: '2026-01-10 09:00:00', to: 'c40@example.test' },
    { userid: DATED, subject: 'Renewal', message: 'Dear customer', date: '2026-06-10 09:00:00', to: 'c40@example.test' },
  );
  const seeded = await runWhmcs({ db: server.db, settings: { suite_url: 'http://suite.test', brand: SLUG, hook_secret: secret }, tables: { tblmarketing_consent: consent, tblemails: emails } });
  expect(seeded.warnings).toEqual([]);
});
afterAll(async () => {
  await server?.stop();
  await t?.close();
});

it("addonTarget: the brand's WHMCS URL and current hook secret; a brand without modules.whmcs.apiUrl is refused, naming it", async () => {
  expect(target).toEqual({ whmcsUrl: server.url, brandSlug: SLUG, secret, timeoutMs: 10000 });
  await createBrand(t.suite, 'wh-endpoint-bare');
  await expect(addonTarget(t.suite.kernel, await t.suite.kernel.brands.get('wh-endpoint-bare'))).rejects.toThrow(/modules\.whmcs\.apiUrl/);
});

it("MS-8b: consent-history pages one client's opt-in history (3 pages), totals right, in id order, dates in ISO 8601", async () => {
  const own = (await consentRows()).filter((r) => r.userid === READ[0]);
  expect(own).toHaveLength(13);
  const pages = [];
  for (const start of [0, 5, 10]) pages.push(await callAddon(target, 'consent-history', { userid: READ[0], limitstart: start, limitnum: 5 }));
  expect(pages.map((p) => [p.totalresults, p.startnumber, p.numreturned])).toEqual([[13, 0, 5], [13, 5, 5], [13, 10, 3]]);
  const viaPages = pages.flatMap((p) => p.history as AddonConsentRow[]);
  const streamed: AddonConsentRow[] = [];
  for await (const row of consentHistory(target, READ[0], 5)) streamed.push(row);
  expect(streamed).toEqual(viaPages);
  expect(streamed.map(({ date: _date, ...rest }) => rest)).toEqual(own.map(asAnswered));
  streamed.forEach((row, i) => {
    expect(row.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(row.date.slice(0, 19)).toBe(own[i].created_at.replace(' ', 'T'));
  });
  expect(new Set(streamed.map((r) => r.optin))).toEqual(new Set([true, false]));
  expect(new Set(streamed.map((r) => r.admin))).toEqual(new Set([true, false]));
});

it("MS-8b: without userid, every client's history, paged and in id order (the import reads it so)", async () => {
  const all = await consentRows();
  const pageSize = Math.ceil(all.length / 3);
  const first = await callAddon(target, 'consent-history', { limitnum: pageSize });
  expect(first).toMatchObject({ totalresults: all.length, startnumber: 0, numreturned: pageSize });
  const streamed: AddonConsentRow[] = [];
  for await (const row of consentHistory(target, undefined, pageSize)) streamed.push(row);
  expect(streamed.map((r) => [r.id, r.userid])).toEqual(all.map((r) => [r.id, r.userid]));
  const other = await callAddon(target, 'consent-history', { userid: READ[1], limitnum: 1000 });
  expect(other.totalresults).toBe(12);
  expect((other.history as AddonConsentRow[]).every((r) => r.userid === READ[1])).toBe(true);
});

describe('nothing is read or touched without a good signature, a fresh timestamp and the brand', () => {
  const erase = { brand: SLUG, action: 'erase-email-log', params: { userid: ERASE[0] } };
  const now = (): number => Math.floor(Date.now() / 1000);
  const invalid = { result: 'error', message: 'Invalid signature' };

  it('bad or missing signature, stale or future timestamp, wrong brand: 401 and the tables unchanged', async () => {
    const before = [await emailRows(), await consentRows()];
    expect(before[0].filter((r) => r.userid === ERASE[0])).toHaveLength(3);
    expect(await rawCall(erase, { secret: 'not-the-hook-secret' })).toEqual({ status: 401, body: invalid });
    expect(await rawCall(erase, { signature: null })).toEqual({ status: 401, body: invalid });
    expect(await rawCall(erase, { signature: 'v1=' + '0'.repeat(64) })).toEqual({ status: 401, body: invalid });
    expect(await rawCall(erase, { timestamp: now() - 301 })).toEqual({ status: 401, body: invalid });
    expect(await rawCall(erase, { timestamp: now() + 301 })).toEqual({ status: 401, body: invalid });
    expect(await rawCall({ ...erase, brand: 'another-brand' })).toEqual({ status: 401, body: invalid });
    expect(await rawCall({ brand: SLUG, action: 'consent-history', params: {} }, { secret: 'not-the-hook-secret' })).toEqual({ status: 401, body: invalid });
    expect([await emailRows(), await consentRows()]).toEqual(before);
  });

  it('unknown action: 400; a GET: 405; the tables unchanged', async () => {
    const before = [await emailRows(), await consentRows()];
    expect(await rawCall({ brand: SLUG, action: 'delete-everything', params: { userid: ERASE[0] } })).toEqual({ status: 400, body: { result: 'error', message: 'Unknown action' } });
    expect((await rawCall(erase, { method: 'GET' })).status).toBe(405);
    expect([await emailRows(), await consentRows()]).toEqual(before);
  });

  it('the client: a refused signature is a WhmcsApiError, not refused (a setup problem), without the secret', async () => {
    const err = await callAddon({ ...target, secret: 'wrong-secret-value' }, 'erase-email-log', { userid: ERASE[0] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WhmcsApiError);
    expect(err).toMatchObject({ action: 'erase-email-log', refused: false });
    expect((err as Error).message).toMatch(/401/);
    expect((err as Error).message).not.toContain('wrong-secret-value');
  });
});

it("MS-8f: erase-email-log deletes exactly that client's rows of the email log; a second call erases 0", async () => {
  expect(await callAddon(target, 'erase-email-log', { userid: ERASE[0] })).toEqual({ result: 'success', erased: 3 });
  expect((await emailRows()).map((r) => r.userid)).toEqual([ERASE[1], ERASE[1], DATED, DATED]);
  expect(await callAddon(target, 'erase-email-log', { userid: ERASE[0] })).toEqual({ result: 'success', erased: 0 });
  expect(await emailRows()).toHaveLength(4);
});

it('MS-8f: anonymise-consent-history blanks the IPs of that client only; flags and times stay as the proof', async () => {
  const before = await consentRows();
  const own = before.filter((r) => r.userid === BLANK[0]);
  expect(await callAddon(target, 'anonymise-consent-history', { userid: BLANK[0] })).toEqual({ result: 'success', anonymised: own.filter((r) => r.ip_address).length });
  const after = await consentRows();
  expect(after).toEqual(before.map((r) => (r.userid === BLANK[0] ? { ...r, ip_address: '' } : r)));
  expect(after.find((r) => r.userid === BLANK[1])!.ip_address).toBe('203.0.113.6');
  expect(await callAddon(target, 'anonymise-consent-history', { userid: BLANK[0] })).toEqual({ result: 'success', anonymised: 0 });
});

it('MS-9: with `before`, erase-email-log and anonymise-consent-history touch only rows dated before it (an offset is honoured)', async () => {
  const dated = async () => [(await emailRows()).filter((r) => r.userid === DATED).map((r) => r.subject), (await consentRows()).filter((r) => r.userid === DATED).map((r) => r.ip_address)];
  // 2026-01-10 10:00 at +02:00 is 08:00 UTC: the January rows (09:00) are not before it.
  expect(await callAddon(target, 'erase-email-log', { userid: DATED, before: '2026-01-10T10:00:00+02:00' })).toEqual({ result: 'success', erased: 0 });
  expect(await callAddon(target, 'anonymise-consent-history', { userid: DATED, before: '2026-01-10T10:00:00+02:00' })).toEqual({ result: 'success', anonymised: 0 });
  expect(await dated()).toEqual([['Welcome', 'Renewal'], ['192.0.2.1', '192.0.2.2']]);
  expect(await callAddon(target, 'erase-email-log', { userid: DATED, before: '2026-03-01T00:00:00.000Z' })).toEqual({ result: 'success', erased: 1 });
  expect(await callAddon(target, 'anonymise-consent-history', { userid: DATED, before: '2026-03-01T00:00:00.000Z' })).toEqual({ result: 'success', anonymised: 1 });
  expect(await dated()).toEqual([['Renewal'], ['', '192.0.2.2']]);
});

it('a malformed `before` is a 400 naming the field; nothing changed', async () => {
  const before = [await emailRows(), await consentRows()];
  for (const action of ['erase-email-log', 'anonymise-consent-history']) {
    for (const bad of ['2026-03-01', 'yesterday', 1767225600000, '2026-13-45T00:00:00Z']) {
      const res = await rawCall({ brand: SLUG, action, params: { userid: DATED, before: bad } });
      expect([action, bad, res.status]).toEqual([action, bad, 400]);
      expect((res.body as { message: string }).message).toContain('before');
    }
  }
  expect([await emailRows(), await consentRows()]).toEqual(before);
});

it('bad parameters: refused (result error), naming the field; nothing changed', async () => {
  const before = [await emailRows(), await consentRows()];
  for (const [action, params, field] of [
    ['erase-email-log', {}, 'userid'], ['anonymise-consent-history', { userid: 'all' }, 'userid'],
    ['consent-history', { limitnum: 0 }, 'limitnum'], ['consent-history', { limitstart: -1 }, 'limitstart'],
  ] as const) {
    const err = await callAddon(target, action, params).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'WhmcsApiError', action, refused: true });
    expect((err as WhmcsApiError).whmcsMessage).toContain(field);
  }
  expect([await emailRows(), await consentRows()]).toEqual(before);
});

it('the addon not reachable (port closed): WhmcsApiError, not refused, no secret or parameter in the message', async () => {
  const closed = { ...target, whmcsUrl: `http://127.0.0.1:${await freePort()}` };
  const err = await callAddon(closed, 'erase-email-log', { userid: 424242 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WhmcsApiError);
  expect(err).toMatchObject({ action: 'erase-email-log', refused: false });
  expect((err as Error).message).toMatch(/unreachable/);
  expect((err as Error).message).not.toContain(secret);
  expect((err as Error).message).not.toContain('424242');
});

it('the endpoint is its own file, not a client-area page: the client area stays the Privacy page, even with the old query; no PHP warning', async () => {
  for (const query of ['', '&privacysuite_api=1']) {
    const res = await fetch(`${server.url}/index.php?m=privacysuite${query}`, { method: 'POST', body: '{}' });
    expect(res.headers.get('x-fake-whmcs')).toBe('clientarea');
    expect(await res.json()).toMatchObject({ templatefile: 'clientarea', requirelogin: true });
  }
  expect(server.errors()).toBe('');
});
