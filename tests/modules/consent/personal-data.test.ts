/** The consent module's personal-data provider: export one subject's consents; erase their personal fields while the ledger stays as proof. */
import { startTestSuite, createBrand, PROVIDER_PROFILE, type TestSuite } from '../../helpers/test-suite';
import { consentChain, recordConsent } from '../../../modules/consent/ledger/consent-ledger';
import { createSignedLink } from '../../../core/links/signed-link';
import { COOKIE_SUBJECT_LINK } from '../../../modules/consent/cookies/cookie-choice';
import { isSuppressed, suppress, suppressionKey } from '../../../modules/consent/marketing/suppression';
import { consentPersonalData } from '../../../modules/consent/personal-data';
import consentModule from '../../../modules/consent';

let t: TestSuite;
let brandId: number;
let ada: number;
let bob: number;
const IP = '203.0.113.77';
const UA = 'Mozilla/5.0 (ErasureCheck; rv:1) Ada-Unique-Agent';

beforeAll(async () => {
  t = await startTestSuite();
  await createBrand(t.suite, 'pd', { profile: { ...PROVIDER_PROFILE, cookies: { mode: 'opt-in', categories: ['necessary', 'analytics', 'marketing'] } } });
  const k = t.suite.kernel;
  brandId = (await k.brands.get('pd')).id;
  const profile = await k.brands.profile(await k.brands.get('pd'));
  await k.keyring.activeKeyId();
  await k.db.transaction(async (trx) => {
    ada = (await k.subjects.upsert(trx, { brandId, kind: 'client', externalId: 1, fields: { email: 'Ada@Example.org', phonenumber: '+44 20 7946 0000' } })).id;
    bob = (await k.subjects.upsert(trx, { brandId, kind: 'client', externalId: 2, fields: { email: 'bob@example.org' } })).id;
    for (const [subjectId, action] of [[ada, 'given'], [ada, 'withdrawn'], [bob, 'given']] as const) {
      await recordConsent(k, trx, profile, { brandId, subjectId, purpose: 'marketing:email', action, method: 'checkbox', channel: 'web', collectionPoint: 'registration', ip: IP, userAgent: UA });
    }
    await suppress(k, trx, brandId, 'email', 'ada@example.org', 'unsubscribe');
    await trx('consent_tokens').insert({ token_hash: 'a'.repeat(64), brand_id: brandId, subject_id: ada, purpose: 'double-opt-in', expires_at: Date.now() + 86_400_000, used_at: null });
    const receipt = (await trx('consent_ledger').where({ subject_id: ada }).orderBy('seq', 'desc').first('receipt_id')) as { receipt_id: string };
    await trx('consent_withdrawals').insert({ brand_id: brandId, subject_id: ada, receipt_id: receipt.receipt_id, status: 'open', created_at: Date.now() });
  });
  const token = createSignedLink(k, { brandId, subjectId: ada, purpose: COOKIE_SUBJECT_LINK, expiresAt: Date.now() + 60_000 });
  const res = await fetch(`${t.baseUrl}/b/pd/consent/cookies`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': UA, 'sec-gpc': '1' },
    body: JSON.stringify({ visitorId: 'adavisitor000001', choices: { analytics: true, marketing: true, social: false }, bannerVersion: 'abcdef0123456789', subjectToken: token }),
  });
  expect(res.status).toBe(200);
});
afterAll(() => t.close());

/** Every consent table row that still holds Ada's IP or user agent, as plaintext or as ciphertext of it. */
async function tracesOfAda(): Promise<string[]> {
  const k = t.suite.kernel;
  const found: string[] = [];
  for (const table of ['consent_ledger', 'consent_state', 'consent_suppression', 'consent_tokens', 'consent_withdrawals']) {
    for (const row of (await k.db(table)) as Record<string, unknown>[]) {
      for (const [col, value] of Object.entries(row)) {
        if (typeof value !== 'string') continue;
        const plain = value.startsWith('v1.') ? k.keyring.decryptSync(value) : value;
        if ((plain === IP || plain === UA || plain.includes('Ada-Unique-Agent')) && (table !== 'consent_ledger' || Number(row.subject_id) === ada)) found.push(`${table}.${col}`);
      }
    }
  }
  return found;
}

