/**
 * The lean hook ingress answers exactly as the express route does (one shared handler): same status, headers and
 * bodies; bodies over 1 MB are refused with 413; compressed bodies go through express; 503 while draining; the
 * client IP and HTTPS are taken from X-Forwarded-* only under trust proxy.
 */
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { createLogger } from '../../core/logger';
import { hookIngress } from '../../core/http/hook-ingress';
import type { HookRequest } from '../../core/http/hook-handler';
import { signHook } from '../../core/http/signature';
import { count, createBrand, postHook, startTestSuite, type TestSuite } from '../helpers/test-suite';

let t: TestSuite;
let secret: string;

beforeAll(async () => {
  t = await startTestSuite();
  secret = await createBrand(t.suite, 'acme');
});
afterAll(() => t.close());

const headersOf = (res: Response) => Object.fromEntries([...res.headers.entries()].filter(([k]) => k !== 'date'));

describe('the lean hook ingress on a running suite', () => {
  it('answers like the express route: same status, headers and body (express serves unusual spellings of the path)', async () => {
    const body = JSON.stringify({ brand: 'acme', vars: { client_id: 1 } });
    const send = (path: string) => fetch(`${t.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'de' }, body });
    const lean = await send('/api/v1/hooks/ClientAdd');
    const viaExpress = await send('/api/v1/hooks/ClientAdd/');
    expect(lean.status).toBe(401);
    expect(viaExpress.status).toBe(401);
    expect(headersOf(lean)).toEqual(headersOf(viaExpress));
    expect(headersOf(lean)).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY', 'content-type': 'application/json; charset=utf-8' });
    expect(await lean.json()).toEqual(await viaExpress.json());
  });

  it('a body over 1 MB is refused with 413 and nothing is written, on both paths', async () => {
    const before = await count(t.suite, 'subjects');
    const big = JSON.stringify({ brand: 'acme', vars: { client_id: 2, notes: 'x'.repeat(1024 * 1024) } });
    const ts = Math.floor(Date.now() / 1000);
    const headers = { 'content-type': 'application/json', 'x-suite-timestamp': String(ts), 'x-suite-signature': signHook(secret, ts, big) };
    const lean = await fetch(`${t.baseUrl}/api/v1/hooks/ClientAdd`, { method: 'POST', headers, body: big });
    expect(lean.status).toBe(413);
    expect(((await lean.json()) as { code: string }).code).toBe('SUITE_BODY_TOO_LARGE');
    const gz = await fetch(`${t.baseUrl}/api/v1/hooks/ClientAdd`, { method: 'POST', headers: { ...headers, 'content-encoding': 'gzip' }, body: zlib.gzipSync(big) });
    expect(gz.status).toBe(413);
    expect(((await gz.json()) as { code: string }).code).toBe('SUITE_BODY_TOO_LARGE');
    expect(await count(t.suite, 'subjects')).toBe(before);
  });

  it('a gzip-compressed signed call is served through express, signed over the decompressed body', async () => {
    const raw = JSON.stringify({ brand: 'acme', vars: { client_id: 3, email: 'ada3@example.org' } });
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${t.baseUrl}/api/v1/hooks/ClientAdd`, {
      method: 'POST', body: zlib.gzipSync(raw),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-suite-timestamp': String(ts), 'x-suite-signature': signHook(secret, ts, raw), 'idempotency-key': 'gz-1' },
    });
    expect(res.status).toBe(200);
    const plain = await postHook(t.baseUrl, 'ClientAdd', secret, JSON.parse(raw), { headers: { 'idempotency-key': 'gz-1' } });
    expect(plain.headers.get('idempotent-replayed')).toBe('true');
    expect(plain.body).toEqual(await res.json());
  });
});

describe('hookIngress (unit)', () => {
  let server: Server;
  let base = '';
  let draining = false;
  const seen: HookRequest[] = [];

  beforeAll(async () => {
    const ingress = hookIngress({
      handle: async (req) => {
        seen.push(req);
        return { status: 200, replayed: false, json: '{"ok":true}' };
      },
      fallback: (_req, res) => { res.writeHead(299).end('fallback'); },
      isDraining: () => draining,
      trustProxy: false,
      log: createLogger('silent'),
    });
    server = http.createServer(ingress);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('serves only POST on the canonical hook path; everything else goes to the fallback', async () => {
    expect((await fetch(`${base}/api/v1/hooks/ClientAdd?x=1`, { method: 'POST', body: '{}' })).status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ name: 'ClientAdd' });
    expect(seen.at(-1)!.raw.toString()).toBe('{}');
    for (const [method, path] of [['GET', '/api/v1/hooks/ClientAdd'], ['POST', '/api/v1/hooks/Client%41dd'], ['POST', '/api/v1/hooks/ClientAdd/x'], ['POST', '/healthz']]) {
      expect((await fetch(`${base}${path}`, { method, body: method === 'POST' ? '{}' : undefined })).status).toBe(299);
    }
  });

  it('answers 503 with Connection: close while draining, without calling the handler', async () => {
    draining = true;
    const n = seen.length;
    try {
      const res = await fetch(`${base}/api/v1/hooks/ClientAdd`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(503);
      expect(res.headers.get('connection')).toBe('close');
      expect(await res.json()).toMatchObject({ ok: false, code: 'SUITE_SHUTTING_DOWN' });
      expect(seen).toHaveLength(n);
    } finally {
      draining = false;
    }
  });
});

describe('hookIngress behind a proxy', () => {
  const run = async (trustProxy: boolean) => {
    let got: HookRequest | undefined;
    const server = http.createServer(hookIngress({
      handle: async (req) => { got = req; return { status: 200, replayed: false, json: '{}' }; },
      fallback: (_req, res) => { res.end(); }, isDraining: () => false, trustProxy, log: createLogger('silent'),
    }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/hooks/ClientAdd`, {
        method: 'POST', body: '{}', headers: { 'x-forwarded-for': ' 198.51.100.7 , 10.0.0.1', 'x-forwarded-proto': 'https' },
      });
      return { ip: got?.ip, hsts: res.headers.get('strict-transport-security') };
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  };

  it('takes the client IP and HTTPS from X-Forwarded-* only when trust proxy is on', async () => {
    expect(await run(true)).toEqual({ ip: '198.51.100.7', hsts: 'max-age=31536000; includeSubDomains' });
    expect(await run(false)).toEqual({ ip: '127.0.0.1', hsts: null });
  });
});
