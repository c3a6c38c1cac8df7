/**
 * The initial import of an existing WHMCS install (issue 15 point 10): clients, contacts, users, domains, paid
 * invoices and the marketing opt-in history through WHMCS's API (the stand-in) and the connector addon's endpoint,
 * page by page; a second run over an unchanged WHMCS changes nothing; a run stopped mid-way resumes at its cursor and
 * ends where an uninterrupted run does; an erased customer is never brought back (MS-8f).
 */
import type { ConsentService } from '../../../modules/consent/public';
import { importWhmcs, type ImportOptions } from '../../../modules/whmcs/import/run-import';
import { changedTables, digestTables } from '../../helpers/db-digest';
import { createBrand, PROVIDER_PROFILE, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { WhmcsApiStandin } from '../../helpers/whmcs-api-standin';

jest.setTimeout(120_000);

let t: TestSuite;
const standins: WhmcsApiStandin[] = [];
/** Tables that are the import's bookkeeping (the run row's times and counts change with every run). */
// The run's cursor row and the lease it holds while it runs.
const BOOKKEEPING = ['whmcs_import_runs', 'job_leases'];

const secretVar = (slug: string): string => `SUITE_WHMCS_API_SECRET_${slug.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
const db = () => t.suite.kernel.db;
const kernel = () => t.suite.kernel;

/** A stand-in seeded with a small WHMCS: clients with contacts, users, domains, paid invoices and opt-in history. */
async function seededWhmcs(): Promise<WhmcsApiStandin> {
  const w = new WhmcsApiStandin();
  standins.push(w);
  await w.start();
  const ada = w.addClient({ firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.org', marketingOptIn: true, companyname: 'Engines Ltd' });
  w.addContact(ada.id, { firstname: 'Charles', email: 'charles@example.org' });
  w.addContact(ada.id, { firstname: 'Mary', email: 'mary@example.org' });
  w.addUser([ada.id], { email: 'ada@example.org' });
  w.addUser([ada.id], { email: 'ada.login@example.org' });
  w.addConsent(ada.id, true, { date: '2021-01-01T10:00:00Z', ip: '192.0.2.10' });
  w.addConsent(ada.id, false, { date: '2022-01-01T10:00:00Z', admin: true });
  w.addConsent(ada.id, true, { date: '2023-01-01T10:00:00Z', ip: '192.0.2.11' });
  const grace = w.addClient({ firstname: 'Grace', lastname: 'Hopper', email: 'grace@example.org', status: 'Closed' });
  w.addDomain(grace.id, 'hopper.example', { status: 'Active', regdate: '2019-04-01', expirydate: '2027-04-01' });
  w.addDomain(grace.id, 'cobol.example', { status: 'Expired', regdate: '2015-04-01', expirydate: '2024-04-01' });
  w.addInvoice(grace.id, { status: 'Paid', datepaid: '2024-01-05 09:30:00' });
  w.addInvoice(grace.id, { status: 'Paid', datepaid: '2025-02-03 14:00:00' });
  w.addInvoice(grace.id, { status: 'Unpaid' });
  for (let i = 0; i < 5; i++) w.addClient({ firstname: `Filler${i}`, email: `filler${i}@example.org` });
  return w;
}

/** A brand whose WHMCS (API and addon) is `w`. */
async function importBrand(slug: string, w: WhmcsApiStandin, whmcs: Record<string, unknown> = { apiUrl: w.url, identifier: w.identifier }): Promise<number> {
  const secret = await createBrand(t.suite, slug, { profile: { ...PROVIDER_PROFILE, modules: { whmcs } } });
  w.addonSecret = secret;
  return (await kernel().brands.get(slug)).id;
}

const run = (slug: string, w: WhmcsApiStandin, extra: Partial<ImportOptions> = {}) => importWhmcs(kernel(), { brand: slug, pageSize: 2, env: { [secretVar(slug)]: w.secret }, ...extra });

/**
 * What a brand's import left, keyed by WHMCS ids instead of the suite's row ids (so two brands compare): subjects with
 * their parent and decrypted fields, events, the ledger (without receipt ids), the domains.
 */
async function brandShape(brandId: number): Promise<unknown> {
  const k = kernel();
  const subjects = (await db()('subjects').where({ brand_id: brandId }).orderBy(['kind', 'external_id']).select('id', 'kind', 'external_id', 'status', 'parent_id')) as { id: number; kind: string; external_id: string; status: string; parent_id: number | null }[];
  const ext = new Map(subjects.map((s) => [Number(s.id), `${s.kind}:${s.external_id}`]));
  const ids = subjects.map((s) => Number(s.id));
  return {
    subjects: await Promise.all(subjects.map(async (s) => ({
      key: ext.get(Number(s.id)), status: s.status, parent: s.parent_id === null ? null : ext.get(Number(s.parent_id)),
      fields: (await k.subjects.fields(Number(s.id))).map((f) => [f.name, f.category, f.value]),
    }))),
    events: ((await db()('subject_events').whereIn('subject_id', ids).select('subject_id', 'event', 'at')) as { subject_id: number; event: string; at: number }[])
      .map((e) => [ext.get(Number(e.subject_id)), e.event, Number(e.at)]).sort(),
    ledger: ((await db()('consent_ledger').where({ brand_id: brandId }).orderBy('seq').select('subject_id', 'purpose', 'action', 'method', 'channel', 'collection_point', 'created_at', 'ip_hash')) as Record<string, unknown>[])
      .map((l) => [ext.get(Number(l.subject_id)), l.purpose, l.action, l.method, l.channel, l.collection_point, Number(l.created_at), l.ip_hash]),
    domains: ((await db()('registrant_domains').where({ brand_id: brandId }).orderBy('domain').select('domain', 'status', 'roles', 'registered_at', 'subject_id')) as Record<string, unknown>[])
      .map((d) => [d.domain, d.status, d.roles, Number(d.registered_at), ext.get(Number(d.subject_id))]),
  };
}

/** Digest of everything but the import's bookkeeping. */
const digest = async () => digestTables(db(), BOOKKEEPING);

beforeAll(async () => {
  t = await startTestSuite({ http: false });
});
afterAll(async () => {
  for (const w of standins) await w.stop();
  await t?.close();
});

describe('whmcs import', () => {
  it('imports clients, contacts, domains, paid invoices and the opt-in history into the registers, fields encrypted', async () => {
    const w = await seededWhmcs();
    const brandId = await importBrand('imp-full', w);
    const r = await run('imp-full', w);
    expect(r).toMatchObject({ ok: true, resumed: false, notReached: [] });
    expect(r.phases.clients).toMatchObject({ seen: 7, written: 7, skipped: 0, pages: 4 });
    expect(r.phases.contacts).toMatchObject({ seen: 2, written: 2 });
    expect(r.phases.users).toMatchObject({ seen: 2, unchanged: 1, skipped: 1, written: 0 });
    expect(r.phases['optin-history']).toMatchObject({ seen: 3, written: 3 });

    // Subjects as the hooks record them: external id = WHMCS id, contacts under their client, found by the blind index.
    const [ada] = await kernel().subjects.findByEmail([brandId], 'ADA@example.org');
    expect(ada).toMatchObject({ kind: 'client', externalId: '1', status: 'active' });
    const fields = Object.fromEntries((await kernel().subjects.fields(ada.id)).map((f) => [f.name, f.value]));
    expect(fields).toMatchObject({ firstname: 'Ada', lastname: 'Lovelace', companyname: 'Engines Ltd', email: 'ada@example.org', city: 'London' });
    const stored = (await db()('subject_fields').where({ subject_id: ada.id, field: 'email' }).first()) as { value_enc: string };
    expect(stored.value_enc).not.toContain('ada@example.org');
    const [charles] = await kernel().subjects.findByEmail([brandId], 'charles@example.org');
    expect(charles).toMatchObject({ kind: 'contact', parentId: ada.id });
    const grace = (await kernel().subjects.findByExternal(brandId, 'client', 2))!;
    expect(grace.status).toBe('closed');

    // Retention's events: the latest paid invoice's datepaid and the latest domain expiry.
    expect(await kernel().subjects.events(grace.id)).toEqual({ 'invoice-paid': Date.parse('2025-02-03T14:00:00Z'), 'domain-expiry': Date.parse('2027-04-01T00:00:00Z') });
    // The live domain is in the registrant's register (no contacts yet), the expired one is not.
    const domains = (await db()('registrant_domains').where({ brand_id: brandId }).select('domain', 'status', 'subject_id')) as { domain: string; status: string; subject_id: number }[];
    expect(domains.map((d) => ({ ...d, subject_id: Number(d.subject_id) }))).toEqual([{ domain: 'hopper.example', status: 'registered', subject_id: grace.id }]);

    // The opt-in history in the ledger with its original times, in order; the state is the latest choice.
    const ledger = (await db()('consent_ledger').where({ brand_id: brandId, subject_id: ada.id, purpose: 'marketing:email' }).orderBy('seq').select('action', 'method', 'created_at', 'ip_hash')) as { action: string; method: string; created_at: number; ip_hash: string | null }[];
    expect(ledger.map((l) => [l.action, l.method, Number(l.created_at)])).toEqual([
      ['given', 'checkbox', Date.parse('2021-01-01T10:00:00Z')], ['withdrawn', 'admin-written', Date.parse('2022-01-01T10:00:00Z')], ['given', 'checkbox', Date.parse('2023-01-01T10:00:00Z')],
    ]);
    expect(ledger[0].ip_hash).toBe(kernel().keyring.blindIndex('192.0.2.10', 'ip'));
    const state = await kernel().service<ConsentService>('consent').purposeState(db(), brandId, ada.id);
    expect(state['marketing:email']).toMatchObject({ action: 'given', at: Date.parse('2023-01-01T10:00:00Z') });
  });

  it('a second run over an unchanged WHMCS changes nothing (same digest, zero writes)', async () => {
    const w = await seededWhmcs();
    await importBrand('imp-twice', w);
    await run('imp-twice', w);
    const before = await digest();
    const again = await run('imp-twice', w);
    expect(changedTables(before, await digest())).toEqual([]);
    for (const c of Object.values(again.phases)) expect(c.written).toBe(0);
    expect(again.phases.clients).toMatchObject({ seen: 7, unchanged: 7 });
    // A change in WHMCS is brought in on the next run, and only that.
    w.clients.get(1)!.city = 'Cambridge';
    const third = await run('imp-twice', w);
    expect(third.phases.clients).toMatchObject({ written: 1, unchanged: 6 });
  });

  it('MS-8f: an erased customer is not brought back, nor their contacts, domains, invoices or opt-in history', async () => {
    const w = await seededWhmcs();
    const brandId = await importBrand('imp-erased', w);
    const trx = await db().transaction();
    const { id } = await kernel().subjects.upsert(trx, { brandId, kind: 'client', externalId: 1, fields: { email: 'ada@example.org' } });
    await kernel().subjects.erase(trx, id);
    await trx.commit();
    const r = await run('imp-erased', w);
    expect(r.phases.clients).toMatchObject({ seen: 7, written: 6, skipped: 1 });
    expect(r.phases.contacts).toMatchObject({ seen: 2, written: 0, skipped: 2 });
    expect(r.phases['optin-history']).toMatchObject({ seen: 3, written: 0, skipped: 3 });
    expect(await kernel().subjects.get(id)).toMatchObject({ status: 'erased' });
    expect(await db()('subject_fields').where({ subject_id: id })).toEqual([]);
    expect(await db()('consent_ledger').where({ subject_id: id })).toEqual([]);
    expect(await kernel().subjects.findByEmail([brandId], 'charles@example.org')).toEqual([]);
  });

  it('a run stopped when WHMCS goes down resumes after the last committed page, re-reads none of them, and ends with the uninterrupted digest', async () => {
    const w = await seededWhmcs();
    const brandId = await importBrand('imp-crash', w);
    let pages = 0;
    const crashed = run('imp-crash', w, { onProgress: () => { if (++pages === 2) w.down = true; } });
    await expect(crashed).rejects.toMatchObject({ code: 'SUITE_WHMCS_IMPORT_FAILED' });
    await expect(crashed).rejects.toThrow(/stopped in phase clients: WHMCS GetClients failed: HTTP 503/);
    // The page read ahead while page 2 was written may have made it before WHMCS went down: 2 or 3 pages committed.
    const stopped = await db()('whmcs_import_runs').where({ brand_id: brandId }).first();
    expect(stopped).toMatchObject({ state: 'failed', phase: 'clients', last_error: expect.stringMatching(/HTTP 503/) });
    const cursor = Number(stopped.cursor);
    expect([4, 6]).toContain(cursor);
    expect(await db()('subjects').where({ brand_id: brandId }).count({ n: '*' }).first()).toMatchObject({ n: cursor });
    w.down = false;
    w.calls.length = 0;
    const resumed = await run('imp-crash', w);
    expect(resumed).toMatchObject({ ok: true, resumed: true });
    // Nothing committed is asked for again: the pages start at the cursor, the details only of the clients after it.
    const starts = w.callsOf('GetClients').map((c) => Number(c.params.limitstart));
    expect(starts).toEqual(cursor === 4 ? [4, 6] : [6]);
    expect(w.callsOf('GetClientsDetails').map((c) => Number(c.params.clientid)).sort()).toEqual([5, 6, 7].slice((cursor - 4)));
    expect(resumed.phases.clients).toMatchObject({ seen: 7, written: 7, pages: 4 });

    // The same WHMCS imported in one go by another brand ends with the same register, ledger, events and domains.
    const w2 = await seededWhmcs();
    const otherId = await importBrand('imp-nocrash', w2);
    await run('imp-nocrash', w2);
    expect(await brandShape(brandId)).toEqual(await brandShape(otherId));
  });

  it('without the addon the opt-in history is reported not reached and the current opt-in is imported once', async () => {
    const w = await seededWhmcs();
    const brandId = await importBrand('imp-noaddon', w);
    w.addonSecret = null;
    const r = await run('imp-noaddon', w);
    expect(r.notReached).toEqual([expect.stringMatching(/^marketing opt-in history: not reached \(.*consent-history: Not found\)$/)]);
    expect(r.phases.clients).toMatchObject({ seen: 7, written: 7 });
    expect(r.phases['optin-history']).toMatchObject({ seen: 7, written: 1, unchanged: 6 });
    const [ada] = await kernel().subjects.findByEmail([brandId], 'ada@example.org');
    expect(await db()('consent_ledger').where({ subject_id: ada.id }).select('action', 'method')).toEqual([{ action: 'given', method: 'checkbox' }]);
    const before = await digest();
    const again = await run('imp-noaddon', w);
    expect(again.phases['optin-history']).toMatchObject({ written: 0 });
    expect(changedTables(before, await digest())).toEqual([]);
  });

  it('one import per brand at a time: a second one while the first runs is refused, and runs once the first has finished', async () => {
    const w = await seededWhmcs();
    await importBrand('imp-lease', w);
    const first = run('imp-lease', w);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(run('imp-lease', w)).rejects.toMatchObject({ code: 'SUITE_WHMCS_IMPORT_RUNNING', message: expect.stringContaining('imp-lease') });
    expect((await first).ok).toBe(true);
    const again = await run('imp-lease', w);
    expect(again.phases.clients).toMatchObject({ written: 0 });
  });

  it('a brand without the settings or the secret is refused, naming what is missing, and nothing is written', async () => {
    const w = await seededWhmcs();
    await importBrand('imp-bare', w, {});
    const before = await digestTables(db());
    await expect(importWhmcs(kernel(), { brand: 'imp-bare', env: {} })).rejects.toMatchObject({
      code: 'SUITE_WHMCS_NOT_CONFIGURED',
      message: expect.stringContaining('profile modules.whmcs.apiUrl, profile modules.whmcs.identifier, environment SUITE_WHMCS_API_SECRET_IMP_BARE (or SUITE_WHMCS_API_SECRET)'),
    });
    await expect(importWhmcs(kernel(), { brand: 'no-such-brand', env: {} })).rejects.toMatchObject({ code: 'SUITE_BRAND_UNKNOWN' });
    expect(changedTables(before, await digestTables(db()))).toEqual([]);
    expect(w.calls).toEqual([]);
  });
});
