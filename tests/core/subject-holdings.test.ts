/**
 * MS-9: holdings — data of a category about a subject held elsewhere (WHMCS). recordHoldings keeps the earliest since
 * of an open holding and writes nothing on a repeat; clearHoldings honours `until`; erasure takes the holdings.
 */
import { SuiteError } from '../../core/errors';
import type { SubjectHoldingRow } from '../../core/subjects/subject-service';
import { suiteWithBrand, type TestSuite } from '../helpers/test-suite';

let t: TestSuite;
let brandId: number;

beforeAll(async () => {
  ({ t, brandId } = await suiteWithBrand());
});
afterAll(() => t.close());

const client = async (externalId: number): Promise<number> =>
  (await t.suite.kernel.subjects.upsert(t.suite.kernel.db, { brandId, kind: 'client', externalId, fields: { firstname: 'Ada' } })).id;
const holdings = async (id: number): Promise<Record<string, number>> => {
  const rows = (await t.suite.kernel.db('subject_holdings').where({ subject_id: id }).select('holder', 'category', 'since')) as { holder: string; category: string; since: number | string }[];
  return Object.fromEntries(rows.map((r) => [`${r.holder}:${r.category}`, Number(r.since)]));
};

describe('SubjectService.recordHoldings / clearHoldings', () => {
  it('MS-9: recordHoldings keeps the earliest since; a later or repeated report changes nothing', async () => {
    const s = t.suite.kernel.subjects;
    const db = t.suite.kernel.db;
    const id = await client(1);
    await s.recordHoldings(db, [{ subjectId: id, holder: 'whmcs', category: 'correspondence', since: 2_000 }]);
    await s.recordHoldings(db, [{ subjectId: id, holder: 'whmcs', category: 'correspondence', since: 3_000 }]);
    expect(await holdings(id)).toEqual({ 'whmcs:correspondence': 2_000 });
    await s.recordHoldings(db, [{ subjectId: id, holder: 'whmcs', category: 'correspondence', since: 1_000 }, { subjectId: id, holder: 'whmcs', category: 'usage', since: 7 }]);
    expect(await holdings(id)).toEqual({ 'whmcs:correspondence': 1_000, 'whmcs:usage': 7 });
  });

  it('MS-9: a batch larger than one statement with repeats of one key keeps each earliest', async () => {
    const s = t.suite.kernel.subjects;
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) ids.push(await client(100 + i));
    await s.recordHoldings(t.suite.kernel.db, [{ subjectId: ids[0], holder: 'whmcs', category: 'usage', since: 5 }]); // earlier than the batch: stays
    const rows: SubjectHoldingRow[] = [];
    for (let n = 0; n < 1_100; n++) rows.push({ subjectId: ids[n % ids.length], holder: 'whmcs', category: 'usage', since: 2_000_000 - n });
    await t.suite.kernel.db.transaction((trx) => s.recordHoldings(trx, rows));
    expect((await holdings(ids[0]))['whmcs:usage']).toBe(5);
    for (let i = 1; i < ids.length; i++) {
      expect((await holdings(ids[i]))['whmcs:usage']).toBe(Math.min(...rows.filter((r) => r.subjectId === ids[i]).map((r) => r.since)));
    }
  });

  it('MS-9: a bad row is refused naming its field, and nothing of the batch is written', async () => {
    const s = t.suite.kernel.subjects;
    const id = await client(200);
    const bad = [{ subjectId: id, holder: 'whmcs', category: 'usage', since: 5 }, { subjectId: id, holder: 'whmcs', category: 'health', since: 6 }] as unknown as SubjectHoldingRow[];
    const err = await s.recordHoldings(t.suite.kernel.db, bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SuiteError);
    expect((err as SuiteError).fields?.map((f) => f.field)).toEqual(['rows.1.category']);
    expect(await holdings(id)).toEqual({});
  });

  it('MS-9: clearHoldings with until keeps a holding opened after it; without until it clears; other holders and categories stay', async () => {
    const s = t.suite.kernel.subjects;
    const db = t.suite.kernel.db;
    const a = await client(300);
    const b = await client(301);
    await s.recordHoldings(db, [
      { subjectId: a, holder: 'whmcs', category: 'correspondence', since: 1_000 },
      { subjectId: b, holder: 'whmcs', category: 'correspondence', since: 5_000 },
      { subjectId: a, holder: 'whmcs', category: 'usage', since: 1_000 },
      { subjectId: a, holder: 'other', category: 'correspondence', since: 1_000 },
    ]);
    expect(await s.clearHoldings(db, [a, b], 'whmcs', 'correspondence', 2_000)).toBe(1);
    expect(await holdings(a)).toEqual({ 'whmcs:usage': 1_000, 'other:correspondence': 1_000 });
    expect(await holdings(b)).toEqual({ 'whmcs:correspondence': 5_000 });
    expect(await s.clearHoldings(db, [b], 'whmcs', 'correspondence')).toBe(1);
    expect(await holdings(b)).toEqual({});
    expect(await s.clearHoldings(db, [], 'whmcs', 'correspondence')).toBe(0);
  });

  it('MS-9: erasing a subject deletes its holdings, and a later report about it is dropped', async () => {
    const s = t.suite.kernel.subjects;
    const db = t.suite.kernel.db;
    const id = await client(400);
    const other = await client(401);
    await s.recordHoldings(db, [{ subjectId: id, holder: 'whmcs', category: 'correspondence', since: 1 }, { subjectId: other, holder: 'whmcs', category: 'correspondence', since: 1 }]);
    await db.transaction((trx) => s.erase(trx, id));
    expect(await holdings(id)).toEqual({});
    await s.recordHoldings(db, [{ subjectId: id, holder: 'whmcs', category: 'usage', since: 2 }]);
    expect(await holdings(id)).toEqual({});
    expect(await holdings(other)).toEqual({ 'whmcs:correspondence': 1 });
  });
});
