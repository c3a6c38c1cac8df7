/**
 * WSM-22: no data from children under the brand's minimum age; data found anyway goes through the erasure workflow:
 * a verified erase request (manual verification, reason 'minor' in its timeline), fulfilled at once.
 */
import { startTestSuite, count, type TestSuite } from '../../helpers/test-suite';
import { adminKey, rightsBrand, rightsCall, signUp } from './fixtures';

let t: TestSuite;
let key: string;
let brandId: number;

const yearsAgo = (years: number): string => { const d = new Date(); d.setUTCFullYear(d.getUTCFullYear() - years); return d.toISOString().slice(0, 10); };

beforeAll(async () => {
  t = await startTestSuite();
  await rightsBrand(t.suite, 'kids', { consent: { minimumAge: 13 } });
  await rightsBrand(t.suite, 'elsewhere');
  brandId = (await t.suite.kernel.brands.get('kids')).id;
  key = await adminKey(t.suite);
});
afterAll(async () => t?.close());

describe('minors (WSM-22)', () => {
  it('WSM-22: a subject whose stored date of birth is under the minimum age is flagged and erased through a verified erase request', async () => {
    const child = await signUp(t.suite, 'kids', 1);
    const adult = await signUp(t.suite, 'kids', 2);
    // The panel passed a date of birth on (a custom field mapped to the inventory).
    await t.suite.kernel.db.transaction(async (trx) => {
      await t.suite.kernel.subjects.upsert(trx, { brandId, kind: 'client', externalId: child.clientId, fields: { date_of_birth: yearsAgo(11) } });
      await t.suite.kernel.subjects.upsert(trx, { brandId, kind: 'client', externalId: adult.clientId, fields: { date_of_birth: yearsAgo(30) } });
    });
    const flagged = await rightsCall(t.baseUrl, key, 'kids', 'GET', '/minors');
    expect(flagged.body.minors).toEqual([{ subjectId: child.subjectId, kind: 'client' }]);

    const r = await rightsCall(t.baseUrl, key, 'kids', 'POST', '/minors/erase', { subjectId: child.subjectId });
    expect(r.status).toBe(200);
    expect(r.body.reason).toBe('minor');
    expect(r.body.request).toMatchObject({ type: 'erase', status: 'fulfilled', subjectId: child.subjectId, verification: { method: 'manual' } });
    expect(r.body.request.result).toMatchObject({ subjectId: child.subjectId, kind: 'client' });
    expect((await t.suite.kernel.subjects.get(child.subjectId)).status).toBe('erased');
    expect(await t.suite.kernel.subjects.fields(child.subjectId)).toEqual([]);
    expect((await t.suite.kernel.db('platform_clients').where({ id: child.clientId }).first()).personal_enc).toBeNull();

    const read = await rightsCall(t.baseUrl, key, 'kids', 'GET', `/requests/${r.body.request.id}`);
    const events = read.body.events as { event: string; details: Record<string, unknown> }[];
    expect(events.map((e) => e.event)).toEqual(['received', 'verified', 'minor', 'in-progress', 'fulfilled']);
    expect(events[2].details).toEqual({ reason: 'minor', evidence: 'date-of-birth', minimumAge: 13 });
    expect((await rightsCall(t.baseUrl, key, 'kids', 'GET', '/minors')).body.minors).toEqual([]);
    expect((await t.suite.kernel.subjects.get(adult.subjectId)).status).toBe('active');
  });

  it('WSM-22: a date of birth the admin found, or an admin\'s report, flags a minor with nothing stored', async () => {
    const a = await signUp(t.suite, 'kids', 3);
    const found = await rightsCall(t.baseUrl, key, 'kids', 'POST', '/minors/erase', { subjectId: a.subjectId, dateOfBirth: yearsAgo(12) });
    expect(found.body.request).toMatchObject({ status: 'fulfilled' });
    expect((await t.suite.kernel.subjects.get(a.subjectId)).status).toBe('erased');

    const b = await signUp(t.suite, 'kids', 4);
    const reported = await rightsCall(t.baseUrl, key, 'kids', 'POST', '/minors/erase', { subjectId: b.subjectId, evidence: 'report' });
    expect(reported.status).toBe(200);
    expect((await t.suite.kernel.subjects.get(b.subjectId)).status).toBe('erased');
  });

  it('WSM-22: someone not shown to be a minor, a subject of another brand or a bad date is refused and nothing is written', async () => {
    const a = await signUp(t.suite, 'kids', 5);
    const other = await signUp(t.suite, 'elsewhere', 6);
    const before = await count(t.suite, 'rights_requests');
    const adult = await rightsCall(t.baseUrl, key, 'kids', 'POST', '/minors/erase', { subjectId: a.subjectId, dateOfBirth: yearsAgo(13) });
    expect(adult.status).toBe(409);
    expect(adult.body.code).toBe('SUITE_RIGHTS_NOT_A_MINOR');
    const none = await rightsCall(t.baseUrl, key, 'kids', 'POST', '/minors/erase', { subjectId: a.subjectId });
    expect(none.body.code).toBe('SUITE_RIGHTS_NOT_A_MINOR');
    const foreign = await rightsCall(t.baseUrl, key, 'kids', 'POST', '/minors/erase', { subjectId: other.subjectId, evidence: 'report' });
    expect(foreign.status).toBe(400);
    expect(foreign.body.fields.map((f: { field: string }) => f.field)).toEqual(['subjectId']);
    const badDate = await rightsCall(t.baseUrl, key, 'kids', 'POST', '/minors/erase', { subjectId: a.subjectId, dateOfBirth: '2015-02-30' });
    expect(badDate.body.fields.map((f: { field: string }) => f.field)).toEqual(['dateOfBirth']);
    const badEvidence = await rightsCall(t.baseUrl, key, 'kids', 'POST', '/minors/erase', { subjectId: a.subjectId, evidence: 'rumour' });
    expect(badEvidence.body.fields.map((f: { field: string }) => f.field)).toEqual(['evidence']);
    expect(await count(t.suite, 'rights_requests')).toBe(before);
    expect((await t.suite.kernel.subjects.get(a.subjectId)).status).toBe('active');
    expect((await t.suite.kernel.subjects.get(other.subjectId)).status).toBe('active');
  });
});
