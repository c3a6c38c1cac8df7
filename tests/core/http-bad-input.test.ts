/**
 * Bad input at the HTTP edge never answers 5xx: malformed %-escapes, bodies the parser refuses, non-numeric ids and
 * limits, lone UTF-16 surrogates (which would break a hash chain) and other spellings of a brand slug each get a
 * coded 4xx, write nothing, and rate limits key on the brand, not on how its slug was typed.
 */
import zlib from 'node:zlib';
import { auditChain } from '../../core/audit/audit-log';
import { disclosureChain } from '../../core/registers/disclosure-log';
import { signHook } from '../../core/http/signature';
import { count, createBrand, postHook, PROVIDER_PROFILE, startTestSuite, type TestSuite } from '../helpers/test-suite';
import { rightsBrand } from '../modules/rights/fixtures';
import { registrantBrand, whmcsParams } from '../modules/registrant/fixtures';
import { PUBLIC_LIMITS } from '../../modules/rights/http/public-routes';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are read field by field in assertions
type Json = Record<string, any>;

let t: TestSuite;
let acmeSecret: string;
let regSecret: string;
let owner: string;

const COOKIE_PROFILE = { ...PROVIDER_PROFILE, cookies: { mode: 'opt-in', categories: ['necessary', 'analytics'] } };

beforeAll(async () => {
  t = await startTestSuite();
  acmeSecret = await createBrand(t.suite, 'acme', { profile: COOKIE_PROFILE });
  await createBrand(t.suite, 'cz', { profile: COOKIE_PROFILE });
  await rightsBrand(t.suite, 'fz');
  await rightsBrand(t.suite, 'rx');
  regSecret = await registrantBrand(t.suite, 'reg-shop');
  owner = (await t.suite.apiKeys.create({ role: 'owner' }, { type: 'cli', id: 'test' })).key;
  // Subject 1 exists, so an id read as 1 (`0x1`) would find it.
  expect((await postHook(t.baseUrl, 'ClientAdd', acmeSecret, { brand: 'acme', vars: { client_id: 1, email: 'ada1@example.org' } })).status).toBe(200);
});
afterAll(() => t.close());

async function call(method: string, path: string, opts: { headers?: Record<string, string>; body?: string | Buffer; key?: string } = {}): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  const res = await fetch(`${t.baseUrl}${path}`, { method, headers, body: opts.body });
  const text = await res.text();
  let body: Json = {};
  try {
    body = JSON.parse(text) as Json;
  } catch {
    body = { text };
  }
  return { status: res.status, body };
}

/** Row counts of the tables a refused call must leave alone. */
async function written(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['audit_log', 'disclosure_log', 'consent_ledger', 'subjects', 'outbox', 'rights_requests', 'idempotency_keys', 'hook_failures']) out[table] = await count(t.suite, table);
  return out;
}

/** Brands whose slug the database finds equal to `slug`. */
async function slugMatches(slug: string): Promise<number> {
  const r = (await t.suite.kernel.db('brands').where({ slug }).count({ n: '*' }).first()) as { n: number | string };
  return Number(r.n);
}

/** A signed hook call with a raw body and extra headers, on the lean ingress (`/…/Name`) or through express (`/…/Name/`). */
function signedHook(name: string, raw: string, headers: Record<string, string> = {}, body: string | Buffer = raw): Promise<{ status: number; body: Json }> {
  const ts = Math.floor(Date.now() / 1000);
  return call('POST', `/api/v1/hooks/${name}`, { body, headers: { 'content-type': 'application/json', 'x-suite-timestamp': String(ts), 'x-suite-signature': signHook(acmeSecret, ts, raw), ...headers } });
}

