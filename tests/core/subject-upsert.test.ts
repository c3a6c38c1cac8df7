/** SubjectService.upsert: one row per (brand, kind, external id); `created` only for a new row; updates keep status and the email index unless a new email comes. */
import { suiteWithBrand, type TestSuite } from '../helpers/test-suite';

let t: TestSuite;
let brandId: number;

beforeAll(async () => {
  ({ t, brandId } = await suiteWithBrand());
  await t.suite.kernel.keyring.activeKeyId();
});
afterAll(() => t.close());

const row = async (id: number) => (await t.suite.kernel.db('subjects').where({ id }).first()) as { status: string; email_hash: string | null; updated_at: number | string; created_at: number | string };

describe('SubjectService.upsert', () => {
  it('creates once, then updates the same row (created: false), even twice within one millisecond', async () => {
    const s = t.suite.kernel.subjects;
    const first = await s.upsert(t.suite.kernel.db, { brandId, kind: 'client', externalId: 7, fields: { email: 'ada@example.org', firstname: 'Ada' } });
    expect(first.created).toBe(true);
    const before = await row(first.id);
    const [a, b] = await t.suite.kernel.db.transaction(async (trx) => [
      await s.upsert(trx, { brandId, kind: 'client', externalId: '7', fields: { firstname: 'Ada B' } }),
      await s.upsert(trx, { brandId, kind: 'client', externalId: 7, fields: { firstname: 'Ada C' } }),
    ]);
    expect(a).toEqual({ id: first.id, created: false });
    expect(b).toEqual({ id: first.id, created: false });
    const after = await row(first.id);
    expect(Number(after.updated_at)).toBeGreaterThan(Number(before.updated_at));
    expect(Number(after.created_at)).toBe(Number(before.created_at));
    expect(after.email_hash).toBe(before.email_hash); // no email in the update: the index stays
    expect((await s.fields(first.id)).find((f) => f.name === 'firstname')?.value).toBe('Ada C');
    expect(await t.suite.kernel.db('subjects').where({ brand_id: brandId, kind: 'client', external_id: '7' })).toHaveLength(1);
  });

  it('an update with a new email moves the blind index; a closed subject stays closed', async () => {
    const s = t.suite.kernel.subjects;
    const { id } = await s.upsert(t.suite.kernel.db, { brandId, kind: 'client', externalId: 8, fields: { email: 'old@example.org' } });
    await s.setStatus(t.suite.kernel.db, id, 'closed');
    expect(await s.upsert(t.suite.kernel.db, { brandId, kind: 'client', externalId: 8, fields: { email: 'new@example.org' } })).toEqual({ id, created: false });
    expect((await row(id)).status).toBe('closed');
    expect((await s.findByEmail([brandId], 'new@example.org')).map((x) => x.id)).toEqual([id]);
    expect(await s.findByEmail([brandId], 'old@example.org')).toEqual([]);
  });

  it('the same external id under another kind is another subject', async () => {
    const { id, created } = await t.suite.kernel.subjects.upsert(t.suite.kernel.db, { brandId, kind: 'contact', externalId: 7, fields: {} });
    expect(created).toBe(true);
    expect(id).not.toBe((await t.suite.kernel.subjects.findByExternal(brandId, 'client', 7))!.id);
  });
});
