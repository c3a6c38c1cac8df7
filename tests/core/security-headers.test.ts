/**
 * MS-10: HTTPS answers carry Strict-Transport-Security — every answer of the express app (admin and module routes,
 * 404s, errors) as well as the lean hook ingress — and plain HTTP answers do not. HTTPS is a TLS socket, or
 * X-Forwarded-Proto: https under trust proxy. The express app's headers come from helmet and are exactly the set the
 * ingress writes (respond.ts), so the two paths stay alike.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createRequestListener } from '../../core/http/app';
import { HSTS, SECURITY_HEADERS } from '../../core/http/respond';
import type { Kernel } from '../../core/kernel';
import { testPki } from '../helpers/epp-test-pki';
import { createBrand, startTestSuite, type TestSuite } from '../helpers/test-suite';

let t: TestSuite;
let owner: string;
let tls: https.Server;
let tlsUrl: string;

/** Headers helmet sends by default that the suite leaves off (pages set their own CSP; the cookie banner is embedded cross-origin). */
const NOT_SENT = ['content-security-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy', 'cross-origin-embedder-policy', 'origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies', 'x-xss-protection', 'x-powered-by'];

function serveTls(kernel: Kernel): Promise<https.Server> {
  const pki = testPki();
  return new Promise((resolve) => {
    const s = https.createServer({ key: pki.serverKey, cert: pki.serverCert }, createRequestListener(kernel, t.suite.apiKeys, () => false));
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

/** One request over TLS (trusting the test certificate); answers status and headers. */
function overTls(base: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${base}${path}`, { method: init.method ?? 'GET', headers: init.headers, ca: testPki().serverCert }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])) }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

async function viaProxy(path: string, init: RequestInit & { headers?: Record<string, string> } = {}, proto = 'https'): Promise<{ status: number; headers: Record<string, string> }> {
  const res = await fetch(`${t.baseUrl}${path}`, { ...init, headers: { 'x-forwarded-proto': proto, ...init.headers } });
  await res.arrayBuffer();
  return { status: res.status, headers: Object.fromEntries(res.headers.entries()) };
}

beforeAll(async () => {
  t = await startTestSuite({ config: { trustProxy: true } });
  await createBrand(t.suite, 'acme');
  owner = (await t.suite.apiKeys.create({ role: 'owner' }, { type: 'cli', id: 'test' })).key;
  tls = await serveTls(t.suite.kernel);
  tlsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => tls.close(r));
  await t.close();
});

/** The requests every transport is tried with: an admin route, a module route, a 404, error answers, the hook API. */
const CASES: [string, string, { method?: string; headers?: Record<string, string>; body?: string }, number][] = [
  ['an admin route', '/api/v1/admin/modules', { headers: { authorization: 'Bearer OWNER' } }, 200],
  ['a module route', '/rdap/help', {}, 200],
  ['a 404', '/no/such/route', {}, 404],
  ['an error answer (no key)', '/api/v1/admin/brands', {}, 401],
  ['an error answer (bad JSON)', '/api/v1/admin/brands', { method: 'POST', headers: { authorization: 'Bearer OWNER', 'content-type': 'application/json' }, body: '{nope' }, 400],
  ['the hook API (lean ingress)', '/api/v1/hooks/ClientAdd', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"brand":"acme"}' }, 401],
  ['the hook API through express', '/api/v1/hooks/ClientAdd/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"brand":"acme"}' }, 401],
];
const withKey = (init: { headers?: Record<string, string> }) => ({ ...init, headers: Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k, v.replace('OWNER', owner)])) });

function expectSecurityHeaders(headers: Record<string, string>, hsts: boolean): void {
  for (const [k, v] of SECURITY_HEADERS) expect(headers[k.toLowerCase()]).toBe(v);
  if (hsts) expect(headers['strict-transport-security']).toBe(HSTS[1]);
  else expect(headers['strict-transport-security']).toBeUndefined();
  for (const h of NOT_SENT) expect(headers[h]).toBeUndefined();
}

describe('MS-10: HSTS on every HTTPS answer', () => {
  it.each(CASES)('MS-10: over TLS, %s carries Strict-Transport-Security', async (_label, path, init, status) => {
    const res = await overTls(tlsUrl, path, withKey(init));
    expect(res.status).toBe(status);
    expectSecurityHeaders(res.headers, true);
  });

  it.each(CASES)('MS-10: behind a TLS proxy (trust proxy, X-Forwarded-Proto: https), %s carries Strict-Transport-Security', async (_label, path, init, status) => {
    const res = await viaProxy(path, withKey(init) as RequestInit & { headers?: Record<string, string> });
    expect(res.status).toBe(status);
    expectSecurityHeaders(res.headers, true);
  });

  it.each(CASES)('MS-10: over plain HTTP, %s has the security headers but no Strict-Transport-Security', async (_label, path, init, status) => {
    const res = await viaProxy(path, withKey(init) as RequestInit & { headers?: Record<string, string> }, 'http');
    expect(res.status).toBe(status);
    expectSecurityHeaders(res.headers, false);
  });

  it('MS-10: without trust proxy, X-Forwarded-Proto: https is not believed (no HSTS on plain HTTP)', async () => {
    const k = t.suite.kernel;
    const kernel = Object.create(k, { config: { value: { ...k.config, trustProxy: false } } }) as Kernel;
    const server = await new Promise<http.Server>((resolve) => {
      const s = http.createServer(createRequestListener(kernel, t.suite.apiKeys, () => false)).listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const path of ['/no/such/route', '/api/v1/hooks/ClientAdd']) {
        const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'x-forwarded-proto': 'https', 'content-type': 'application/json' }, body: '{}' });
        await res.arrayBuffer();
        expect(res.headers.get('strict-transport-security')).toBeNull();
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('MS-10: over TLS the lean ingress and express answer a hook call with the same headers', async () => {
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"brand":"acme"}' };
    const lean = await overTls(tlsUrl, '/api/v1/hooks/ClientAdd', init);
    const viaExpress = await overTls(tlsUrl, '/api/v1/hooks/ClientAdd/', init);
    const strip = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).filter(([k]) => !['date', 'connection', 'keep-alive'].includes(k)));
    expect(strip(lean.headers)).toEqual(strip(viaExpress.headers));
  });
});
