/** Policy documents: versions per brand and language, material changes with notice and opt-out (WSM-24 / SP-4), notice period 0 (MS-11). */
import { startTestSuite, createBrand, PROVIDER_PROFILE, type TestSuite } from '../../helpers/test-suite';
import { recordConsent } from '../../../modules/consent/ledger/consent-ledger';
import { documentInForce } from '../../../modules/consent/documents/current-document';
import { documentForSubject } from '../../../modules/consent/documents/document-for-subject';
import { createSignedLink } from '../../../core/links/signed-link';
import type { Brand } from '../../../core/brands/brand';

const DAY = 86_400_000;
const actor = { type: 'cli' as const, id: 'test' };

let t: TestSuite;
let adminKey: string;
let acme: Brand;
const subjects: number[] = [];

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.baseUrl}${path}`, {
    method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are read field by field in assertions
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
const admin = (method: string, brand: string, path: string, body?: unknown) => api(method, `/api/v1/admin/brands/${brand}/modules/consent${path}`, body, { authorization: `Bearer ${adminKey}` });

async function acceptTerms(brand: Brand, subjectId: number, documentId: number): Promise<void> {
  const profile = await t.suite.kernel.brands.profile(brand);
  await t.suite.kernel.db.transaction((trx) => recordConsent(t.suite.kernel, trx, profile, {
    brandId: brand.id, subjectId, purpose: 'terms', action: 'given', method: 'checkbox', channel: 'web', collectionPoint: 'registration', documentId,
  }));
}

beforeAll(async () => {
  t = await startTestSuite();
  await createBrand(t.suite, 'acme');
  await createBrand(t.suite, 'instant', { profile: { ...PROVIDER_PROFILE, policy: { noticePeriodDays: 0 } } });
  acme = await t.suite.kernel.brands.get('acme');
  adminKey = (await t.suite.apiKeys.create({ role: 'owner' }, actor)).key;
  await t.suite.kernel.db.transaction(async (trx) => {
    for (const id of [1, 2, 3]) subjects.push((await t.suite.kernel.subjects.upsert(trx, { brandId: acme.id, kind: 'client', externalId: id, fields: { email: `c${id}@example.org` } })).id);
  });
});
afterAll(() => t.close());

describe('policy documents', () => {
  it('MS-11: with notice period 0 a new version applies at once', async () => {
    const v1 = await admin('POST', 'instant', '/documents', { kind: 'terms', language: 'en', version: '1.0', text: 'Terms one.' });
    expect(v1.status).toBe(201);
    const v2 = await admin('POST', 'instant', '/documents', { kind: 'terms', language: 'en', version: '2.0', text: 'Terms two.', material: true });
    expect(v2.status).toBe(201);
    expect(v2.body.document.effectiveAt).toBeLessThanOrEqual(Date.now());
    const inForce = await api('GET', '/b/instant/consent/documents/terms?lang=en');
    expect(inForce.status).toBe(200);
    expect(inForce.body.document).toMatchObject({ version: '2.0', text: 'Terms two.', material: true });
    expect(inForce.body.upcoming).toBeNull();
  });

  it('a version stores its sha256 text hash, publication and effective dates, and is listed for the admin without its text', async () => {
    const res = await admin('POST', 'acme', '/documents', { kind: 'terms', language: 'en', version: '1.0', text: 'Acme terms, first edition.' });
    expect(res.status).toBe(201);
    expect(res.body.document).toMatchObject({
      kind: 'terms', language: 'en', version: '1.0', material: false,
      textHash: require('node:crypto').createHash('sha256').update('Acme terms, first edition.').digest('hex'),
    });
    expect(res.body.document.effectiveAt).toBe(res.body.document.publishedAt);
    const list = await admin('GET', 'acme', '/documents?kind=terms');
    expect(list.body.documents).toHaveLength(1);
    expect(list.body.documents[0]).not.toHaveProperty('text');
    const audit = await t.suite.kernel.db('audit_log').where({ action: 'consent.document.publish', brand_id: acme.id }).first();
    expect(audit).toMatchObject({ actor: expect.stringMatching(/^apikey:/), target_type: 'consent_document', target_id: String(res.body.document.id) });
  });

  it('WSM-24 / SP-4: a material version is announced, takes effect only at its effective date, and a customer who rejects it stays under the previous version', async () => {
    const v1 = (await documentInForce(t.suite.kernel.db, acme.id, 'terms', 'en'))!;
    await acceptTerms(acme, subjects[0], v1.id);
    await acceptTerms(acme, subjects[1], v1.id);
    // subjects[2] never accepted the terms: not an affected customer.

    const before = Date.now();
    const pub = await admin('POST', 'acme', '/documents', { kind: 'terms', language: 'en', version: '2.0', text: 'Acme terms, second edition.', material: true });
    expect(pub.status).toBe(201);
    const v2 = pub.body.document as { id: number; effectiveAt: number };
    expect(v2.effectiveAt).toBeGreaterThanOrEqual(before + 30 * DAY);
    expect(pub.body.notices).toBe(2);

    // One notice per affected customer, through the outbox, with the disclosure logged; the policy text is not in it.
    const msgs = (await t.suite.kernel.db('outbox').where({ topic: 'consent.policy-notice', brand_id: acme.id }).orderBy('subject_id')) as { subject_id: number; payload_enc: string; recipient: string; purpose: string }[];
    expect(msgs.map((m) => Number(m.subject_id))).toEqual([subjects[0], subjects[1]]);
    expect(msgs[0]).toMatchObject({ recipient: 'email', purpose: 'service' });
    const payload = JSON.parse(await t.suite.kernel.keyring.decrypt(msgs[0].payload_enc)) as Record<string, string>;
    expect(payload).toMatchObject({ kind: 'terms', version: '2.0', documentId: v2.id, rejectPath: `/b/acme/consent/documents/${v2.id}/reject` });
    expect(JSON.stringify(payload)).not.toContain('second edition');
    expect(await t.suite.kernel.db('disclosure_log').where({ subject_id: subjects[0], recipient: 'email' }).first()).toBeDefined();

    // Until the effective date the previous version stays in force.
    const now = await api('GET', '/b/acme/consent/documents/terms');
    expect(now.body.document.version).toBe('1.0');
    expect(now.body.upcoming).toMatchObject({ version: '2.0', material: true, effectiveAt: v2.effectiveAt });

    // The first customer opts out with the link from the notice; a second click returns the same receipt.
    const rejected = await api('POST', `${payload.rejectPath}?token=${encodeURIComponent(payload.rejectToken)}`);
    expect(rejected.status).toBe(201);
    expect(rejected.body.staysOn).toMatchObject({ version: '1.0' });
    expect(rejected.body.message).toContain('1.0');
    const again = await api('POST', payload.rejectPath, { token: payload.rejectToken });
    expect(again.status).toBe(200);
    expect(again.body.receiptId).toBe(rejected.body.receiptId);
    const row = await t.suite.kernel.db('consent_ledger').where({ receipt_id: rejected.body.receiptId }).first();
    expect(row).toMatchObject({ purpose: 'terms', action: 'rejected', method: 'link', collection_point: 'policy-change', document_version: '2.0' });

    // After the effective date: v2 governs everyone except the customer who rejected it.
    const after = v2.effectiveAt + 1;
    expect((await documentInForce(t.suite.kernel.db, acme.id, 'terms', 'en', 'en', after))!.version).toBe('2.0');
    expect((await documentForSubject(t.suite.kernel.db, acme.id, subjects[0], 'terms', 'en', after))!.version).toBe('1.0');
    expect((await documentForSubject(t.suite.kernel.db, acme.id, subjects[1], 'terms', 'en', after))!.version).toBe('2.0');
    expect((await documentForSubject(t.suite.kernel.db, acme.id, subjects[0], 'terms', 'en', Date.now()))!.version).toBe('1.0');

    // The daily job reports v1 (in effect now), and v2 once its date has come.
    const run1 = await t.suite.scheduler.runJob('consent:policy-effective');
    const reported1 = (run1.result as { effective: { brand: string; version: string }[] }).effective.filter((e) => e.brand === 'acme');
    expect(reported1.map((e) => e.version)).toEqual(['1.0']);
    await t.suite.kernel.db('consent_documents').where({ id: v2.id }).update({ effective_at: Date.now() - 1 });
    const run2 = await t.suite.scheduler.runJob('consent:policy-effective');
    expect((run2.result as { effective: { version: string; material: boolean }[] }).effective).toEqual([expect.objectContaining({ version: '2.0', material: true })]);
    expect((await api('GET', '/b/acme/consent/documents/terms')).body.document.version).toBe('2.0');
    // Once in effect it can no longer be rejected.
    const late = await api('POST', `${payload.rejectPath}?token=${encodeURIComponent(createSignedLink(t.suite.kernel, { brandId: acme.id, subjectId: subjects[1], purpose: 'policy-reject', expiresAt: Date.now() + DAY }))}`);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('SUITE_POLICY_NOT_REJECTABLE');
  });

  it('WSM-24: a material version cannot be dated before the end of the notice period', async () => {
    const res = await admin('POST', 'acme', '/documents', { kind: 'privacy', language: 'en', version: '9', text: 'x', material: true, effectiveAt: Date.now() + DAY });
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual(['effectiveAt']);
  });

  it('publishing validates the body (400 naming every bad field) and refuses a duplicate version', async () => {
    const bad = await admin('POST', 'acme', '/documents', { kind: 'eula', language: 'english', version: '', material: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('SUITE_VALIDATION_FAILED');
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['kind', 'language', 'material', 'text', 'version']);
    const dup = await admin('POST', 'acme', '/documents', { kind: 'terms', language: 'en', version: '1.0', text: 'again' });
    expect(dup.status).toBe(400);
    expect(dup.body.fields[0].field).toBe('version');
  });

  it('a reject link must be signed, unexpired, for this purpose and this brand; a non-material version cannot be rejected', async () => {
    const pub = await admin('POST', 'acme', '/documents', { kind: 'privacy', language: 'en', version: 'p1', text: 'Privacy.', material: false });
    const path = `/b/acme/consent/documents/${pub.body.document.id}/reject`;
    const link = (purpose: string, expiresAt: number, brandId = acme.id) => createSignedLink(t.suite.kernel, { brandId, subjectId: subjects[0], purpose, expiresAt });
    for (const token of ['', 'garbage', link('policy-reject', Date.now() - 1), link('receipt', Date.now() + DAY), link('policy-reject', Date.now() + DAY) + 'x']) {
      const res = await api('POST', path, { token });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('SUITE_LINK_INVALID');
    }
    const otherBrand = await api('POST', path.replace('/b/acme/', '/b/instant/'), { token: link('policy-reject', Date.now() + DAY) });
    expect(otherBrand.status).toBe(401);
    const res = await api('POST', path, { token: link('policy-reject', Date.now() + DAY) });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('SUITE_POLICY_NOT_REJECTABLE');
  });

  it('serves the version in the asked language, falling back to the brand language, and 404 when none exists', async () => {
    await admin('POST', 'acme', '/documents', { kind: 'cookies', language: 'de', version: 'c1', text: 'Cookie-Richtlinie.' });
    await admin('POST', 'acme', '/documents', { kind: 'cookies', language: 'en', version: 'c1', text: 'Cookie policy.' });
    expect((await api('GET', '/b/acme/consent/documents/cookies?lang=de')).body.document.text).toBe('Cookie-Richtlinie.');
    expect((await api('GET', '/b/acme/consent/documents/cookies?lang=fr')).body.document.text).toBe('Cookie policy.');
    expect((await api('GET', '/b/acme/consent/documents/dpa')).status).toBe(404);
    expect((await api('GET', '/b/acme/consent/documents/eula')).status).toBe(400);
  });
});
