/**
 * The customer-facing endpoints under /b/:brand/ share one per-address budget (SUITE_PUBLIC_RATE_PER_MINUTE, counted in
 * the database), payment processors' webhooks aside; and the in-process token buckets RDAP is limited by.
 */
import { TokenBuckets } from '../../core/http/rate-limit';
import { createBrand, startTestSuite, type TestSuite } from '../helpers/test-suite';

let t: TestSuite;
const RATE = 4;

async function get(path: string, ip: string): Promise<Response> {
  return fetch(`${t.baseUrl}${path}`, { headers: { 'x-forwarded-for': ip } });
}

beforeAll(async () => {
  t = await startTestSuite({ config: { trustProxy: true, publicRatePerMinute: RATE } });
  await createBrand(t.suite, 'limit-shop');
});
afterAll(async () => {
  await t?.close();
});

describe('public endpoints per address', () => {
  it('the customer JSON endpoints answer 429 with Retry-After beyond SUITE_PUBLIC_RATE_PER_MINUTE, one budget across them', async () => {
    const ip = '203.0.113.21';
    // Unauthenticated JSON: the receipt-verification key and the cookie state (400 without a visitor: still counted).
    expect((await get('/b/limit-shop/consent/receipt-key', ip)).status).toBe(200);
    expect((await get('/b/limit-shop/consent/cookies', ip)).status).toBe(400);
    expect((await get('/b/limit-shop/consent/receipt-key', ip)).status).toBe(200);
    expect((await get('/b/limit-shop/consent/cookies', ip)).status).toBe(400);
    const over = await get('/b/limit-shop/consent/receipt-key', ip);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await over.json()) as { code: string }).code).toBe('SUITE_RATE_LIMITED');
    const rights = await fetch(`${t.baseUrl}/b/limit-shop/rights/requests`, { method: 'POST', headers: { 'x-forwarded-for': ip, 'content-type': 'application/json' }, body: '{}' });
    expect(rights.status).toBe(429);
    // Another address has its own budget.
    expect((await get('/b/limit-shop/consent/receipt-key', '203.0.113.22')).status).toBe(200);
  });

  it('a payment processor\'s webhook is not counted against the address budget (it has its own per-brand limit)', async () => {
    const ip = '203.0.113.23';
    for (let i = 0; i < RATE + 2; i++) {
      const r = await fetch(`${t.baseUrl}/b/limit-shop/stripe/webhook`, { method: 'POST', headers: { 'x-forwarded-for': ip, 'content-type': 'application/json' }, body: '{}' });
      expect(r.status).not.toBe(429);
    }
    expect((await get('/b/limit-shop/consent/receipt-key', ip)).status).toBe(200);
  });
});

describe('token buckets (RDAP)', () => {
  it('allow the rate per minute as a burst, refill evenly, say when to retry, and stay bounded', () => {
    let now = 0;
    const b = new TokenBuckets(60, 10, () => now);
    for (let i = 0; i < 60; i++) expect(b.take('a').allowed).toBe(true);
    expect(b.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(b.take('b').allowed).toBe(true);
    now += 1000; // one token a second
    expect(b.take('a').allowed).toBe(true);
    expect(b.take('a').allowed).toBe(false);
    const slow = new TokenBuckets(1, 10, () => now);
    expect(slow.take('x').allowed).toBe(true);
    expect(slow.take('x')).toEqual({ allowed: false, retryAfterSeconds: 60 });
    for (let i = 0; i < 25; i++) b.take(`k${i}`);
    expect(b.size).toBeLessThanOrEqual(10);
  });
});
