/**
 * Property: every public and admin route (read from the routers themselves, so a new route is covered without
 * listing it), called with arbitrary path segments, ids, query strings, bodies and keys, never answers a 5xx, and a
 * call it refuses (4xx) writes nothing — except what a refused authentication is meant to write (the access watch
 * and its audit entry, MS-10). Runs on both engines; FC_SEED=<n> replays a run, FC_RUNS=<n> scales it.
 */
import express, { type Router } from 'express';
import fc from 'fast-check';
import { adminPagesRouter } from '../../core/http/admin-pages';
import { adminRouter } from '../../core/http/admin-routes';
import { changedTables, digest, emailAddress, fcParams, nastyString, nastyValue, settled } from '../helpers/adversarial';
import { startTestSuite, type TestSuite } from '../helpers/test-suite';
import { adminKey, rightsBrand, signUp } from '../modules/rights/fixtures';

jest.setTimeout(60_000);

let t: TestSuite;
let keys: Record<'owner' | 'auditor' | 'reseller', string>;
let state: Record<string, string>;

interface Route { method: string; path: string }

/** The routes a router declares (its own paths; mounts are added by the caller). */
function routesOf(mount: (r: Router) => void, prefix = ''): Route[] {
  const r = express.Router({ mergeParams: true });
  mount(r);
  const stack = (r as unknown as { stack: { route?: { path: unknown; methods: Record<string, boolean> } }[] }).stack;
  return stack.flatMap((l) => (l.route && typeof l.route.path === 'string'
    ? Object.keys(l.route.methods).filter((m) => m !== '_all').map((m) => ({ method: m.toUpperCase(), path: `${prefix}${l.route!.path as string}` }))
    : []));
}

function allRoutes(): Route[] {
  const k = t.suite.kernel;
  const out: Route[] = [];
  const admin = adminRouter(k, t.suite.apiKeys) as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  for (const l of admin.stack) if (l.route) for (const m of Object.keys(l.route.methods)) out.push({ method: m.toUpperCase(), path: l.route.path });
  const pages = adminPagesRouter(k) as unknown as typeof admin; // the admin panel's log-in, log-out and pages
  for (const l of pages.stack) if (l.route) for (const m of Object.keys(l.route.methods)) out.push({ method: m.toUpperCase(), path: l.route.path });
  for (const m of k.modules.list()) {
    if (m.routes?.root) out.push(...routesOf((r) => m.routes!.root!(r, k)));
    if (m.routes?.client) out.push(...routesOf((r) => m.routes!.client!(r, k), `/b/:brand/${m.name}`));
    if (m.routes?.admin) out.push(...routesOf((r) => m.routes!.admin!(r, k), `/api/v1/admin/brands/:brand/modules/${m.name}`));
  }
  out.push({ method: 'GET', path: '/healthz' }, { method: 'GET', path: '/no/such/route/:x' });
  return out;
}

beforeAll(async () => {
  t = await startTestSuite();
  await rightsBrand(t.suite, 'shop');
  await rightsBrand(t.suite, 'other');
  await rightsBrand(t.suite, 'shop-resale', { controller: { name: 'Resale BV', email: 'dpo@resale.example' } }, 'shop');
  for (let i = 1; i <= 3; i++) await signUp(t.suite, 'shop', i);
  keys = { owner: await adminKey(t.suite), auditor: await adminKey(t.suite, 'auditor'), reseller: await adminKey(t.suite, 'reseller', 'shop-resale') };
  state = await digest(t.suite);
});
afterAll(() => t.close());

