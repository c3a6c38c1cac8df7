/**
 * MS-9: the subject event store retention counts from on a panel it cannot read (WHMCS). It keeps the latest time per
 * subject and event, one report or a batch; an older or repeated report changes nothing; erasure takes the events.
 */
import { SuiteError } from '../../core/errors';
import type { SubjectEventRow } from '../../core/subjects/subject-service';
import { suiteWithBrand, type TestSuite } from '../helpers/test-suite';

let t: TestSuite;
let brandId: number;

beforeAll(async () => {
  ({ t, brandId } = await suiteWithBrand());
});
afterAll(() => t.close());

const client = async (externalId: number): Promise<number> =>
  (await t.suite.kernel.subjects.upsert(t.suite.kernel.db, { brandId, kind: 'client', externalId, fields: { firstname: 'Ada' } })).id;

describe('SubjectService.recordEvent / recordEvents', () => {
  it('MS-9: recordEvent keeps the latest time; an older report never moves it back; the same call twice changes nothing', async () => {
    const s = t.suite.kernel.subjects;
    const id = await client(1);
    await s.recordEvent(t.suite.kernel.db, id, 'invoice-paid', 2_000);
    expect(await s.events(id)).toEqual({ 'invoice-paid': 2_000 });
    await s.recordEvent(t.suite.kernel.db, id, 'invoice-paid', 1_000);
    expect(await s.events(id)).toEqual({ 'invoice-paid': 2_000 });
    await s.recordEvent(t.suite.kernel.db, id, 'invoice-paid', 3_000);
    await s.recordEvent(t.suite.kernel.db, id, 'invoice-paid', 3_000);
    await s.recordEvent(t.suite.kernel.db, id, 'last-login', 500);
    expect(await s.events(id)).toEqual({ 'invoice-paid': 3_000, 'last-login': 500 });
    expect(await t.suite.kernel.db('subject_events').where({ subject_id: id })).toHaveLength(2);
  });

  it('MS-9: recordEvents takes a batch larger than one statement, with repeats of one key inside it, and keeps each latest', async () => {
    const s = t.suite.kernel.subjects;
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push(await client(100 + i));
    await s.recordEvent(t.suite.kernel.db, ids[0], 'order-placed', 9_000_000); // newer than the batch: stays
    const rows: SubjectEventRow[] = [];
    for (let n = 0; n < 1_200; n++) rows.push({ subjectId: ids[n % ids.length], event: 'order-placed', at: 1_000_000 + n });
    await t.suite.kernel.db.transaction((trx) => s.recordEvents(trx, rows));
    expect((await s.events(ids[0]))['order-placed']).toBe(9_000_000);
    for (let i = 1; i < ids.length; i++) {
      const latest = Math.max(...rows.filter((r) => r.subjectId === ids[i]).map((r) => r.at));
      expect((await s.events(ids[i]))['order-placed']).toBe(latest);
    }
    await s.recordEvents(t.suite.kernel.db, []);
  });

  it('MS-9: a bad report is refused naming its field, and nothing of the batch is written', async () => {
    const s = t.suite.kernel.subjects;
    const id = await client(200);
    const bad = [{ subjectId: id, event: 'invoice-paid' as const, at: 5 }, { subjectId: id, event: 'logged-out', at: 6 }] as unknown as Parameters<typeof s.recordEvents>[1];
    const err = await s.recordEvents(t.suite.kernel.db, bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SuiteError);
    expect((err as SuiteError).code).toBe('SUITE_VALIDATION_FAILED');
    expect((err as SuiteError).fields?.map((f) => f.field)).toEqual(['rows.1.event']);
    const late = await s.recordEvent(t.suite.kernel.db, id, 'last-login', Number.NaN).catch((e: unknown) => e);
    expect((late as SuiteError).fields?.map((f) => f.field)).toEqual(['rows.0.at']);
    expect(await s.events(id)).toEqual({});
  });

  it('MS-8f / MS-9: erasure takes the subject\'s events; later reports about the erased subject are dropped', async () => {
    const s = t.suite.kernel.subjects;
    const [gone, kept] = [await client(300), await client(301)];
    await s.recordEvents(t.suite.kernel.db, [{ subjectId: gone, event: 'invoice-paid', at: 10 }, { subjectId: kept, event: 'invoice-paid', at: 10 }]);
    await s.eraseMany(t.suite.kernel.db, [gone]);
    expect(await s.events(gone)).toEqual({});
    await s.recordEvents(t.suite.kernel.db, [{ subjectId: gone, event: 'last-login', at: 20 }, { subjectId: kept, event: 'last-login', at: 20 }]);
    expect(await s.events(gone)).toEqual({});
    expect(await s.events(kept)).toEqual({ 'invoice-paid': 10, 'last-login': 20 });
  });
});
