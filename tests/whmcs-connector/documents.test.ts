/**
 * The policy versions the connector's checkout and registration forms name (MS-2 / SP-3): the suite's signed
 * POST /api/v1/connector/documents, and the connector's Documents class (real PHP) that caches its answer in
 * mod_privacysuite_cache for ten minutes, keeps the last answer while the suite is down, and picks the person's language.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { signHook } from '../../core/http/signature';
import { publishDocument } from '../../modules/consent/documents/publish-document';
import { startTestSuite, type TestSuite } from '../helpers/test-suite';
import { runWhmcs, stepResult, type WhmcsRun, type WhmcsStep } from '../helpers/whmcs-php';
import { clientAdd, consentBrand, publishTerms, type TestBrand } from '../modules/consent/marketing-fixtures';

const ADDON = 'modules/addons/privacysuite/privacysuite.php';
const NS = '\\WHMCS\\Module\\Addon\\Privacysuite\\';
const DAY = 24 * 3600 * 1000;

let t: TestSuite;
let shop: TestBrand;
let language: string;
let dir: string;

/** A proxy in front of the suite that counts the documents requests it passes, or drops them while `down`. */
const proxy = { server: undefined as http.Server | undefined, url: '', requests: 0, down: false };

beforeAll(async () => {
  t = await startTestSuite();
  shop = await consentBrand(t.suite, 'wh-docs', { model: 'opt-in', channels: ['email'] });
  language = (await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get(shop.slug))).locale;
  await publishTerms(t.suite, shop.id, language, 'T1');
  await publishTerms(t.suite, shop.id, language, 'P1', 'privacy');
  await publishTerms(t.suite, shop.id, 'de', 'T1-de');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whmcs-docs-'));
  const target = new URL(t.baseUrl);
  proxy.server = http.createServer((req, res) => {
    if (req.url === '/api/v1/connector/documents') proxy.requests += 1;
    if (proxy.down) {
      req.socket.destroy();
      return;
    }
    const out = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => proxy.server!.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(proxy.server!.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => proxy.server?.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
  await t.close();
});

type Doc = { version: string; language: string; url: string | null } | null;
type Docs = { terms: Doc; privacy: Doc };
interface Answer { ok?: boolean; language?: string; fallback?: string; documents: Docs; locales: Record<string, Docs> }

async function call(body: Record<string, unknown>, opts: { sign?: boolean; secret?: string } = {}): Promise<{ status: number; body: Answer }> {
  const raw = JSON.stringify(body);
  const ts = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.sign !== false) Object.assign(headers, { 'x-suite-timestamp': String(ts), 'x-suite-signature': signHook(opts.secret ?? shop.secret, ts, raw) });
  const res = await fetch(`${t.baseUrl}/api/v1/connector/documents`, { method: 'POST', headers, body: raw });
  return { status: res.status, body: (await res.json()) as Answer };
}

const versionsStep = (locale: string | null = null): WhmcsStep => ({
  php: `${NS}Documents::forget(); return ${NS}Documents::versions(${NS}Settings::load(), ${locale === null ? 'null' : `'${locale}'`});`,
});
const CACHE_ROWS: WhmcsStep = { sql: 'select "key", value, expires_at from mod_privacysuite_cache' };

/** Runs steps against the shared WHMCS database, with the connector pointed at the counting proxy. */
function run(db: string, steps: WhmcsStep[], over: Record<string, string> = {}): Promise<WhmcsRun> {
  return runWhmcs({ db: path.join(dir, db), settings: { suite_url: proxy.url, brand: shop.slug, hook_secret: shop.secret, ...over }, include: [ADDON], steps });
}

describe('POST /api/v1/connector/documents', () => {
  it('MS-2: signed, answers the terms and privacy versions in force per language, the privacy one with its public policy URL', async () => {
    const res = await call({ brand: shop.slug });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.language).toBe(language);
    expect(res.body.documents.terms).toEqual({ version: 'T1', language, url: null });
    expect(res.body.documents.privacy).toEqual({ version: 'P1', language, url: expect.stringMatching(new RegExp(`/b/${shop.slug}/policy\\?lang=${language}$`)) });
    // German readers are shown the German terms, and the brand's own privacy policy (there is no German one).
    expect(res.body.locales.de.terms).toMatchObject({ version: 'T1-de', language: 'de' });
    expect(res.body.locales.de.privacy).toMatchObject({ version: 'P1', language });
    expect((await call({ brand: shop.slug, locale: 'de' })).body.documents.terms?.version).toBe('T1-de');
    expect((await call({ brand: shop.slug, locale: 'fr' })).body.documents.terms?.version).toBe('T1');
    // Every locale the suite ships is answered; any other is the fallback, as a hook call's context locale resolves.
    expect(Object.keys(res.body.locales).sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'ru']);
    expect(res.body.fallback).toBe('en');
  });

  it('MS-2: a language the suite does not ship is shown what the suite binds it to, even where the brand has documents in it', async () => {
    const id = await publishTerms(t.suite, shop.id, 'it', 'T1-it');
    expect((await call({ brand: shop.slug, locale: 'it' })).body.documents.terms?.version).toBe('T1');
    await t.suite.kernel.db('consent_documents').where({ id }).delete();
  });

  it('MS-2: a newly published version is answered at once; one not yet in force is not', async () => {
    const brand = await t.suite.kernel.brands.get(shop.slug);
    await publishDocument(t.suite.kernel, brand, { kind: 'terms', language, version: 'T2', text: 'Terms, second edition.' }, { type: 'cli', id: 'test' });
    const [id] = await t.suite.kernel.db('consent_documents').insert({
      brand_id: shop.id, kind: 'privacy', language, version: 'P9', text_hash: 'x'.repeat(64), body: 'later', material: true,
      published_at: Date.now(), effective_at: Date.now() + 30 * DAY, created_by: 'test',
    });
    const res = await call({ brand: shop.slug });
    expect(res.body.documents.terms?.version).toBe('T2');
    expect(res.body.documents.privacy?.version).toBe('P1');
    await t.suite.kernel.db('consent_documents').where({ id }).delete();
  });

  it('a language whose only version is not in force yet names none (the suite then binds the version in force)', async () => {
    const [id] = await t.suite.kernel.db('consent_documents').insert({
      brand_id: shop.id, kind: 'terms', language: 'es', version: 'T-es', text_hash: 'y'.repeat(64), body: 'luego', material: true,
      published_at: Date.now(), effective_at: Date.now() + 30 * DAY, created_by: 'test',
    });
    expect((await call({ brand: shop.slug, locale: 'es' })).body.documents.terms).toBeNull();
    await t.suite.kernel.db('consent_documents').where({ id }).delete();
  });

  it('MS-2: the versions answered for each locale are the ones the suite accepts as shown to a client in that locale', async () => {
    const { locales } = (await call({ brand: shop.slug })).body;
    let client = 500;
    for (const [locale, docs] of Object.entries(locales)) {
      client += 1;
      const res = await clientAdd(t.baseUrl, shop, client, { accepttos: true, terms_version_shown: docs.terms?.version, privacy_version_shown: docs.privacy?.version }, { locale });
      expect({ locale, status: res.status }).toEqual({ locale, status: 200 });
    }
    // The check is real: the brand's English version named to a German client is refused.
    const wrong = await clientAdd(t.baseUrl, shop, 599, { accepttos: true, terms_version_shown: locales.en.terms?.version }, { locale: 'de' });
    expect(wrong.status).toBe(400);
  });

  it('unsigned or signed with another secret: 401', async () => {
    expect((await call({ brand: shop.slug }, { sign: false })).status).toBe(401);
    expect((await call({ brand: shop.slug }, { secret: 'not-the-secret' })).status).toBe(401);
  });
});

