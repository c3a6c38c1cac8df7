/** CLI help lists every command of the DESIGN contract; commands of modules not installed yet exit 2 with a clear message. */
import { createTestDb, type TestDb } from '../../helpers/test-db';
import { INSTALLED_MODULES } from '../../../modules/installed';
import { runCli } from '../../helpers/run-cli';

let db: TestDb;

beforeAll(async () => { db = await createTestDb(); });
afterAll(() => db.drop());

describe('privacy-suite --help', () => {
  it('lists serve, migrate, demo, brand, apikey, keys, ledger, retention and escrow', async () => {
    const r = await runCli(db, ['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['serve', 'migrate', 'demo', 'brand', 'apikey', 'keys', 'ledger', 'retention', 'escrow']) expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
  });

  it('escrow deposit exits 2 and says the module is not installed yet (retention, installed now, runs: see the retention tests)', async () => {
    expect(INSTALLED_MODULES.some((m) => m.name === 'escrow')).toBe(false);
    expect(INSTALLED_MODULES.some((m) => m.name === 'retention')).toBe(true);
    const r = await runCli(db, ['escrow', 'deposit']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not available yet: the escrow module is not installed');
  });
});