describe('malformed %-escapes in a path segment', () => {
  it('answer 400 SUITE_PATH_MALFORMED on every router (RDAP, brand pages, hooks, admin) and write nothing', async () => {
    const before = await written();
    const cases: [string, string, string?][] = [
      ['GET', '/rdap/domain/%C0%AE'],
      ['GET', '/rdap/domain/%'],
      ['GET', '/b/%ZZ/consent/cookies'],
      ['POST', '/b/%E0%A4%A/rights/requests'],
      ['POST', '/api/v1/hooks/%E0%A4%A'],
      ['POST', '/api/v1/hooks/Client%ZZAdd'],
      ['GET', '/api/v1/admin/subjects/%ZZ', owner],
      ['GET', '/api/v1/admin/brands/%C0%AE/profile', owner],
      ['GET', '/api/v1/admin/brands/acme/modules/rights/requests/%ED%A0%80', owner],
    ];
    for (const [method, path, key] of cases) {
      const res = await call(method, path, { key, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 400, code: 'SUITE_PATH_MALFORMED' });
    }
    expect(await written()).toEqual(before);
  });

  it('the hook path answers the same on the lean ingress and through express, in the caller\'s language', async () => {
    const lean = await call('POST', '/api/v1/hooks/%E0%A4%A', { headers: { 'accept-language': 'de' }, body: '{}' });
    const viaExpress = await call('POST', '/api/v1/hooks/%E0%A4%A/', { headers: { 'accept-language': 'de' }, body: '{}' });
    expect(lean).toEqual(viaExpress);
    expect(lean.body.error).toBe('Der Anfragepfad enthält eine fehlerhafte %-Kodierung.');
  });
});