describe('consent personal data', () => {
  it('the module uses this provider', () => {
    expect(consentModule.personalData).toBe(consentPersonalData);
  });

  it('MS-8f: export lists consent state, every receipt with IP and user agent, suppression per channel and open withdrawals', async () => {
    const out = await consentPersonalData.export(ada, { kernel: t.suite.kernel });
    const receipts = out.receipts as { purpose: string; action: string; method: string; ip: string | null; userAgent: string | null; subjectId: number }[];
    expect(receipts.map((r) => `${r.purpose}:${r.action}:${r.method}`)).toEqual([
      'marketing:email:given:checkbox', 'marketing:email:withdrawn:checkbox',
      'sale-sharing:withdrawn:gpc', 'cookies:analytics:given:banner', 'cookies:marketing:rejected:banner',
    ]);
    expect(receipts[0]).toMatchObject({ ip: IP, userAgent: UA, subjectId: ada });
    expect(receipts[3].userAgent).toBe(UA);
    expect((out.state as { purpose: string; action: string }[]).map((s) => `${s.purpose}:${s.action}`).sort()).toEqual([
      'cookies:analytics:given', 'cookies:marketing:rejected', 'marketing:email:withdrawn', 'sale-sharing:withdrawn',
    ]);
    expect(out.suppression).toEqual({ email: 'suppressed: yes', sms: 'suppressed: no', phone: 'suppressed: no' });
    expect(out.openWithdrawals).toEqual([expect.objectContaining({ status: 'open' })]);
    expect(out.pendingTokens).toEqual([expect.objectContaining({ purpose: 'double-opt-in', used: false })]);
    expect(JSON.stringify(out)).not.toContain(suppressionKey(t.suite.kernel, 'email', 'ada@example.org')); // the hash itself is not personal data
  });

  it('MS-8f: erase keeps the ledger as proof but removes IP and user agent, and the chain still verifies', async () => {
    const k = t.suite.kernel;
    const before = Number(((await k.db('consent_ledger').count({ n: '*' }).first()) as { n: number }).n);
    expect(await tracesOfAda()).not.toEqual([]);
    const brand = await k.brands.getById((await k.subjects.get(ada)).brandId);
    const result = await k.db.transaction((trx) => consentPersonalData.erase(ada, { kernel: k, trx, brand }));
    expect(result.erased).toBeGreaterThan(0);
    expect(result.kept.join(' ')).toMatch(/hash chain/);
    expect(result.kept.join(' ')).toMatch(/suppression/);
    expect(Number(((await k.db('consent_ledger').count({ n: '*' }).first()) as { n: number }).n)).toBe(before);
    expect((await consentChain.verify(k.db)).ok).toBe(true);
    expect(await tracesOfAda()).toEqual([]);
    const rows = await k.db('consent_ledger').where({ subject_id: ada });
    expect(rows.length).toBe(5);
    expect(rows.every((r) => r.ip_enc === null && r.ua_enc === null)).toBe(true);
    expect(await k.db('consent_state').where({ subject_id: ada })).toEqual([]);
    expect(await k.db('consent_tokens').where({ subject_id: ada })).toEqual([]);
    const bobRows = await k.db('consent_ledger').where({ subject_id: bob });
    expect(k.keyring.decryptSync(bobRows[0].ip_enc)).toBe(IP); // other subjects untouched
  });

  it('MS-7.1: the suppression list survives erasure, and the erased person\'s addresses are on it', async () => {
    const k = t.suite.kernel;
    expect(await isSuppressed(k, k.db, brandId, 'email', 'ada@example.org')).toBe(true);
    expect(await isSuppressed(k, k.db, brandId, 'sms', '+442079460000')).toBe(true);
    expect(await isSuppressed(k, k.db, brandId, 'email', 'bob@example.org')).toBe(false);
    const out = await consentPersonalData.export(ada, { kernel: k });
    expect(out.receipts).toHaveLength(5);
    expect((out.receipts as { ip: string | null }[]).every((r) => r.ip === null)).toBe(true);
  });
});
