/**
 * Rate limits for pages and forms (core/http/rate-limit.ts): express-rate-limit counting in the database, so two
 * instances of the suite on one database share a client's window; over the limit: 429 SUITE_RATE_LIMITED with
 * Retry-After. The client's IP is not stored, only a keyed hash.
 */
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import express from 'express';
import { errorHandler } from '../../core/http/respond';
import { rateLimit } from '../../core/http/rate-limit';
import type { Kernel } from '../../core/kernel';
import { createBrand, startTestSuite, type TestSuite } from '../helpers/test-suite';

let a: TestSuite;
let b: TestSuite;
const servers: http.Server[] = [];

/** An app of one instance with a page limited to 3 a minute. */
async function serve(kernel: Kernel): Promise<string> {
  const app = express();
  app.get('/page', rateLimit(kernel, { name: 'test-page', max: 3, windowMs: 60_000 }), (_req, res) => {
    res.send('ok');
  });
  app.get('/other', rateLimit(kernel, { name: 'test-other', max: 3, windowMs: 60_000 }), (_req, res) => {
    res.send('ok');
  });
  app.use(errorHandler(kernel.log));
  const server = await new Promise<http.Server>((r) => { const s = app.listen(0, '127.0.0.1', () => r(s)); });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  a = await startTestSuite({ http: false });
  b = await startTestSuite({ http: false, db: a.db });
});
afterAll(async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  await b.close();
  await a.close();
});

describe('rate limits across instances', () => {
  it('two instances on one database share the window: the 4th request, on either, gets 429 with Retry-After', async () => {
    const [urlA, urlB] = [await serve(a.suite.kernel), await serve(b.suite.kernel)];
    expect((await fetch(`${urlA}/page`)).status).toBe(200);
    expect((await fetch(`${urlB}/page`)).status).toBe(200);
    expect((await fetch(`${urlA}/page`)).status).toBe(200);
    const refused = await fetch(`${urlB}/page`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(((await refused.json()) as { code: string }).code).toBe('SUITE_RATE_LIMITED');
    expect((await fetch(`${urlA}/page`)).status).toBe(429);
    // Another limiter counts on its own.
    expect((await fetch(`${urlA}/other`)).status).toBe(200);
  });

  it('the database keeps a keyed hash of the client, not its IP', async () => {
    const rows = (await a.suite.kernel.db('rate_limits').select('bucket')) as { bucket: string }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.bucket).not.toContain('127.0.0.1');
  });
});

describe('public pages are limited', () => {
  it('the 61st unsubscribe page in a minute from one IP gets 429 with Retry-After', async () => {
    const web = await startTestSuite({ db: a.db });
    try {
      await createBrand(web.suite, 'limited');
      const get = () => fetch(`${web.baseUrl}/b/limited/consent/unsubscribe?token=x`);
      for (let i = 0; i < 60; i++) expect((await get()).status).toBe(401);
      const refused = await get();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await web.suite.stop();
    }
  });
});
