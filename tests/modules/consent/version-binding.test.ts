/**
 * SP-4 end to end over the hook API: a customer who rejected a material policy change stays under the version they
 * accepted once the change takes effect — their fields keep that version when a profile edit re-sends them, the
 * customer's governing version says so, and a retention rule limited to that version keeps selecting their records.
 */
import { startTestSuite, postHook, type TestSuite } from '../../helpers/test-suite';
import { documentForSubject } from '../../../modules/consent/documents/document-for-subject';
import { adminKey, type Json } from '../rights/fixtures';
import { retentionCall } from '../retention/fixtures';
import { clientAdd, consentBrand, CONTEXT, subjectOf, type TestBrand } from './marketing-fixtures';

const DAY = 86_400_000;
/** Every timer API but Date stays real: the clock can be moved while sockets, pools and timeouts keep working. */
const REAL = ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] as const;

let t: TestSuite;
let shop: TestBrand;
let owner: string;

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${t.baseUrl}/api/v1/admin/brands/${shop.slug}/modules/consent${path}`, {
    method, headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function versionsOf(subjectId: number): Promise<Record<string, string | null>> {
  const rows = (await t.suite.kernel.db('subject_fields').where({ subject_id: subjectId }).orderBy('field').select('field', 'policy_version')) as { field: string; policy_version: string | null }[];
  return Object.fromEntries(rows.map((r) => [r.field, r.policy_version]));
}

beforeAll(async () => {
  t = await startTestSuite();
  shop = await consentBrand(t.suite, 'sp4-shop', { model: 'opt-in' }, {
    policy: { noticePeriodDays: 30 },
    retention: [{ id: 'billing-under-v1', category: 'billing', from: 'collected', days: 0, action: 'strip', policyVersions: ['1.0'] }],
  });
  owner = await adminKey(t.suite);
});
afterAll(async () => {
  jest.useRealTimers();
  await t?.close();
});

describe('version binding over the hook API (SP-4)', () => {
  it('SP-4: a customer who rejected a material change keeps their fields under the version they accepted after it takes effect', async () => {
    expect((await admin('POST', '/documents', { kind: 'terms', language: 'en', version: '1.0', text: 'Terms, first edition.' })).status).toBe(201);
    for (const id of [1, 2]) expect((await clientAdd(t.baseUrl, shop, id, { accepttos: true, tax_id: `GB00${id}` })).status).toBe(200);
    const [rejecter, stayer] = [await subjectOf(t.suite, shop, 1), await subjectOf(t.suite, shop, 2)];
    expect(new Set(Object.values(await versionsOf(rejecter)))).toEqual(new Set(['1.0']));

    // v2 is material: announced with a 30-day notice; the first customer rejects it with the link from the notice.
    const v2 = await admin('POST', '/documents', { kind: 'terms', language: 'en', version: '2.0', text: 'Terms, second edition.', material: true });
    expect(v2.status).toBe(201);
    expect(v2.body.notices).toBe(2);
    const notice = (await t.suite.kernel.db('outbox').where({ topic: 'consent.policy-notice', subject_id: rejecter }).first()) as { payload_enc: string };
    const payload = JSON.parse(await t.suite.kernel.keyring.decrypt(notice.payload_enc)) as Record<string, string>;
    const rejected = await fetch(`${t.baseUrl}${payload.rejectPath}?token=${encodeURIComponent(payload.rejectToken)}`, { method: 'POST', headers: { 'user-agent': CONTEXT.userAgent } });
    expect(rejected.status).toBe(201);
    expect(((await rejected.json()) as Json).staysOn).toMatchObject({ version: '1.0' });

    // The clock passes the effective date: v2 is in force; a new customer accepts it.
    jest.useFakeTimers({ doNotFake: [...REAL], advanceTimers: true, now: Number(v2.body.document.effectiveAt) + DAY });
    expect((await clientAdd(t.baseUrl, shop, 3, { accepttos: true, tax_id: 'GB003' })).status).toBe(200);
    const newcomer = await subjectOf(t.suite, shop, 3);
    expect((await versionsOf(newcomer)).tax_id).toBe('2.0');

    // One profile edit re-sends every field, email and name included.
    for (const id of [1, 2]) {
      const edit = await postHook(t.baseUrl, 'ClientEdit', shop.secret, {
        brand: shop.slug, context: CONTEXT,
        vars: { userid: id, firstname: 'Grace', lastname: 'Hopper', email: `grace${id}@example.org`, phonenumber: '+44 20 7946 0000', country: 'GB', city: 'Arlington', tax_id: `GB00${id}` },
      });
      expect(edit.status).toBe(200);
      expect(edit.body.afterHookFailures).toBeUndefined();
    }
    const fields = await versionsOf(rejecter);
    expect(Object.keys(fields)).toEqual(expect.arrayContaining(['email', 'firstname', 'lastname', 'city', 'tax_id']));
    expect(new Set(Object.values(fields))).toEqual(new Set(['1.0']));
    expect((await documentForSubject(t.suite.kernel.db, shop.id, rejecter, 'terms', 'en'))!.version).toBe('1.0');
    expect((await documentForSubject(t.suite.kernel.db, shop.id, stayer, 'terms', 'en'))!.version).toBe('2.0');
    // The customer who did not object is under 2.0 once it is in force: what they re-send is collected under 2.0.
    // (the IP and browser of the sign-up were not re-sent: they stay under 1.0).
    const stayerFields = await versionsOf(stayer);
    for (const f of ['email', 'firstname', 'lastname', 'city', 'tax_id']) expect(stayerFields[f]).toBe('2.0');
    expect(stayerFields.ip).toBe('1.0');

    // The retention rule limited to 1.0 still selects the rejecter's records, and not the newcomer's.
    const dry = await retentionCall(t.baseUrl, owner, shop.slug, 'POST', '/runs', { dryRun: true });
    expect(dry.status).toBe(201);
    const rule = (dry.body.run.report.brands[0].rules as Json[]).find((r) => r.ruleId === 'billing-under-v1')!;
    const selected = (rule.samples as Json[]).map((s) => s.subjectId);
    expect(selected).toContain(rejecter);
    expect(selected).not.toContain(newcomer);
    expect(selected).not.toContain(stayer);
  });
});
