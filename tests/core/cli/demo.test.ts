/** CLI demo: creates the demo brands through scripts/demo and keeps their hook secrets out of the human output. */
import { createTestDb, type TestDb } from '../../helpers/test-db';
import { runCli } from '../../helpers/run-cli';

let db: TestDb;

beforeAll(async () => { db = await createTestDb(); });
afterAll(() => db.drop());

describe('privacy-suite demo', () => {
  it('creates the five demo brands and the reseller, printing no hook secret without --show-secrets', async () => {
    const r = await runCli(db, ['demo', '--customers', '1']);
    expect(r.code).toBe(0);
    for (const slug of ['masterserver', 'websoftmaster', 'websoftmaster-reseller', 'server-pro', 'tos-provider', 'email-server-management']) {
      expect(r.stdout).toMatch(new RegExp(`^${slug}\\s+true`, 'm'));
    }
    expect(r.stdout + r.stderr).not.toContain('whsec_');
  });
});
