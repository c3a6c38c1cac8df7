/**
 * The gateways' public pages are limited per address: beyond GATEWAY_ROUTE_LIMITS.pagesPerMinute requests to one page
 * in a minute, the next is 429 with Retry-After — for Stripe and PayPal alike, each counted on its own.
 */
import { GATEWAY_ROUTE_LIMITS } from '../../../modules/gateways/kit/client-pages';
import { StripeFixture } from './stripe/fixtures';

const f = new StripeFixture();
beforeAll(async () => {
  await f.start();
  await f.brand('shop', {}, { modules: { 'gateways/paypal': { enabled: true, webhookId: 'WH-LIMITS' } } });
}, 30_000);
afterAll(() => f.stop());

async function hammer(path: string): Promise<{ statuses: number[]; retryAfter: string | null }> {
  const statuses: number[] = [];
  let retryAfter: string | null = null;
  for (let i = 0; i <= GATEWAY_ROUTE_LIMITS.pagesPerMinute; i++) {
    const res = await fetch(`${f.t.baseUrl}${path}`);
    statuses.push(res.status);
    if (res.status === 429) retryAfter = res.headers.get('retry-after');
    await res.arrayBuffer();
  }
  return { statuses, retryAfter };
}

it.each(['stripe', 'paypal'])('a %s page answers 429 with Retry-After beyond its limit per address', async (g) => {
  const { statuses, retryAfter } = await hammer(`/b/shop/gateways/${g}/cancel?invoice=1`);
  expect(statuses.slice(0, GATEWAY_ROUTE_LIMITS.pagesPerMinute).every((s) => s === 200)).toBe(true);
  expect(statuses[GATEWAY_ROUTE_LIMITS.pagesPerMinute]).toBe(429);
  expect(Number(retryAfter)).toBeGreaterThan(0);
});
