/** HashChain.verify split over worker threads gives the same verdict as one walk: ok, first broken link, missing rows, removed tail. */
import { startTestSuite, createBrand, type TestSuite } from '../helpers/test-suite';
import { consentChain, recordConsent } from '../../modules/consent/ledger/consent-ledger';

let t: TestSuite;
const ROWS = 37;

beforeAll(async () => {
  t = await startTestSuite({ http: false });
  await createBrand(t.suite, 'acme');
  const brand = await t.suite.kernel.brands.get('acme');
  const profile = await t.suite.kernel.brands.profile(brand);
  for (let i = 1; i <= ROWS; i++) {
    await t.suite.kernel.db.transaction((trx) => recordConsent(t.suite.kernel, trx, profile, {
      brandId: brand.id, subjectId: i, purpose: i % 3 ? 'marketing:email' : 'terms', action: i % 2 ? 'given' : 'withdrawn', method: 'checkbox', channel: 'web',
      collectionPoint: 'registration', ip: `203.0.113.${i}`, userAgent: i % 4 ? `Agent ${i} "quoted" ü` : undefined,
    }));
  }
});
afterAll(() => t.close());

/** The verdicts of a single in-process walk and of three workers (seqs 1-12, 13-24, 25-; small batches, so each reads several). */
async function verdicts(workers = [3]) {
  const db = t.suite.kernel.db;
  const single = await consentChain.verify(db, { workers: 0, batchSize: 4 });
  const split = await Promise.all(workers.map((w) => consentChain.verify(db, { workers: w, parallelMin: 0, batchSize: 4, fallback: false })));
  return { single, split };
}

async function expectSame(expected: Record<string, unknown>, workers?: number[]): Promise<void> {
  const { single, split } = await verdicts(workers);
  expect(single).toMatchObject(expected);
  for (const v of split) expect(v).toEqual(single);
}

const db = () => t.suite.kernel.db;
const rowAt = async (seq: number) => (await db()('consent_ledger').where({ seq }).first()) as Record<string, unknown> & { id: number };

describe('HashChain.verify in worker threads', () => {
  it('an intact chain verifies with every row checked', async () => {
    await expectSame({ ok: true, checked: ROWS }, [2, 3, 5]);
  });

  it.each([1, 12, 13, 25, ROWS])('a changed row at seq %i is named, and only the first of two', async (seq) => {
    const row = await rowAt(seq);
    const later = await rowAt(Math.min(ROWS, seq + 9));
    await db()('consent_ledger').where({ seq }).update({ channel: 'forged' });
    if (later.seq !== seq) await db()('consent_ledger').where({ seq: later.seq }).update({ action: 'given', purpose: 'privacy' });
    await expectSame({ ok: false, checked: seq - 1, brokenAt: { seq, id: Number(row.id), reason: 'content was changed after it was written' } });
    await db()('consent_ledger').where({ seq }).update({ channel: row.channel });
    if (later.seq !== seq) await db()('consent_ledger').where({ seq: later.seq }).update({ action: later.action, purpose: later.purpose });
    await expectSame({ ok: true, checked: ROWS });
  });

  it.each([1, 13])('a re-linked prev_hash at seq %i is named', async (seq) => {
    const row = await rowAt(seq);
    await db()('consent_ledger').where({ seq }).update({ prev_hash: 'f'.repeat(64) });
    await expectSame({ ok: false, checked: seq - 1, brokenAt: { seq, id: Number(row.id), reason: 'prev_hash does not match the previous row' } });
    await db()('consent_ledger').where({ seq }).update({ prev_hash: row.prev_hash });
  });

  it.each([[1, 1], [12, 2], [10, 10], [19, 7]])('missing rows from seq %i (%i of them) are named with the next row', async (from, n) => {
    const rows = await db()('consent_ledger').where('seq', '>=', from).andWhere('seq', '<', from + n).orderBy('seq');
    const next = await rowAt(from + n);
    await db()('consent_ledger').whereIn('id', rows.map((r: { id: number }) => r.id)).delete();
    await expectSame({ ok: false, checked: from - 1, brokenAt: { seq: from, id: Number(next.id), reason: `row seq ${from} is missing (next is ${from + n})` } });
    await db()('consent_ledger').insert(rows);
  });

  it('a removed tail is detected against chain_heads', async () => {
    const tail = await db()('consent_ledger').where('seq', '>', ROWS - 3).orderBy('seq');
    await db()('consent_ledger').where('seq', '>', ROWS - 3).delete();
    await expectSame({ ok: false, checked: ROWS - 3, brokenAt: { seq: ROWS, id: -1, reason: `rows after seq ${ROWS - 3} were removed (head says ${ROWS})` } });
    await db()('consent_ledger').insert(tail);
    await expectSame({ ok: true, checked: ROWS });
  });
});