describe('bodies the parser refuses', () => {
  const choice = JSON.stringify({ visitorId: 'visitor000000000001', choices: { analytics: true, marketing: false, social: false }, bannerVersion: 'abcdef0123456789' });

  it('an unsupported Content-Encoding answers 415 SUITE_BODY_ENCODING_UNSUPPORTED on JSON routes and on both hook paths', async () => {
    const before = await written();
    for (const encoding of ['br', 'x-unknown']) {
      const cookie = await call('POST', '/b/acme/consent/cookies', { headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body: choice });
      expect([cookie.status, cookie.body.code]).toEqual([415, 'SUITE_BODY_ENCODING_UNSUPPORTED']);
      const admin = await call('PUT', '/api/v1/admin/brands/acme/profile', { key: owner, headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body: '{}' });
      expect([admin.status, admin.body.code]).toEqual([415, 'SUITE_BODY_ENCODING_UNSUPPORTED']);
      const raw = JSON.stringify({ brand: 'acme', vars: { client_id: 2, email: 'ada2@example.org' } });
      const lean = await signedHook('ClientAdd', raw, { 'content-encoding': encoding });
      const viaExpress = await signedHook('ClientAdd/', raw, { 'content-encoding': encoding });
      expect([lean.status, lean.body.code]).toEqual([415, 'SUITE_BODY_ENCODING_UNSUPPORTED']);
      expect(viaExpress).toEqual(lean);
    }
    expect(await written()).toEqual(before);
  });

  it('gzip that does not decompress answers 400 SUITE_BODY_UNREADABLE', async () => {
    const before = await written();
    const broken = Buffer.concat([zlib.gzipSync(choice).subarray(0, 12), Buffer.from('not deflate data at all')]);
    const cookie = await call('POST', '/b/acme/consent/cookies', { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: broken });
    expect([cookie.status, cookie.body.code]).toEqual([400, 'SUITE_BODY_UNREADABLE']);
    const hook = await signedHook('ClientAdd', '{}', { 'content-encoding': 'gzip' }, broken);
    expect([hook.status, hook.body.code]).toEqual([400, 'SUITE_BODY_UNREADABLE']);
    const deflate = await call('PUT', '/api/v1/admin/brands/acme/profile', { key: owner, headers: { 'content-type': 'application/json', 'content-encoding': 'deflate' }, body: Buffer.from('garbage') });
    expect([deflate.status, deflate.body.code]).toEqual([400, 'SUITE_BODY_UNREADABLE']);
    expect(await written()).toEqual(before);
  });

  it('JSON in a charset other than UTF-8 answers 415 SUITE_BODY_CHARSET_UNSUPPORTED, on JSON routes and both hook paths', async () => {
    const before = await written();
    for (const charset of ['latin1', 'utf-16', 'x-nonsense']) {
      const cookie = await call('POST', '/b/acme/consent/cookies', { headers: { 'content-type': `application/json; charset=${charset}` }, body: choice });
      expect([charset, cookie.status, cookie.body.code]).toEqual([charset, 415, 'SUITE_BODY_CHARSET_UNSUPPORTED']);
      const rights = await call('POST', '/b/rx/rights/requests', { headers: { 'content-type': `application/json; charset=${charset}` }, body: JSON.stringify({ type: 'access', email: 'c@example.org' }) });
      expect([rights.status, rights.body.code]).toEqual([415, 'SUITE_BODY_CHARSET_UNSUPPORTED']);
      const raw = JSON.stringify({ brand: 'acme', vars: { client_id: 3, email: 'ada3@example.org' } });
      const lean = await signedHook('ClientAdd', raw, { 'content-type': `application/json; charset=${charset}` });
      const viaExpress = await signedHook('ClientAdd/', raw, { 'content-type': `application/json; charset=${charset}` });
      expect([lean.status, lean.body.code]).toEqual([415, 'SUITE_BODY_CHARSET_UNSUPPORTED']);
      expect(viaExpress).toEqual(lean);
    }
    // UTF-8, however it is spelled, is accepted.
    const ok = await call('POST', '/b/acme/consent/cookies', { headers: { 'content-type': 'application/json; charset="UTF-8"' }, body: choice });
    expect(ok.status).toBe(200);
    const after = await written();
    expect({ ...after, consent_ledger: before.consent_ledger, audit_log: before.audit_log }).toEqual(before);
  });

  it('a form body in UTF-16 answers 415, and more than 1,000 form fields 413 SUITE_BODY_TOO_MANY_FIELDS', async () => {
    const before = await written();
    const utf16 = await call('POST', '/b/acme/consent/unsubscribe', { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-16' }, body: Buffer.from('token=abc', 'utf16le') });
    expect([utf16.status, utf16.body.code]).toEqual([415, 'SUITE_BODY_CHARSET_UNSUPPORTED']);
    const many = await call('POST', '/b/acme/consent/unsubscribe', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Array.from({ length: 1001 }, () => 'f').join('&') });
    expect([many.status, many.body.code]).toEqual([413, 'SUITE_BODY_TOO_MANY_FIELDS']);
    expect(await written()).toEqual(before);
  });
});

describe('numeric ids and list limits', () => {
  const BAD_IDS = ['abc', '1e309', '1e0', '0x1', '-1', '1.5', '0', '01', '%201', '1%20', '9007199254740992', '99999999999999999999'];

  it('an id that is not plain digits from 1 to 2^53-1 answers 400 naming `id`, on every admin and module route that takes one', async () => {
    const admin = '/api/v1/admin/brands/acme/modules';
    const routes: [string, (id: string) => string, string?][] = [
      ['GET', (id) => `/api/v1/admin/subjects/${id}`],
      ['POST', (id) => `/api/v1/admin/outbox/${id}/retry`],
      ['GET', (id) => `${admin}/rights/requests/${id}`],
      ['POST', (id) => `${admin}/rights/requests/${id}/fulfil`],
      ['POST', (id) => `${admin}/rights/requests/${id}/extend`, JSON.stringify({ businessDays: 5, reason: 'complex request' })],
      ['GET', (id) => `${admin}/rights/disclosures/${id}`],
      ['GET', (id) => `${admin}/rights/erasure-runs/${id}`],
      ['GET', (id) => `${admin}/rights/subjects/${id}/restriction`],
      ['GET', (id) => `${admin}/retention/runs/${id}`],
      ['POST', (id) => `${admin}/retention/holds/${id}/release`],
      ['PUT', (id) => `${admin}/consent/withdrawals/${id}`, JSON.stringify({ status: 'resolved' })],
      ['POST', (id) => `${admin}/consent/subjects/${id}/withdraw-link`],
      ['GET', (id) => `/b/acme/rights/requests/${id}/status?token=x`],
      ['GET', (id) => `/b/acme/rights/exports/${id}?token=${'a'.repeat(43)}`],
    ];
    const before = await written();
    for (const [method, path, body] of routes) {
      for (const id of BAD_IDS) {
        const res = await call(method, path(id), { key: owner, headers: { 'content-type': 'application/json' }, body: body ?? (method === 'GET' ? undefined : '{}') });
        expect({ route: path(':id'), id, status: res.status, code: res.body.code, fields: res.body.fields?.map((f: { field: string }) => f.field) })
          .toEqual({ route: path(':id'), id, status: 400, code: 'SUITE_VALIDATION_FAILED', fields: ['id'] });
      }
    }
    expect(await written()).toEqual(before);
    // A well-formed id still reads the subject (and that read is audited).
    expect((await call('GET', '/api/v1/admin/subjects/1', { key: owner })).status).toBe(200);
  });

  it('?limit= that is not a whole number from 1 to 1000 answers 400 naming `limit`; a good one is honoured', async () => {
    for (const limit of ['-1', 'abc', '0', '1.5', '1e2', '0x10', '1001', '']) {
      const res = await call('GET', `/api/v1/admin/audit?limit=${limit}`, { key: owner });
      expect({ limit, status: res.status, fields: res.body.fields?.map((f: { field: string }) => f.field) }).toEqual({ limit, status: 400, fields: ['limit'] });
    }
    const twice = await call('GET', '/api/v1/admin/audit?limit=1&limit=2', { key: owner });
    expect(twice.status).toBe(400);
    const ok = await call('GET', '/api/v1/admin/audit?limit=2', { key: owner });
    expect(ok.status).toBe(200);
    expect(ok.body.entries).toHaveLength(2);
  });
});

describe('lone UTF-16 surrogates and hash chains', () => {
  it('MS-5.1 / SP-8: a hook variable holding a lone surrogate is refused with 400 naming it, on both hook paths; nothing is written', async () => {
    const before = await written();
    const body = { brand: 'reg-shop', vars: { params: whmcsParams(41, 'lovelace', '\ud800') } };
    const raw = JSON.stringify(body);
    expect(raw).toContain('\\ud800'); // JSON.stringify escapes it: what a PHP client sends
    const ts = Math.floor(Date.now() / 1000);
    const headers = { 'content-type': 'application/json', 'x-suite-timestamp': String(ts), 'x-suite-signature': signHook(regSecret, ts, raw) };
    for (const path of ['/api/v1/hooks/PreRegistrarRegisterDomain', '/api/v1/hooks/PreRegistrarRegisterDomain/']) {
      const res = await call('POST', path, { headers, body: raw });
      expect({ path, status: res.status, code: res.body.code, fields: res.body.fields?.map((f: { field: string }) => f.field) })
        .toEqual({ path, status: 400, code: 'SUITE_VALIDATION_FAILED', fields: ['vars.params.tld'] });
    }
    // A lone low surrogate in a key is refused too.
    const keyed = await postHook(t.baseUrl, 'ClientAdd', acmeSecret, { brand: 'acme', vars: { client_id: 42, ['x\udc00']: 'y' } });
    expect(keyed.status).toBe(400);
    // The signed registrant endpoint checks the same.
    const signed = JSON.stringify({ brand: 'reg-shop', params: whmcsParams(41, 'lovelace', 'com', { city: 'Lon\udbffdon' }) });
    const sts = Math.floor(Date.now() / 1000);
    const contacts = await call('POST', '/api/v1/registrant/contacts', { body: signed, headers: { 'content-type': 'application/json', 'x-suite-timestamp': String(sts), 'x-suite-signature': signHook(regSecret, sts, signed) } });
    expect([contacts.status, contacts.body.fields?.[0]?.field]).toEqual([400, 'params.city']);
    expect(await written()).toEqual(before);
  });

  it('a JSON route (public or admin) refuses a lone surrogate with 400 naming the field and writes nothing', async () => {
    const before = await written();
    const bad = await call('POST', '/b/rx/rights/requests', { headers: { 'content-type': 'application/json' }, body: '{"type":"access","email":"s@example.org","message":"hi \\udead"}' });
    expect([bad.status, bad.body.fields?.map((f: { field: string }) => f.field)]).toEqual([400, ['message']]);
    const admin = await call('PUT', '/api/v1/admin/brands/acme/profile', { key: owner, headers: { 'content-type': 'application/json' }, body: '{"controller":{"name":"X\\ud83d","email":"a@example.org"}}' });
    expect([admin.status, admin.body.fields?.map((f: { field: string }) => f.field)]).toEqual([400, ['controller.name']]);
    expect(await written()).toEqual(before);
  });

  it('SP-8: the chain writer stores and hashes the same text, so `ledger verify` stays clean after accepted calls', async () => {
    const accepted = await postHook(t.baseUrl, 'PreRegistrarRegisterDomain', regSecret, { brand: 'reg-shop', vars: { params: whmcsParams(43, 'babbage', 'com', { address2: 'Flat 😀 3' }) } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.abortWithError).toBeUndefined();
    // Code that hands the writer ill-formed text (not from the edge) cannot break the chain either: it is kept as U+FFFD.
    const brandId = (await t.suite.kernel.brands.get('acme')).id;
    await t.suite.kernel.audit.record({ brandId, actor: { type: 'cli', id: 'test' }, action: 'test.surrogate', targetType: 'test', targetId: 'a\ud800b\udfff' });
    const row = (await t.suite.kernel.db('audit_log').where({ action: 'test.surrogate' }).first()) as { target_id: string };
    expect(row.target_id).toBe('a\ufffdb\ufffd');
    expect((await auditChain.verify(t.suite.kernel.db, { workers: 1 })).ok).toBe(true);
    for (const chain of [auditChain, disclosureChain, ...t.suite.kernel.modules.list().flatMap((m) => m.chains ?? [])]) {
      const verdict = await chain.verify(t.suite.kernel.db, { workers: 1 });
      expect({ chain: chain.table, ok: verdict.ok, brokenAt: verdict.brokenAt }).toEqual({ chain: chain.table, ok: true, brokenAt: undefined });
    }
  });
});

describe('brand slugs are exact on both engines, and rate limits key on the brand', () => {
  const NOT_FZ = ['FZ', 'Fz', 'fz%20', 'fz%09', 'f%C5%BC', 'f%C5%BA', '%EF%BD%86z'];

  it('other spellings of a slug (case, trailing space, accents, full-width letters) answer 404 and write nothing', async () => {
    const before = await written();
    for (const slug of NOT_FZ) {
      const res = await call('GET', `/b/${slug}/consent/cookies?visitorId=visitor000000000001`);
      expect({ slug, status: res.status, code: res.body.code }).toEqual({ slug, status: 404, code: 'SUITE_BRAND_UNKNOWN' });
      const intake = await call('POST', `/b/${slug}/rights/requests`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'access', email: 'x@example.org' }) });
      expect({ slug, status: intake.status }).toEqual({ slug, status: 404 });
      const admin = await call('GET', `/api/v1/admin/brands/${slug}/profile`, { key: owner });
      expect({ slug, status: admin.status }).toEqual({ slug, status: 404 });
    }
    // The database itself compares slugs exactly (a binary, no-pad collation on MySQL/MariaDB; SQLite's BINARY).
    for (const slug of ['FZ', 'fz ', 'fż']) expect(await slugMatches(slug)).toBe(0);
    expect(await slugMatches('fz')).toBe(1);
    // A signed hook naming another spelling is not that brand's either.
    const hook = await postHook(t.baseUrl, 'ClientAdd', acmeSecret, { brand: 'ACME', vars: { client_id: 50, email: 'x@example.org' } });
    expect(hook.status).toBe(401);
    const after = await written();
    expect({ ...after, audit_log: before.audit_log }).toEqual(before); // (the failed hook authentication is audited)
  });

  it(`WSM-20: public intake allows ${PUBLIC_LIMITS.intake.max} requests an hour per address and brand, however the slug is spelled`, async () => {
    const reach = ['fz', 'f%7A', '%66z', '%66%7a'];
    let sent = 0;
    for (let i = 0; sent < PUBLIC_LIMITS.intake.max; i++) {
      const res = await call('POST', `/b/${reach[i % reach.length]}/rights/requests`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'confirm', email: `n${i}@example.org` }) });
      expect(res.status).toBe(202);
      sent += 1;
      const other = await call('POST', `/b/${NOT_FZ[i % NOT_FZ.length]}/rights/requests`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'confirm', email: `o${i}@example.org` }) });
      expect(other.status).toBe(404);
    }
    const before = await written();
    for (const slug of [...reach, ...NOT_FZ]) {
      const res = await call('POST', `/b/${slug}/rights/requests`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'confirm', email: 'eleventh@example.org' }) });
      expect({ slug, status: res.status }).toEqual({ slug, status: NOT_FZ.includes(slug) ? 404 : 429 });
    }
    expect(await written()).toEqual(before);
  });

  it('MS-1: the cookie endpoint\'s 60 a minute hold across spellings of the brand and of the path', async () => {
    const spellings = ['/b/cz/consent/cookies', '/b/c%7A/consent/cookies', '/b/cz/consent/COOKIES', '/b/cz/Consent/cookies/', '/b/%63z/consent/Cookies'];
    const send = (i: number) => call('POST', spellings[i % spellings.length], {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ visitorId: `spelled-visitor-${String(i).padStart(6, '0')}`, choices: { analytics: true, marketing: false, social: false }, bannerVersion: 'abcdef0123456789' }),
    });
    for (let i = 0; i < 60; i++) expect((await send(i)).status).toBe(200);
    const before = await written();
    for (let i = 60; i < 60 + spellings.length; i++) {
      const res = await send(i);
      expect([res.status, res.body.code]).toEqual([429, 'SUITE_RATE_LIMITED']);
    }
    expect(await written()).toEqual(before);
  });
});