/** A value for one path parameter: mostly one that exists, else anything. */
function param(name: string): fc.Arbitrary<string> {
  const raw = fc.oneof(nastyString, fc.constantFrom('%', '%zz', '%E0%A4%A', '%2F', '%00', '%C0%AF', '..'));
  const enc = nastyString.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?')));
  const known: Record<string, string[]> = {
    brand: ['shop', 'other', 'shop-resale', 'SHOP', 'shop%20', 'sh%C3%B6p'],
    id: ['1', '2', '3', '0', '0x1', '1e0', '01', '-1', '99999999999999999999'],
    domain: ['lovelace.com', 'example.org', 'xn--e1afmkfd.xn--p1ai', 'a..b', 'LOVELACE.COM.'],
    name: ['lovelace.com', 'example.org', 'consent', 'inventory'],
  };
  const likely = known[name] ?? known[/id$/i.test(name) ? 'id' : 'name'];
  return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...likely) }, { weight: 2, arbitrary: enc }, { weight: 1, arbitrary: raw.map((s) => s.replace(/[/?#\s]/g, '')) });
}

const query = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.dictionary(fc.constantFrom('limit', 'offset', 'active', 'state', 'status', 'brand', 'type', 'token', 'q', 'from', 'to', 'locale', 'category', 'kind'), fc.oneof(fc.constantFrom('1', '10', '0', '-1', '0x10', '1e3', 'true', 'open', 'en'), nastyString), { maxKeys: 3 })
    .map((d) => Object.entries(d).map(([k, v]) => `${k}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '?'))}`).join('&')) },
  { weight: 1, arbitrary: fc.constantFrom('a[b]=1', '__proto__[x]=1', 'limit=1&limit=2', 'limit[]=1', '%', 'x=%zz', 'active=%E0%A4%A') },
);

/** Bodies: route-shaped objects (the field names routes read, with plausible or adversarial values), any JSON, or not JSON. */
const FIELDS = ['scope', 'reason', 'expiresAt', 'subjectId', 'subjectIds', 'category', 'type', 'email', 'enabled', 'dryRun', 'ruleId', 'note',
  'slug', 'name', 'parent', 'profile', 'role', 'brand', 'label', 'decision', 'comment', 'days', 'recipient', 'purpose', 'domain', 'fields', 'changes',
  'code', 'kind', 'version', 'text', 'language', 'choices', 'analytics', 'marketing', 'id', 'status', 'publish', 'idProtection'];
const plausible = fc.oneof(fc.constantFrom('subject', 'brand', 'category', 'dispute', 'fraud', 'access', 'erase', 'contact', 'billing', 'approve', 'reject', 'owner', 'en', 'terms'),
  fc.integer({ min: 1, max: 5 }), fc.boolean(), emailAddress, fc.constant([1, 2]), fc.date({ min: new Date('2030-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString()));
const body = fc.oneof(
  { weight: 5, arbitrary: fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: nastyValue }), { maxKeys: 5 }).map((b) => ({ kind: 'json' as const, b })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((b) => ({ kind: 'json' as const, b })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json', ''), fc.oneof(nastyString, fc.constantFrom('{', '{"a":', 'a=1&b=2', '\u0000'))).map(([kind, b]) => ({ kind, b })) },
);

async function send(method: string, path: string, key: string | null, b: { kind: string; b: unknown } | undefined): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  let payload: string | undefined;
  if (b && method !== 'GET' && method !== 'HEAD') {
    if (b.kind === 'json') {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(b.b);
    } else {
      if (b.kind) headers['content-type'] = b.kind;
      payload = String(b.b);
    }
  }
  const res = await fetch(`${t.baseUrl}${path}`, { method, headers, body: payload, redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

/** What a refused authentication may write (MS-10: the access watch counts it and audits it once per window). */
const AUTH_WRITES = new Set(['access_failures', 'access_alerts', 'audit_log', 'chain_heads', 'admin_users']);
/** What any call may write, refused or not: a rate limit counts every request in its window (the count is the point). */
const COUNTED = new Set(['rate_limits']);

async function check(route: Route, path: string, key: string | null, b: { kind: string; b: unknown } | undefined): Promise<void> {
  const r = await send(route.method, path, key, b);
  // RFC 9082 has RDAP answer 501 for a query type it does not serve (entities, nameservers …): that is its contract.
  const rdapUnsupported = r.status === 501 && path.startsWith('/rdap/');
  if (r.status >= 500 && !rdapUnsupported) throw new Error(`${route.method} ${path} answered ${r.status}: ${r.text.slice(0, 300)}`);
  // An accepted write may start background work (a retention or erasure run): wait until it has stopped writing.
  const after = r.status < 400 && route.method !== 'GET' ? await settled(t.suite) : await digest(t.suite);
  const changed = changedTables(state, after).filter((x) => !COUNTED.has(x) && !([401, 403].includes(r.status) && AUTH_WRITES.has(x)));
  state = after;
  if (r.status >= 400 && changed.length) throw new Error(`${route.method} ${path} answered ${r.status} but wrote ${changed.join(', ')}: ${r.text.slice(0, 300)}`);
}

function fill(path: string, values: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_m, n: string) => values[n] ?? '1').replace(/\*/, values['*'] ?? 'x');
}

describe('every route, arbitrary input', () => {
  it('public and admin routes: never a 5xx; a refused call writes nothing', async () => {
    const routes = allRoutes();
    expect(routes.length).toBeGreaterThan(40);
    const names = [...new Set(routes.flatMap((r) => [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1])).concat('*'))];
    const params = fc.record(Object.fromEntries(names.map((n) => [n, param(n)])) as Record<string, fc.Arbitrary<string>>);
    const who = fc.oneof({ weight: 6, arbitrary: fc.constant('owner') }, { weight: 1, arbitrary: fc.constantFrom('auditor', 'reseller', 'none', 'wrong') });
    await fc.assert(fc.asyncProperty(fc.constantFrom(...routes), params, query, fc.option(body, { nil: undefined }), who, fc.integer({ min: 0, max: 19 }), async (route, values, q, b, w, dice) => {
      const method = dice === 0 ? 'DELETE' : route.method;
      const key = w === 'none' ? null : w === 'wrong' ? 'psk_not_a_key' : keys[w as keyof typeof keys];
      await check({ ...route, method }, `${fill(route.path, values)}${q ? `?${q}` : ''}`, key, b);
    }), fcParams(250));
  });
});
