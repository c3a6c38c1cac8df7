/**
 * `privacy-suite whmcs import --brand <slug>` through the real CLI: the result as JSON on stdout with progress lines
 * on stderr, a readable summary without --json, a resumed run after WHMCS went down, and clear errors naming the
 * brand or the missing settings with nothing written.
 */
import { changedTables, digestTables } from '../../helpers/db-digest';
import { runCli } from '../../helpers/run-cli';
import { createTestDb, type TestDb } from '../../helpers/test-db';
import { createBrand, PROVIDER_PROFILE, withTestSuite } from '../../helpers/test-suite';
import { WhmcsApiStandin } from '../../helpers/whmcs-api-standin';

jest.setTimeout(120_000);

const whmcs = new WhmcsApiStandin();
let db: TestDb;
const env = { SUITE_WHMCS_API_SECRET_CLI_SHOP: whmcs.secret };

beforeAll(async () => {
  await whmcs.start();
  for (let i = 0; i < 5; i++) {
    const c = whmcs.addClient({ marketingOptIn: i === 0 });
    whmcs.addContact(c.id);
    whmcs.addInvoice(c.id, { status: 'Paid' });
  }
  db = await createTestDb();
  await withTestSuite(db, async (t) => {
    await createBrand(t.suite, 'cli-shop', { profile: { ...PROVIDER_PROFILE, modules: { whmcs: { apiUrl: whmcs.url, identifier: whmcs.identifier } } } });
    await createBrand(t.suite, 'cli-bare');
  });
});
afterAll(async () => {
  await whmcs.stop();
  await db?.drop();
});

const digest = () => withTestSuite(db, (t) => digestTables(t.suite.kernel.db));

describe('whmcs import (CLI)', () => {
  it('a run stopped by WHMCS going down exits 1 naming the phase; the next run resumes; --json prints the result, progress goes to stderr', async () => {
    whmcs.down = true;
    const down = await runCli(db, ['whmcs', 'import', '--brand', 'cli-shop', '--page-size', '2'], env);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/error \[SUITE_WHMCS_IMPORT_FAILED\]: The WHMCS import of brand "cli-shop" stopped in phase clients: WHMCS GetClients failed: HTTP 503/);
    whmcs.down = false;

    const r = await runCli(db, ['whmcs', 'import', '--brand', 'cli-shop', '--page-size', '2', '--json'], env);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { ok: boolean; resumed: boolean; phases: Record<string, { seen: number; written: number; pages: number }>; pages: number; clientsPerSecond: number; notReached: string[] };
    expect(result).toMatchObject({ ok: true, resumed: true, pages: 9 });
    expect(result.phases.clients).toMatchObject({ seen: 5, written: 5, pages: 3 });
    expect(result.phases.contacts).toMatchObject({ seen: 5, written: 5 });
    expect(result.phases.invoices).toMatchObject({ seen: 5, written: 5 });
    expect(result.clientsPerSecond).toBeGreaterThan(0);
    // The addon is not installed in this stand-in: said, and the current opt-in imported instead.
    expect(result.notReached).toEqual([expect.stringMatching(/^marketing opt-in history: not reached/)]);
    expect(result.phases['optin-history']).toMatchObject({ written: 1 });
    expect(r.stderr.trim().split('\n')).toEqual(expect.arrayContaining(['whmcs import clients: 2/5', 'whmcs import clients: 5/5', 'whmcs import contacts: 5/5']));
  });

  it('a second run prints the summary for people and changes nothing', async () => {
    const before = await digest();
    const r = await runCli(db, ['whmcs', 'import', '--brand', 'cli-shop'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('WHMCS import of cli-shop: done');
    expect(r.stdout).toMatch(/clients +seen 5, written 0, unchanged 5, skipped 0 \(1 pages\)/);
    expect(r.stdout).toContain('whmcs import clients: 5/5');
    // Only the bookkeeping: the run's row and the brand's import lease (taken and given back).
    expect(changedTables(before, await digest()).filter((table) => table !== 'job_leases')).toEqual(['whmcs_import_runs']);
  });

  it('an unknown brand or a brand without the settings exits 1 naming them; nothing is written', async () => {
    const before = await digest();
    const calls = whmcs.calls.length;
    const unknown = await runCli(db, ['whmcs', 'import', '--brand', 'no-such-shop'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no brand "no-such-shop"');
    const bare = await runCli(db, ['whmcs', 'import', '--brand', 'cli-bare', '--json'], {});
    expect(bare.code).toBe(1);
    expect(JSON.parse(bare.stderr)).toMatchObject({ code: 'SUITE_WHMCS_NOT_CONFIGURED', error: expect.stringContaining('profile modules.whmcs.apiUrl, profile modules.whmcs.identifier, environment SUITE_WHMCS_API_SECRET_CLI_BARE') });
    expect(bare.stdout).toBe('');
    const badPage = await runCli(db, ['whmcs', 'import', '--brand', 'cli-shop', '--page-size', '0'], env);
    expect(badPage.code).toBe(1);
    expect(badPage.stderr).toContain('--page-size must be a whole number from 1 to 1000');
    expect(changedTables(before, await digest())).toEqual([]);
    expect(whmcs.calls.length).toBe(calls);
  });
});
