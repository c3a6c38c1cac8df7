/** The demo fills all five demo brands (and the reseller) through the platform lifecycle. */
import { startTestSuite, count, type TestSuite } from '../../helpers/test-suite';
import { runDemo } from '../../../scripts/demo';
import { DEMO_BRANDS } from '../../../scripts/demo/demo-brands';

let t: TestSuite;

beforeAll(async () => {
  t = await startTestSuite({ http: false });
});
afterAll(() => t.close());

const SLUGS = ['masterserver', 'websoftmaster', 'websoftmaster-reseller', 'server-pro', 'tos-provider', 'email-server-management'];

describe('demo', () => {
  it('a demo run fills all five demo brands with customers, orders, payments, domains, a cancellation, a closed account and an abuse complaint', async () => {
    const progress: string[] = [];
    const result = await runDemo(t.suite, { customersPerBrand: 4, onProgress: (m) => progress.push(m) });
    expect(result.brands.map((b) => b.slug)).toEqual(SLUGS);
    expect(DEMO_BRANDS.map((b) => b.slug)).toEqual(SLUGS);
    for (const b of result.brands) {
      // Email Server Management's policy names no registrar, so that brand sells no domains (MS-5.1: no unregistered recipient).
      const registered = b.slug === 'email-server-management' ? 0 : 4;
      expect(b).toMatchObject({ created: true, skipped: false, customers: 4, invoices: 4, paid: 4, domains: registered, registered, cancellations: 1, closed: 1, vetoed: 0, rightsRequests: 3 });
      expect(b.hookSecret).toMatch(/^whsec_/);
      expect(b.thirdPartyPayers).toBeGreaterThan(0);
      const brand = await t.suite.kernel.brands.get(b.slug);
      expect(Number((await t.suite.kernel.db('platform_clients').where({ brand_id: brand.id }).count({ n: '*' }).first())!.n)).toBe(4);
      expect(await t.suite.kernel.db('subjects').where({ brand_id: brand.id, kind: 'payer' }).first()).toBeDefined();
    }
    const reseller = await t.suite.kernel.brands.get('websoftmaster-reseller');
    expect(reseller.kind).toBe('reseller');
    const esm = result.brands.find((b) => b.slug === 'email-server-management')!;
    expect(esm).toMatchObject({ abuseComplaints: 1, suspended: 1 });
    expect(result.totals.customers).toBe(24);
    // The rights queue has something to show: a verified access request, a confirmation waiting for verification,
    // an objection already answered; a reseller customer's requests sit in the reseller's own queue (WSM-25).
    expect(await t.suite.kernel.db('rights_requests').where({ type: 'access', status: 'verified' }).count({ n: '*' }).first()).toEqual({ n: 6 });
    expect(await t.suite.kernel.db('rights_requests').where({ type: 'object', status: 'fulfilled' }).count({ n: '*' }).first()).toEqual({ n: 6 });
    expect(await t.suite.kernel.db('rights_requests').where({ brand_id: reseller.id, queue_brand_id: reseller.id }).count({ n: '*' }).first()).toEqual({ n: 3 });
    expect(await count(t.suite, 'platform_clients')).toBe(24);
    // Progress never carries personal data; emails only on example.org / .test.
    expect(progress.join('\n')).not.toMatch(/@/);
    const emails = (await t.suite.kernel.db('subject_fields').where({ field: 'email' }).select('value_enc'));
    for (const e of emails) expect(await t.suite.kernel.keyring.decrypt(e.value_enc)).toMatch(/@(example\.org|[a-z0-9-]+\.test)$/);
  });

  it('a second run leaves the filled brands as they are', async () => {
    const before = await count(t.suite, 'platform_clients');
    const again = await runDemo(t.suite, { customersPerBrand: 4, onProgress: () => undefined });
    expect(again.brands.every((b) => !b.created && b.skipped)).toBe(true);
    expect(await count(t.suite, 'platform_clients')).toBe(before);
  });
});
