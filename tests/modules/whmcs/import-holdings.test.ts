/**
 * MS-9: the import of a brand that writes back records what WHMCS holds of each client the suite does not — its email
 * log and opt-in history (correspondence, usage) since the client's datecreated — in the page's transaction; a second
 * run writes nothing, and a brand that does not write back gets no holdings.
 */
import { importWhmcs } from '../../../modules/whmcs/import/run-import';
import { changedTables, digestTables } from '../../helpers/db-digest';
import { createBrand, PROVIDER_PROFILE, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { WhmcsApiStandin } from '../../helpers/whmcs-api-standin';

jest.setTimeout(60_000);

let t: TestSuite;
const w = new WhmcsApiStandin();
const db = () => t.suite.kernel.db;

beforeAll(async () => {
  t = await startTestSuite({ http: false });
  await w.start();
  w.addClient({ firstname: 'Ada', email: 'ada@example.org', datecreated: '2019-05-04' });
  w.addClient({ firstname: 'Grace', email: 'grace@example.org', datecreated: '2021-11-30', status: 'Closed' });
  w.addClient({ firstname: 'Alan', email: 'alan@example.org', datecreated: '2024-02-29' });
});
afterAll(async () => {
  await w.stop();
  await t?.close();
});

/** A brand importing from the stand-in, writing back or not; answers the import run. */
async function brandImport(slug: string, enabled: boolean) {
  const secret = await createBrand(t.suite, slug, { profile: { ...PROVIDER_PROFILE, modules: { whmcs: { enabled, apiUrl: w.url, identifier: w.identifier } } } });
  w.addonSecret = secret;
  const run = () => importWhmcs(t.suite.kernel, { brand: slug, pageSize: 2, env: { [`SUITE_WHMCS_API_SECRET_${slug.toUpperCase().replace(/-/g, '_')}`]: w.secret } });
  return { brandId: (await t.suite.kernel.brands.get(slug)).id, run };
}

/** The brand's holdings as [WHMCS client id, holder, category, since as ISO date]. */
async function holdings(brandId: number): Promise<string[][]> {
  const rows = (await db()('subject_holdings as h').join('subjects as s', 's.id', 'h.subject_id').where('s.brand_id', brandId)
    .orderBy(['s.external_id', 'h.category']).select('s.external_id', 'h.holder', 'h.category', 'h.since')) as { external_id: string; holder: string; category: string; since: number | string }[];
  return rows.map((r) => [r.external_id, r.holder, r.category, new Date(Number(r.since)).toISOString().slice(0, 10)]);
}

it('MS-9: a brand that writes back: correspondence and usage held in WHMCS since each client\'s datecreated; a second run writes nothing', async () => {
  const { brandId, run } = await brandImport('hold-back', true);
  expect(await run()).toMatchObject({ ok: true });
  expect(await holdings(brandId)).toEqual([
    ['1', 'whmcs', 'correspondence', '2019-05-04'], ['1', 'whmcs', 'usage', '2019-05-04'],
    ['2', 'whmcs', 'correspondence', '2021-11-30'], ['2', 'whmcs', 'usage', '2021-11-30'],
    ['3', 'whmcs', 'correspondence', '2024-02-29'], ['3', 'whmcs', 'usage', '2024-02-29'],
  ]);
  const before = await digestTables(db(), ['whmcs_import_runs', 'job_leases']);
  const again = await run();
  expect(changedTables(before, await digestTables(db(), ['whmcs_import_runs', 'job_leases']))).toEqual([]);
  expect(again.phases.clients).toMatchObject({ written: 0, unchanged: 3 });
});

it('MS-9: a brand that does not write back gets no holdings (the suite could not expire them in WHMCS)', async () => {
  const { brandId, run } = await brandImport('hold-not', false);
  expect(await run()).toMatchObject({ ok: true });
  expect((await db()('subjects').where({ brand_id: brandId, kind: 'client' })).length).toBe(3);
  expect(await holdings(brandId)).toEqual([]);
});