describe('connector: Documents::versions', () => {
  it('MS-2: fills the cache from the suite, reuses it within ten minutes without asking again, refreshes it after', async () => {
    const db = 'ttl.sqlite';
    const before = proxy.requests;
    const first = await run(db, [{ call: 'privacysuite_activate' }, versionsStep(), versionsStep('de'), CACHE_ROWS]);
    expect(first.warnings).toEqual([]);
    expect(stepResult(first, 1)).toEqual({ terms: 'T2', privacy: 'P1' });
    expect(stepResult(first, 2)).toEqual({ terms: 'T1-de', privacy: 'P1' });
    const rows = stepResult<{ key: string; value: string; expires_at: number }[]>(first, 3);
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].expires_at) - Math.floor(Date.now() / 1000)).toBeGreaterThan(540);
    expect(Number(rows[0].expires_at) - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(600);
    expect(proxy.requests - before).toBe(1);

    // A newer version is published; within the TTL the page keeps naming the cached one and the suite is not asked.
    await publishDocument(t.suite.kernel, await t.suite.kernel.brands.get(shop.slug), { kind: 'terms', language, version: 'T3', text: 'Terms, third edition.' }, { type: 'cli', id: 'test' });
    const again = await run(db, [versionsStep(), versionsStep('fr'), versionsStep('it')]);
    expect(stepResult(again, 0)).toEqual({ terms: 'T2', privacy: 'P1' });
    expect(stepResult(again, 1)).toEqual({ terms: 'T2', privacy: 'P1' }); // a language the brand has no documents in: the brand's own
    expect(stepResult(again, 2)).toEqual({ terms: 'T2', privacy: 'P1' }); // a language the suite does not ship: its fallback
    expect(proxy.requests - before).toBe(1);

    const expired = await run(db, [{ sql: 'update mod_privacysuite_cache set expires_at = 1' }, versionsStep(), CACHE_ROWS]);
    expect(stepResult(expired, 1)).toEqual({ terms: 'T3', privacy: 'P1' });
    expect(Number(stepResult<{ expires_at: number }[]>(expired, 2)[0].expires_at)).toBeGreaterThan(Math.floor(Date.now() / 1000) + 540);
    expect(proxy.requests - before).toBe(2);
  });

  it('keeps the last answer while the suite is down, logs the failure without secrets, and tries again after a minute', async () => {
    const db = 'down.sqlite';
    const filled = await run(db, [{ call: 'privacysuite_activate' }, versionsStep()]);
    const shown = stepResult(filled, 1);
    expect(shown).toEqual({ terms: 'T3', privacy: 'P1' });
    proxy.down = true;
    try {
      const before = proxy.requests;
      const down = await run(db, [{ sql: 'update mod_privacysuite_cache set expires_at = 1' }, versionsStep('de'), versionsStep(), CACHE_ROWS]);
      expect(down.warnings).toEqual([]);
      expect(stepResult(down, 1)).toEqual({ terms: 'T1-de', privacy: 'P1' });
      expect(stepResult(down, 2)).toEqual(shown);
      const left = Number(stepResult<{ expires_at: number }[]>(down, 3)[0].expires_at) - Math.floor(Date.now() / 1000);
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(60);
      expect(proxy.requests - before).toBe(1); // the second page in the retry window does not wait for the suite again
      const log = down.moduleLog.filter((l) => l.action === 'documents');
      expect(log).toHaveLength(1);
      expect(JSON.stringify(log)).not.toContain(shop.secret);
    } finally {
      proxy.down = false;
    }
  });

  it('a suite never reached names no version (the forms then carry none) and caches nothing', async () => {
    proxy.down = true;
    try {
      const r = await run('never.sqlite', [{ call: 'privacysuite_activate' }, versionsStep(), CACHE_ROWS]);
      expect(stepResult(r, 1)).toEqual({ terms: null, privacy: null });
      expect(stepResult(r, 2)).toEqual([]);
    } finally {
      proxy.down = false;
    }
  });

  it('before the cache table exists (addon not yet upgraded) it still answers from the suite', async () => {
    const r = await run('no-table.sqlite', [versionsStep()]);
    expect(r.warnings).toEqual([]);
    expect(stepResult(r, 0)).toEqual({ terms: 'T3', privacy: 'P1' });
  });
});
