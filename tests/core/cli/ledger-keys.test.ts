/** CLI keys rotate (every value readable, none left under the old key) and ledger verify (names the first broken link). */
import { createTestDb, type TestDb } from '../../helpers/test-db';
import { withTestSuite, createBrand, count, type TestSuite } from '../../helpers/test-suite';
import { recordDisclosure } from '../../../core/registers/disclosure-log';
import { Keyring } from '../../../core/crypto/keyring';
import { runCli, runJson } from '../../helpers/run-cli';

const CUSTOMERS = [
  { client_id: 1, firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.org', country: 'GB' },
  { client_id: 2, firstname: 'Grace', lastname: 'Hopper', email: 'grace@example.org', country: 'US' },
];

let db: TestDb;
let oldKeyId: string;
let subjectIds: number[] = [];

/** Opens an in-process suite on the test database for a step, and closes it. */
const withSuite = <T>(fn: (t: TestSuite) => Promise<T>): Promise<T> => withTestSuite(db, fn);

beforeAll(async () => {
  db = await createTestDb();
  await withSuite(async ({ suite }) => {
    await createBrand(suite, 'acme');
    const brand = await suite.kernel.brands.get('acme');
    const profile = await suite.kernel.brands.profile(brand);
    subjectIds = await suite.kernel.db.transaction(async (trx) => {
      const ids: number[] = [];
      for (const c of CUSTOMERS) ids.push((await suite.kernel.subjects.upsert(trx, { brandId: brand.id, kind: 'client', externalId: c.client_id, fields: c })).id);
      await recordDisclosure(trx, profile, { brandId: brand.id, subjectId: ids[0], recipient: 'registrar', purpose: 'domain-registration', categories: ['contact'], fields: ['email'] });
      return ids;
    });
    oldKeyId = await suite.kernel.keyring.activeKeyId();
  });
});
afterAll(() => db.drop());

describe('privacy-suite keys rotate', () => {
  it('re-encrypts every value under a new key; every subject field stays readable and none is left under the old key', async () => {
    const report = await runJson<{ newKeyId: string; reencrypted: number; tables: Record<string, number> }>(db, ['keys', 'rotate']);
    expect(report.newKeyId).not.toBe(oldKeyId);
    expect(report.tables.brands).toBe(1);
    await withSuite(async ({ suite }) => {
      expect(report.tables.subject_fields).toBe(await count(suite, 'subject_fields'));
      for (const [i, id] of subjectIds.entries()) {
        const fields = Object.fromEntries((await suite.kernel.subjects.fields(id)).map((f) => [f.name, f.value]));
        expect(fields).toMatchObject({ firstname: CUSTOMERS[i].firstname, lastname: CUSTOMERS[i].lastname, email: CUSTOMERS[i].email, country: CUSTOMERS[i].country });
      }
      for (const reg of suite.encryptedColumns()) {
        const rows = (await suite.kernel.db(reg.table).select(...reg.columns)) as Record<string, string | null>[];
        for (const row of rows) for (const v of Object.values(row)) if (typeof v === 'string') expect(Keyring.keyIdOf(v)).not.toBe(oldKeyId);
      }
      const audit = await suite.kernel.db('audit_log').where({ action: 'keys.rotate' }).first();
      expect(audit).toMatchObject({ actor: expect.stringMatching(/^cli:/), target_id: report.newKeyId });
    });
  });
});

describe('privacy-suite ledger verify', () => {
  it('passes on untouched chains (audit log and disclosure log)', async () => {
    const out = await runJson<{ ok: boolean; chains: { chain: string; ok: boolean; checked: number }[] }>(db, ['ledger', 'verify']);
    expect(out.ok).toBe(true);
    expect(out.chains.find((c) => c.chain === 'audit_log')!.checked).toBeGreaterThanOrEqual(2);
    expect(out.chains.find((c) => c.chain === 'disclosure_log')).toMatchObject({ ok: true, checked: 1 });
  });

  it('exits 1 and names the first broken link after a row of audit_log is changed in the database', async () => {
    const target = await withSuite(async ({ suite }) => {
      const row = (await suite.kernel.db('audit_log').where({ seq: 2 }).first()) as { id: number };
      await suite.kernel.db('audit_log').where({ seq: 2 }).update({ action: 'brand.tampered' });
      return Number(row.id);
    });
    const r = await runCli(db, ['ledger', 'verify', '--chain', 'audit_log']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`audit_log: BROKEN at seq 2 (row id ${target}): content was changed after it was written`);
  });
});
