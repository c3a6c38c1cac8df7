/** Ledger proofs: a row edited in the database is detected and the first bad record named; erasing IP and user agent keeps the chain intact. */
import { createTestDb, type TestDb } from '../../helpers/test-db';
import { withTestSuite, createBrand, type TestSuite } from '../../helpers/test-suite';
import { consentChain, recordConsent } from '../../../modules/consent/ledger/consent-ledger';
import { runCli, runJson } from '../../helpers/run-cli';

let db: TestDb;

/** Opens an in-process suite on the test database for a step, and closes it. */
const withSuite = <T>(fn: (t: TestSuite) => Promise<T>): Promise<T> => withTestSuite(db, fn);

beforeAll(async () => {
  db = await createTestDb();
  await withSuite(async ({ suite }) => {
    await createBrand(suite, 'acme');
    const brand = await suite.kernel.brands.get('acme');
    const profile = await suite.kernel.brands.profile(brand);
    for (let i = 1; i <= 5; i++) {
      await suite.kernel.db.transaction((trx) => recordConsent(suite.kernel, trx, profile, {
        brandId: brand.id, subjectId: i, purpose: 'marketing:email', action: i % 2 ? 'given' : 'withdrawn', method: 'checkbox', channel: 'web',
        collectionPoint: 'registration', ip: `203.0.113.${i}`, userAgent: `Agent ${i}`,
      }));
    }
  });
});
afterAll(() => db.drop());

describe('consent ledger proofs', () => {
  it('an untouched ledger verifies, in process and with privacy-suite ledger verify --chain consent_ledger', async () => {
    expect(await withSuite(({ suite }) => consentChain.verify(suite.kernel.db))).toEqual({ chain: 'consent_ledger', ok: true, checked: 5 });
    const out = await runJson<{ ok: boolean; chains: { chain: string; ok: boolean; checked: number }[] }>(db, ['ledger', 'verify', '--chain', 'consent_ledger']);
    expect(out).toMatchObject({ ok: true, chains: [{ chain: 'consent_ledger', ok: true, checked: 5 }] });
  });

  it('erasing the encrypted IP and user agent (what erasure does) does not break the chain', async () => {
    await withSuite(async ({ suite }) => {
      await suite.kernel.db('consent_ledger').where({ subject_id: 2 }).update({ ip_enc: null, ua_enc: null });
      expect((await suite.kernel.db('consent_ledger').where({ subject_id: 2 }).first()).ip_enc).toBeNull();
      expect(await consentChain.verify(suite.kernel.db)).toMatchObject({ ok: true, checked: 5 });
    });
    expect((await runCli(db, ['ledger', 'verify', '--chain', 'consent_ledger'])).code).toBe(0);
  });

  it('a row edited in the database is detected, and the first bad record is named (in process and by the CLI)', async () => {
    const id = await withSuite(async ({ suite }) => {
      const row = (await suite.kernel.db('consent_ledger').where({ seq: 3 }).first()) as { id: number };
      await suite.kernel.db('consent_ledger').where({ seq: 3 }).update({ action: 'withdrawn' });
      await suite.kernel.db('consent_ledger').where({ seq: 4 }).update({ purpose: 'marketing:sms' });
      const verdict = await consentChain.verify(suite.kernel.db);
      expect(verdict).toMatchObject({ ok: false, checked: 2, brokenAt: { seq: 3, id: Number(row.id), reason: 'content was changed after it was written' } });
      return Number(row.id);
    });
    const r = await runCli(db, ['ledger', 'verify', '--chain', 'consent_ledger']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`consent_ledger: BROKEN at seq 3 (row id ${id}): content was changed after it was written`);
  });

  it('a deleted row is named too', async () => {
    await withSuite(async ({ suite }) => {
      await suite.kernel.db('consent_ledger').where({ seq: 3 }).update({ action: 'given' });
      await suite.kernel.db('consent_ledger').where({ seq: 4 }).update({ purpose: 'marketing:email' });
      expect(await consentChain.verify(suite.kernel.db)).toMatchObject({ ok: true });
      await suite.kernel.db('consent_ledger').where({ seq: 2 }).delete();
      expect(await consentChain.verify(suite.kernel.db)).toMatchObject({ ok: false, brokenAt: { seq: 2, reason: expect.stringMatching(/seq 2 is missing/) } });
    });
  });
});
