/** Legal disclosures to authorities through the admin API (MS-5.2, WSM-15): request, four-eyes decision, logged release. */
import type { Knex } from 'knex';
import { dialectOfKnex } from '../../../core/db/connection';
import { runJson } from '../../helpers/run-cli';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, RIGHTS_PROFILE, rightsBrand, rightsCall, signUp } from './fixtures';

let t: TestSuite;
let keyA: string;
let keyB: string;
let auditor: string;
let subjectId: number;
const IP = '198.51.100.77';
const TAX = 'GB-TAX-99812';
const OFFICER = 'Inspector Lestrade';

const keyId = (key: string) => key.split('_')[1];

/** Every table whose rows, as JSON, contain `needle`. */
async function tablesContaining(db: Knex, needle: string): Promise<string[]> {
  const tables = dialectOfKnex(db) === 'mysql'
    ? ((await db.raw('select table_name as name from information_schema.tables where table_schema = database()')) as [{ name: string }[]])[0].map((r) => r.name)
    : ((await db('sqlite_master').where({ type: 'table' }).select('name')) as { name: string }[]).map((r) => r.name);
  const hits: string[] = [];
  for (const table of tables) if (JSON.stringify(await db(table).select()).includes(needle)) hits.push(table);
  return hits;
}

const request = (body: Record<string, unknown> = {}) => ({
  subjectId, requester: { authority: 'Metropolitan Police', contact: 'disclosures@met.example', officer: OFFICER },
  legalBasis: 'court order 2026/123', reference: 'MET-2026-0042', fields: ['email', 'lastname', 'ip'], ...body,
});

beforeAll(async () => {
  t = await startTestSuite();
  await rightsBrand(t.suite, 'shop');
  await rightsBrand(t.suite, 'no-authority', { recipients: RIGHTS_PROFILE.recipients.filter((r) => r.kind !== 'authority') });
  keyA = await adminKey(t.suite);
  keyB = await adminKey(t.suite, 'admin', 'shop');
  auditor = await adminKey(t.suite, 'auditor');
  ({ subjectId } = await signUp(t.suite, 'shop', 1, { tax_id: TAX }));
  const brand = await t.suite.kernel.brands.get('shop');
  const subject = await t.suite.kernel.subjects.get(subjectId);
  await t.suite.kernel.db.transaction((trx) => t.suite.kernel.subjects.upsert(trx, { brandId: brand.id, kind: 'client', externalId: subject.externalId, fields: { ip: IP } }));
});
afterAll(async () => t?.close());

