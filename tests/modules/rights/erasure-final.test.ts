/** MS-8f: erasure cannot be undone — a later edit from the panel for the erased customer or contact brings nothing back. */
import { postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, rightsBrand, rightsCall, signUp } from './fixtures';

let t: TestSuite;
let key: string;
let secret: string;

beforeAll(async () => {
  t = await startTestSuite();
  secret = await rightsBrand(t.suite, 'shop');
  key = await adminKey(t.suite);
});
afterAll(async () => t?.close());

const fieldCount = async (subjectId: number): Promise<number> => Number(((await t.suite.kernel.db('subject_fields').where({ subject_id: subjectId }).count({ n: '*' }).first()) as { n: number | string }).n);

it('MS-8f: a ClientEdit or ContactEdit for an erased person stores none of the values it carries', async () => {
  const { clientId, subjectId } = await signUp(t.suite, 'shop', 1);
  const contact = await postHook(t.baseUrl, 'ContactAdd', secret, { brand: 'shop', vars: { userid: clientId, contactid: 77, firstname: 'Charles', lastname: 'Babbage', email: 'charles@example.org' } });
  expect(contact.status).toBe(200);
  const contactSubject = (await t.suite.kernel.subjects.findByExternal((await t.suite.kernel.brands.get('shop')).id, 'contact', 77))!;
  expect(await fieldCount(contactSubject.id)).toBeGreaterThan(0);
  for (const id of [subjectId, contactSubject.id]) {
    const open = await rightsCall(t.baseUrl, key, 'shop', 'POST', '/requests', { type: 'erase', subjectId: id, verified: 'manual' });
    const done = await rightsCall(t.baseUrl, key, 'shop', 'POST', `/requests/${open.body.request.id}/fulfil`);
    expect(done.body.request.status).toBe('fulfilled');
  }
  const edit = await postHook(t.baseUrl, 'ClientEdit', secret, { brand: 'shop', vars: { userid: clientId, firstname: 'Ada', lastname: 'Lovelace1', email: 'ada.1@example.org' } });
  expect(edit.status).toBe(200);
  const cedit = await postHook(t.baseUrl, 'ContactEdit', secret, { brand: 'shop', vars: { userid: clientId, contactid: 77, firstname: 'Charles', email: 'charles@example.org' } });
  expect(cedit.status).toBe(200);
  expect(await fieldCount(subjectId)).toBe(0);
  expect(await fieldCount(contactSubject.id)).toBe(0);
  expect((await t.suite.kernel.subjects.get(subjectId)).status).toBe('erased');
  expect(await t.suite.kernel.subjects.findByEmail([contactSubject.brandId], 'ada.1@example.org')).toEqual([]);
});

it('MS-8f: a module switched off for the brand still erases what it kept from before', async () => {
  const platform = t.suite.kernel.service<import('../../../modules/platform').PlatformService>('platform');
  const s = await platform.signUp('shop', { firstname: 'Grace', lastname: 'Hopper', email: 'grace@example.org', country: 'US', password: 'cobol cobol cobol', accepttos: true, marketing_emails_opt_in: true }, { ip: '203.0.113.9', userAgent: 'Erase/1.0' });
  const withIp = await t.suite.kernel.db('consent_ledger').where({ subject_id: s.subjectId }).whereNotNull('ip_enc').count({ n: '*' }).first();
  expect(Number((withIp as { n: number | string }).n)).toBeGreaterThan(0);
  await t.suite.kernel.brands.setEnabled('shop', 'module', 'consent', false, { type: 'cli', id: 'test' });
  const open = await rightsCall(t.baseUrl, key, 'shop', 'POST', '/requests', { type: 'erase', subjectId: s.subjectId!, verified: 'manual' });
  const done = await rightsCall(t.baseUrl, key, 'shop', 'POST', `/requests/${open.body.request.id}/fulfil`);
  expect(done.body.request.result).toMatchObject({ offForBrand: ['consent'] });
  expect(done.body.request.result.erased).toEqual(expect.arrayContaining([expect.objectContaining({ module: 'consent' })]));
  const left = await t.suite.kernel.db('consent_ledger').where({ subject_id: s.subjectId }).where((w) => w.whereNotNull('ip_enc').orWhereNotNull('ua_enc')).count({ n: '*' }).first();
  expect(Number((left as { n: number | string }).n)).toBe(0);
  await t.suite.kernel.brands.setEnabled('shop', 'module', 'consent', true, { type: 'cli', id: 'test' });
});
