/** CLI help lists every command of the DESIGN contract; commands of modules not installed yet exit 2 with a clear message. */
import { createTestDb, type TestDb } from '../../helpers/test-db';
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

  it('escrow deposit takes --full, --brand and --json (the escrow module runs it: see tests/modules/escrow)', async () => {
    const r = await runCli(db, ['escrow', 'deposit', '--help']);
    expect(r.code).toBe(0);
    for (const option of ['--full', '--brand <slug>', '--json']) expect(r.stdout).toContain(option);
  });
});