describe('legal disclosures', () => {
  it('MS-5.2: a request is pending, made by its key, its requester encrypted; the same key cannot approve it, another admin approves a subset', async () => {
    const open = await rightsCall(t.baseUrl, keyA, 'shop', 'POST', '/disclosures', request());
    expect(open.status).toBe(201);
    expect(open.body.disclosure).toMatchObject({ status: 'pending', subjectId, recipient: 'authority', requestedBy: `apikey:${keyId(keyA)}`, fields: ['email', 'lastname', 'ip'], approver: null });
    const id = open.body.disclosure.id as number;
    expect(await tablesContaining(t.suite.kernel.db, OFFICER)).toEqual([]);

    const self = await rightsCall(t.baseUrl, keyA, 'shop', 'POST', `/disclosures/${id}/decision`, { approve: true });
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('SUITE_RIGHTS_FOUR_EYES');
    const readOnly = await rightsCall(t.baseUrl, auditor, 'shop', 'POST', `/disclosures/${id}/decision`, { approve: true });
    expect(readOnly.status).toBe(403);
    expect(readOnly.body.code).toBe('SUITE_ROLE_FORBIDDEN');
    const extra = await rightsCall(t.baseUrl, keyB, 'shop', 'POST', `/disclosures/${id}/decision`, { approve: true, fields: ['email', 'tax_id'] });
    expect(extra.status).toBe(400);
    expect(extra.body.fields.map((f: { field: string }) => f.field)).toEqual(['fields.1']);
    const logBefore = await t.suite.kernel.db('disclosure_log').count({ n: '*' }).first();

    const ok = await rightsCall(t.baseUrl, keyB, 'shop', 'POST', `/disclosures/${id}/decision`, { approve: true, fields: ['email', 'ip'], note: `checked with ${OFFICER}` });
    expect(ok.status).toBe(200);
    expect(ok.body.disclosure).toMatchObject({ status: 'approved', approver: `apikey:${keyId(keyB)}`, released: ['email', 'ip'] });
    expect(ok.body.package).toMatchObject({ requestId: id, recipient: 'authority', legalBasis: 'court order 2026/123', reference: 'MET-2026-0042', subjectId, missing: [] });
    expect(ok.body.package.fields).toEqual([{ name: 'email', category: 'contact', value: 'ada.1@example.org' }, { name: 'ip', category: 'usage', value: IP }]);

    const log = (await t.suite.kernel.db('disclosure_log').where({ id: ok.body.package.disclosureId }).first()) as Record<string, unknown>;
    expect(log).toMatchObject({ subject_id: subjectId, recipient: 'authority', purpose: 'legal', fields: '["email","ip"]', categories: '["contact","usage"]', actor: `apikey:${keyId(keyB)}`, reference: 'MET-2026-0042' });
    expect(Number(((await t.suite.kernel.db('disclosure_log').count({ n: '*' }).first()) as { n: number }).n)).toBe(Number((logBefore as { n: number }).n) + 1);

    const again = await rightsCall(t.baseUrl, keyA, 'shop', 'POST', `/disclosures/${id}/decision`, { approve: false });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('SUITE_RIGHTS_WRONG_STATE');
  });

  it('WSM-15: released values are nowhere in the database in plaintext, nor in the audit details; both steps are audited; the chains verify', async () => {
    expect(await tablesContaining(t.suite.kernel.db, 'MET-2026-0042')).toEqual(expect.arrayContaining(['rights_disclosure_requests', 'disclosure_log']));
    for (const needle of ['ada.1@example.org', IP, TAX, OFFICER]) expect(await tablesContaining(t.suite.kernel.db, needle)).toEqual([]);
    const audit = (await t.suite.kernel.db('audit_log').where('action', 'like', 'rights.disclosure.%').orderBy('seq')) as { action: string; details: string }[];
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['rights.disclosure.requested', 'rights.disclosure.approved']));
    const approved = JSON.parse(audit.find((a) => a.action === 'rights.disclosure.approved')!.details) as Record<string, unknown>;
    expect(approved).toMatchObject({ subject: subjectId, fields: ['email', 'ip'] });
    const out = await runJson<{ ok: boolean; chains: { chain: string; ok: boolean }[] }>(t.db, ['ledger', 'verify', '--chain', 'all']);
    expect(out.ok).toBe(true);
    expect(out.chains.find((c) => c.chain === 'disclosure_log')).toMatchObject({ ok: true });
  });

  it('MS-5.2: the list shows requests and the decision, never the values; a refusal releases and logs nothing', async () => {
    const open = await rightsCall(t.baseUrl, keyB, 'shop', 'POST', '/disclosures', request({ fields: ['tax_id'], reference: undefined }));
    expect(open.status).toBe(201);
    const logBefore = await t.suite.kernel.db('disclosure_log').count({ n: '*' }).first();
    const no = await rightsCall(t.baseUrl, keyA, 'shop', 'POST', `/disclosures/${open.body.disclosure.id}/decision`, { approve: false, note: 'no warrant attached' });
    expect(no.body).toMatchObject({ ok: true, package: null, disclosure: { status: 'refused', released: null, disclosureId: null } });
    expect(await t.suite.kernel.db('disclosure_log').count({ n: '*' }).first()).toEqual(logBefore);
    const list = await rightsCall(t.baseUrl, auditor, 'shop', 'GET', '/disclosures');
    expect(list.status).toBe(200);
    expect(list.body.disclosures.map((d: { status: string }) => d.status)).toEqual(['refused', 'approved']);
    const text = JSON.stringify(list.body);
    for (const needle of ['ada.1@example.org', IP, TAX]) expect(text).not.toContain(needle);
    const pending = await rightsCall(t.baseUrl, auditor, 'shop', 'GET', '/disclosures?status=pending');
    expect(pending.body.disclosures).toEqual([]);
  });

  it('MS-5.2: a restricted subject may still be disclosed for the purpose legal', async () => {
    const { subjectId: restricted } = await signUp(t.suite, 'shop', 2);
    await t.suite.kernel.subjects.setRestricted(t.suite.kernel.db, restricted, true);
    const open = await rightsCall(t.baseUrl, keyA, 'shop', 'POST', '/disclosures', request({ subjectId: restricted, fields: ['lastname'] }));
    const ok = await rightsCall(t.baseUrl, keyB, 'shop', 'POST', `/disclosures/${open.body.disclosure.id}/decision`, { approve: true });
    expect(ok.status).toBe(200);
    expect(ok.body.package.fields).toEqual([{ name: 'lastname', category: 'contact', value: 'Lovelace2' }]);
  });

  it('bad requests name the field and write nothing; unknown fields, unregistered categories and a brand without an authority are refused', async () => {
    const before = await t.suite.kernel.db('rights_disclosure_requests').count({ n: '*' }).first();
    const noBasis = await rightsCall(t.baseUrl, keyA, 'shop', 'POST', '/disclosures', request({ legalBasis: 'asked' }));
    expect(noBasis.status).toBe(400);
    expect(noBasis.body.fields.map((f: { field: string }) => f.field)).toEqual(['legalBasis']);
    const unknown = await rightsCall(t.baseUrl, keyA, 'shop', 'POST', '/disclosures', request({ fields: ['email', 'favourite_colour'] }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields.map((f: { field: string }) => f.field)).toEqual(['fields.1']);
    const unregistered = await rightsCall(t.baseUrl, keyA, 'shop', 'POST', '/disclosures', request({ fields: ['id_document'] }));
    expect(unregistered.status).toBe(422);
    expect(unregistered.body.code).toBe('SUITE_RIGHTS_CATEGORY_NOT_REGISTERED');
    const noAuthority = await rightsCall(t.baseUrl, keyA, 'no-authority', 'POST', '/disclosures', request());
    expect(noAuthority.status).toBe(422);
    expect(noAuthority.body.code).toBe('SUITE_RECIPIENT_UNKNOWN');
    const otherBrand = await rightsCall(t.baseUrl, keyA, 'no-authority', 'POST', '/disclosures', request({ recipient: 'email' }));
    expect(otherBrand.body.code).toBe('SUITE_RIGHTS_RECIPIENT_KIND');
    const auditorWrite = await rightsCall(t.baseUrl, auditor, 'shop', 'POST', '/disclosures', request());
    expect(auditorWrite.status).toBe(403);
    expect(await t.suite.kernel.db('rights_disclosure_requests').count({ n: '*' }).first()).toEqual(before);
    const missing = await rightsCall(t.baseUrl, keyB, 'shop', 'POST', '/disclosures/9999/decision', { approve: true });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('SUITE_RIGHTS_DISCLOSURE_UNKNOWN');
  });
});
