/**
 * SP-9: health data is out of scope. A custom field the profile maps to `health`, a free-text field the profile flags
 * (`inventory.healthFields`, e.g. WHMCS's `notes`), a custom field the panel labels as medical and a variable whose
 * name announces health data are refused over the hook API: 422 naming the field in `fields[]`, nothing written.
 */
import { changedTables, digestTables } from '../helpers/db-digest';
import { createBrand, postHook, PROVIDER_PROFILE, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { SuiteError } from '../../core/errors';

let t: TestSuite;
let clinic: string;
let plain: string;

const CLINIC_PROFILE = { ...PROVIDER_PROFILE, inventory: { customFields: { 7: 'health', 8: 'contact' }, healthFields: ['notes'] } };

beforeAll(async () => {
  t = await startTestSuite();
  clinic = await createBrand(t.suite, 'clinic-hosting', { profile: CLINIC_PROFILE });
  plain = await createBrand(t.suite, 'plain-hosting');
});
afterAll(() => t.close());

const clientAdd = (brand: string, id: number, vars: Record<string, unknown>) => ({
  brand, vars: { client_id: id, firstname: 'Ada', email: `ada${id}@example.org`, ...vars }, context: { ip: '203.0.113.9' },
});

/** Sends the call and checks the refusal: 422, the code, exactly the field named, and no table changed. */
async function expectRefused(secret: string, body: Record<string, unknown>, field: string, lang = 'en'): Promise<Record<string, unknown>> {
  const before = await digestTables(t.suite.kernel.db);
  const res = await postHook(t.baseUrl, 'ClientAdd', secret, body, { headers: { 'idempotency-key': `sp9-${field}-${Math.random()}`, 'accept-language': lang } });
  expect(res.status).toBe(422);
  expect(res.body.code).toBe('SUITE_HEALTH_DATA_REFUSED');
  expect(res.body.fields).toEqual([{ field, message: expect.any(String) }]);
  expect(String(res.body.error)).toContain(field);
  expect(changedTables(before, await digestTables(t.suite.kernel.db))).toEqual([]);
  return res.body;
}

describe('SP-9: health data is refused at the hook API', () => {
  it('SP-9: a custom field the profile maps to health is refused (object form), the field named, nothing written', async () => {
    await expectRefused(clinic, clientAdd('clinic-hosting', 1, { customFields: { 7: 'type 2 diabetes', 8: 'Ada' } }), 'vars.customFields.7');
  });

  it('SP-9: the same custom field in WHMCS array form ({id, value}) is refused too', async () => {
    await expectRefused(clinic, clientAdd('clinic-hosting', 2, { customFields: [{ id: 8, value: 'x' }, { id: 7, value: 'asthma' }] }), 'vars.customFields.7');
  });

  it('SP-9: a notes field the profile flags as health data is refused; the same note is stored as correspondence where no profile flags it', async () => {
    await expectRefused(clinic, clientAdd('clinic-hosting', 3, { notes: 'prefers calls after physiotherapy' }), 'vars.notes');
    const ok = await postHook(t.baseUrl, 'ClientAdd', plain, clientAdd('plain-hosting', 3, { notes: 'prefers calls after physiotherapy' }));
    expect(ok.status).toBe(200);
    const s = await t.suite.kernel.subjects.findByExternal((await t.suite.kernel.brands.get('plain-hosting')).id, 'client', 3);
    expect((await t.suite.kernel.subjects.fields(s!.id)).find((f) => f.name === 'notes')?.category).toBe('correspondence');
  });

  it('SP-9: a custom field the panel labels as medical is refused whatever the profile says', async () => {
    await expectRefused(plain, clientAdd('plain-hosting', 4, { customFields: [{ id: 12, name: 'Medical conditions', value: 'none declared' }] }), 'vars.customFields.12');
  });

  it('SP-9: a variable whose name announces health data is refused', async () => {
    await expectRefused(plain, clientAdd('plain-hosting', 5, { medical_history: 'x' }), 'vars.medical_history');
  });

  it('SP-9: empty flagged fields carry no health data and are accepted; the mapped custom field of another category is stored', async () => {
    const res = await postHook(t.baseUrl, 'ClientAdd', clinic, clientAdd('clinic-hosting', 6, { notes: '', customFields: { 7: '', 8: 'Lovelace' } }));
    expect(res.status).toBe(200);
    const s = await t.suite.kernel.subjects.findByExternal((await t.suite.kernel.brands.get('clinic-hosting')).id, 'client', 6);
    const fields = await t.suite.kernel.subjects.fields(s!.id);
    expect(fields.find((f) => f.name === 'custom_8')).toMatchObject({ category: 'contact', value: 'Lovelace' });
    expect(fields.map((f) => f.name)).not.toContain('custom_7');
  });

  it("SP-9: the field's message is in the caller's language", async () => {
    const body = await expectRefused(clinic, clientAdd('clinic-hosting', 7, { notes: 'x' }), 'vars.notes', 'de');
    expect((body.fields as { message: string }[])[0].message).toMatch(/Gesundheitsdaten/);
  });

  it('SP-9: in process (suite.hooks.run) the refusal is the same coded error with the field, and nothing is written', async () => {
    const before = await digestTables(t.suite.kernel.db);
    const err = await t.suite.hooks.run('ClientAdd', { client_id: 8, customFields: { 7: 'x' } }, { brand: 'clinic-hosting' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SuiteError);
    expect((err as SuiteError).code).toBe('SUITE_HEALTH_DATA_REFUSED');
    expect((err as SuiteError).fields?.map((f) => f.field)).toEqual(['vars.customFields.7']);
    expect(changedTables(before, await digestTables(t.suite.kernel.db))).toEqual([]);
  });

  it('SP-9: a profile may flag only variable names', async () => {
    const err = (await t.suite.kernel.brands.setProfile('plain-hosting', { inventory: { healthFields: ['notes; drop'] } }, { type: 'cli', id: 'test' }).catch((e: unknown) => e)) as SuiteError;
    expect(err).toBeInstanceOf(SuiteError);
    expect(err.fields?.map((f) => f.field).join(' ')).toContain('inventory.healthFields.0');
  });
});
