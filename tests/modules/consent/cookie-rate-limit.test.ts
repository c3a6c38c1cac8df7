/** The open cookie endpoint is rate-limited per visitor IP, so nobody can flood the consent ledger. */
import { startTestSuite, createBrand, count, PROVIDER_PROFILE, type TestSuite } from '../../helpers/test-suite';

let t: TestSuite;

beforeAll(async () => {
  t = await startTestSuite();
  await createBrand(t.suite, 'shop', { profile: { ...PROVIDER_PROFILE, cookies: { mode: 'opt-in', categories: ['necessary', 'analytics'] } } });
});
afterAll(() => t.close());

it('MS-1: more than 60 cookie choices a minute from one IP are refused with 429 and write nothing', async () => {
  const send = (i: number) => fetch(`${t.baseUrl}/b/shop/consent/cookies`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ visitorId: `flood-visitor-${String(i).padStart(6, '0')}`, choices: { analytics: true, marketing: false, social: false }, bannerVersion: 'abcdef0123456789' }),
  });
  for (let i = 0; i < 60; i++) expect((await send(i)).status).toBe(200);
  const before = await count(t.suite, 'consent_ledger');
  const refused = await send(60);
  expect(refused.status).toBe(429);
  expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(((await refused.json()) as { code: string }).code).toBe('SUITE_RATE_LIMITED');
  expect(await count(t.suite, 'consent_ledger')).toBe(before);
});
