/**
 * WSM-17, suspension reaches the registry: a reveal request's `suspend` places the domain on EPP clientHold through the
 * outbox and the registrars/epp module (the local TLS EPP test server, every frame validated), tells the panel through
 * the signed event feed, and `lift` removes the hold the same way. Brands without EPP: nothing goes to the registry.
 */
import path from 'node:path';
import { signHook } from '../../../core/http/signature';
import type { EppRegistrarCache } from '../../../modules/registrars/epp';
import { startEppTestServer, type EppTestServer } from '../../helpers/epp-test-server';
import { SmtpSink } from '../../helpers/smtp-sink';
import { drainOutbox, postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { postContacts, registrantBrand, REGISTRANT_SETTINGS, whmcsParams } from './fixtures';

type Body = Record<string, unknown>;
const sink = new SmtpSink();
let server: EppTestServer;
let t: TestSuite;
const secrets: Record<string, string> = {};
const brandIds: Record<string, number> = {};
let ownerKey: string;
let resellerKey: string;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const admin = (brand: string, p: string, opts: { method?: string; body?: unknown; key?: string; lang?: string } = {}) => fetch(`${t.baseUrl}/api/v1/admin/brands/${brand}/modules/registrant${p}`, {
  method: opts.method ?? 'GET', body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  headers: { authorization: `Bearer ${opts.key ?? ownerKey}`, 'content-type': 'application/json', ...(opts.lang ? { 'accept-language': opts.lang } : {}) },
}).then(async (r) => ({ status: r.status, body: (await r.json()) as Body }));
const decide = (brand: string, id: number, decision: string, opts: { key?: string; lang?: string } = {}) => admin(brand, `/reveal-requests/${id}/decision`, { method: 'POST', body: { decision }, ...opts });
const complaint = (domain: string) => ({ domain, complainant: { name: 'Brand Owner', email: 'legal@brand-owner.example' }, legalBasis: 'Trademark infringement', evidence: 'Screenshots of the infringing site.' });
async function openRequest(brand: string, domain: string): Promise<number> {
  const r = await admin(brand, '/reveal-requests', { method: 'POST', body: complaint(domain) });
  expect(r.status).toBe(201);
  return Number(r.body.id);
}
/** The signed event feed, as the WHMCS connector calls it. */
async function feed(brand: string, body: Body = {}, secret = secrets[brand]): Promise<{ status: number; body: Body }> {
  const raw = JSON.stringify({ brand, ...body });
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${t.baseUrl}/api/v1/registrant/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-suite-timestamp': String(ts), 'x-suite-signature': signHook(secret, ts, raw) }, body: raw });
  return { status: res.status, body: (await res.json()) as Body };
}
const holdOutbox = (brand: string) => t.suite.kernel.db('outbox').where({ brand_id: brandIds[brand], topic: 'registrant.registry-hold' });
const registryStatus = (domain: string) => server.registry.domains.get(domain)!.status;
const domainStatus = async (brand: string, domain: string) => String((await t.suite.kernel.db('registrant_domains').where({ brand_id: brandIds[brand], domain }).first()).status);
const audit = async (brand: string) => (await t.suite.kernel.audit.list({ brandIds: [brandIds[brand]] })).reverse();

/** A client's domain known to the suite (registered) and, for the EPP brand, sponsored at the registry. */
async function domainOf(brand: string, client: number, sld: string): Promise<string> {
  const r = await postContacts(t.baseUrl, secrets[brand], { brand, params: whmcsParams(client, sld, 'com'), status: 'registered' });
  expect(r.status).toBe(200);
  if (brand === 'hold-shop') server.registry.seedDomain({ name: `${sld}.com`, sponsor: server.clID });
  return `${sld}.com`;
}

beforeAll(async () => {
  await sink.start();
  server = await startEppTestServer();
  process.env.HOLD_EPP_PASSWORD = server.password;
  const pem = (f: string) => path.join(server.pki.dir, f);
  t = await startTestSuite({ config: { smtpUrl: sink.url, mailFrom: 'privacy@test-hosting.example', outboxBaseDelayMs: 5, outboxMaxAttempts: 12 } });
  secrets['hold-shop'] = await registrantBrand(t.suite, 'hold-shop', { modules: { registrant: REGISTRANT_SETTINGS, 'registrars/epp': {
    host: '127.0.0.1', port: server.port, servername: 'localhost', clID: server.clID, passwordEnv: 'HOLD_EPP_PASSWORD',
    certificate: pem('client.crt'), key: pem('client.key'), ca: server.pki.serverCert, keepAliveSeconds: 0, maxRetries: 0, commandTimeoutSeconds: 5, connectTimeoutSeconds: 2,
  } } });
  secrets['panel-shop'] = await registrantBrand(t.suite, 'panel-shop');
  secrets['other-shop'] = await registrantBrand(t.suite, 'other-shop');
  for (const slug of Object.keys(secrets)) brandIds[slug] = (await t.suite.kernel.brands.get(slug)).id;
  ownerKey = (await t.suite.apiKeys.create({ role: 'owner', label: 'test' }, { type: 'cli', id: 'test' })).key;
  resellerKey = (await t.suite.apiKeys.create({ role: 'reseller', brand: 'other-shop', label: 'reseller' }, { type: 'cli', id: 'test' })).key;
  await postHook(t.baseUrl, 'ClientAdd', secrets['hold-shop'], { brand: 'hold-shop', vars: { client_id: 41, firstname: 'Ada', lastname: 'Lovelace', email: 'ada41@example.org', country: 'GB' } });
  await postHook(t.baseUrl, 'ClientAdd', secrets['panel-shop'], { brand: 'panel-shop', vars: { client_id: 42, firstname: 'Ada', lastname: 'Lovelace', email: 'ada42@example.org', country: 'GB' } });
});
afterAll(async () => {
  await t.suite.kernel.service<EppRegistrarCache>('registrars/epp').closeAll();
  await t.close();
  await server.stop();
  await sink.stop();
});

describe('suspension at the registry (EPP brand)', () => {
  let domain: string;
  let id: number;

  it('WSM-17: suspend queues clientHold through the outbox; once delivered the registry holds the domain, audited without the domain name', async () => {
    domain = await domainOf('hold-shop', 41, 'held');
    id = await openRequest('hold-shop', domain);
    const before = server.received.length;
    const res = await decide('hold-shop', id, 'suspend');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, id, status: 'suspended', registryHold: { state: 'queued', by: 'suite', event: { id: 1, type: 'domain.suspended' } } });
    const hold = res.body.registryHold as Body;
    expect(String(hold.message)).toMatch(/clientHold.*queued/);
    // Queued, not sent in the request: the registry has not been asked yet.
    expect(registryStatus(domain)).toEqual(['ok']);
    const queued = await holdOutbox('hold-shop').clone().where({ id: Number(hold.outboxId) }).first();
    expect(queued).toMatchObject({ recipient: 'registrar', purpose: 'domain-registration', state: 'pending', subject_id: null });
    expect(await domainStatus('hold-shop', domain)).toBe('suspended');

    await drainOutbox(t.suite, { brandId: brandIds['hold-shop'], rounds: 60 });
    expect((await holdOutbox('hold-shop').clone().where({ id: Number(hold.outboxId) }).first()).state).toBe('delivered');
    expect(registryStatus(domain)).toEqual(['clientHold']);
    const sent = server.received.slice(before).filter((r) => r.verb.startsWith('domain:'));
    expect(sent.map((r) => r.verb)).toEqual(['domain:info', 'domain:update']);
    expect(sent[1].clTRID).toBe(`${queued.idempotency_key}-dh`);

    const list = await admin('hold-shop', '/reveal-requests');
    expect((list.body.requests as Body[]).find((r) => r.id === id)).toMatchObject({ status: 'suspended', registryHold: 'placed' });
    const trail = (await audit('hold-shop')).filter((a) => String(a.target_id) === String(id));
    expect(trail.map((a) => a.action)).toEqual(['registrant.reveal.requested', 'registrant.reveal.suspended', 'registrant.hold.placed']);
    expect(JSON.stringify(trail)).not.toMatch(/held\.com|brand-owner|Lovelace|ada41/);
  });

  it('WSM-17: lift removes clientHold the same way, the domain gets its status back, the panel event is domain.unsuspended, audited', async () => {
    const res = await decide('hold-shop', id, 'lift');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, id, status: 'lifted', registryHold: { state: 'queued', by: 'suite', event: { id: 2, type: 'domain.unsuspended' } } });
    expect(await domainStatus('hold-shop', domain)).toBe('registered');
    expect(registryStatus(domain)).toEqual(['clientHold']);
    await drainOutbox(t.suite, { brandId: brandIds['hold-shop'], rounds: 60 });
    expect(registryStatus(domain)).toEqual(['ok']);
    expect(server.verbs().slice(-2)).toEqual(['domain:info', 'domain:update']);
    const list = await admin('hold-shop', '/reveal-requests');
    expect((list.body.requests as Body[]).find((r) => r.id === id)).toMatchObject({ status: 'lifted', registryHold: 'lifted' });
    const actions = (await audit('hold-shop')).filter((a) => String(a.target_id) === String(id)).map((a) => a.action);
    expect(actions.slice(-2)).toEqual(['registrant.reveal.lifted', 'registrant.hold.lifted']);
  });

  it('WSM-17: a lift on a request that is not suspended is refused (409 SUITE_REVEAL_NOT_SUSPENDED, in the caller\'s language)', async () => {
    const again = await decide('hold-shop', id, 'lift');
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ ok: false, code: 'SUITE_REVEAL_NOT_SUSPENDED' });
    expect(String(again.body.error)).toContain('lifted');
    const waiting = await openRequest('hold-shop', domain);
    const de = await decide('hold-shop', waiting, 'lift', { lang: 'de' });
    expect(de.status).toBe(409);
    expect(String(de.body.error)).toMatch(/nicht gesperrt/);
    for (const lang of ['fr', 'es', 'ru', 'ar']) {
      const r = await decide('hold-shop', waiting, 'lift', { lang });
      expect(r.body.code).toBe('SUITE_REVEAL_NOT_SUSPENDED');
      expect(r.body.error).not.toBe(again.body.error);
    }
    expect(registryStatus(domain)).toEqual(['ok']);
    expect(await holdOutbox('hold-shop').clone().count({ n: '*' }).first()).toMatchObject({ n: 2 });
  });

  it('WSM-17: the registry down at suspension: the outbox retries, and once it is back the hold lands exactly once', async () => {
    const down = await domainOf('hold-shop', 41, 'outage');
    const rid = await openRequest('hold-shop', down);
    const port = server.port;
    await server.stop();
    const res = await decide('hold-shop', rid, 'suspend');
    expect(res.body).toMatchObject({ status: 'suspended', registryHold: { state: 'queued' } });
    const outboxId = Number((res.body.registryHold as Body).outboxId);
    for (let i = 0; i < 40; i++) {
      await t.suite.worker.drain();
      if (Number((await holdOutbox('hold-shop').clone().where({ id: outboxId }).first()).attempts) >= 2) break;
      await pause(20);
    }
    const waiting = await holdOutbox('hold-shop').clone().where({ id: outboxId }).first();
    expect(waiting.state).toBe('pending');
    expect(Number(waiting.attempts)).toBeGreaterThanOrEqual(2);
    expect(waiting.last_error).toMatch(/registrar refused/);
    expect(waiting.last_error).not.toMatch(/outage|Lovelace|ada41/);
    expect(registryStatus(down)).toEqual(['ok']);

    const before = server.received.length;
    await server.start(port);
    await drainOutbox(t.suite, { brandId: brandIds['hold-shop'], rounds: 80 });
    const done = await holdOutbox('hold-shop').clone().where({ id: outboxId }).first();
    expect(done.state).toBe('delivered');
    expect(Number(done.attempts)).toBeGreaterThan(Number(waiting.attempts));
    expect(registryStatus(down)).toEqual(['clientHold']);
    expect(server.received.slice(before).filter((r) => r.verb === 'domain:update')).toHaveLength(1);
    // Delivered again (a worker that lost its lease): the registry already holds it, no second update.
    await t.suite.kernel.db('outbox').where({ id: outboxId }).update({ state: 'pending', next_attempt_at: 0 });
    await drainOutbox(t.suite, { brandId: brandIds['hold-shop'], rounds: 10 });
    expect(server.received.slice(before).filter((r) => r.verb === 'domain:update')).toHaveLength(1);
    expect(registryStatus(down)).toEqual(['clientHold']);
  });

  it('WSM-17: two requests suspend one domain: lifting the first keeps the hold, lifting the last removes it', async () => {
    const d = await domainOf('hold-shop', 41, 'twice');
    const [a, b] = [await openRequest('hold-shop', d), await openRequest('hold-shop', d)];
    expect((await decide('hold-shop', a, 'suspend')).body.registryHold).toMatchObject({ state: 'queued' });
    const second = await decide('hold-shop', b, 'suspend');
    expect(second.body.registryHold).toMatchObject({ state: 'kept', heldBy: [a] });
    expect((second.body.registryHold as Body).event).toBeUndefined();
    await drainOutbox(t.suite, { brandId: brandIds['hold-shop'], rounds: 60 });
    expect(registryStatus(d)).toEqual(['clientHold']);
    expect((await decide('hold-shop', a, 'lift')).body.registryHold).toMatchObject({ state: 'kept', heldBy: [b] });
    await drainOutbox(t.suite, { brandId: brandIds['hold-shop'], rounds: 60 });
    expect(registryStatus(d)).toEqual(['clientHold']);
    expect(await domainStatus('hold-shop', d)).toBe('suspended');
    expect((await decide('hold-shop', b, 'lift')).body.registryHold).toMatchObject({ state: 'queued', event: { type: 'domain.unsuspended' } });
    await drainOutbox(t.suite, { brandId: brandIds['hold-shop'], rounds: 60 });
    expect(registryStatus(d)).toEqual(['ok']);
    expect(await domainStatus('hold-shop', d)).toBe('registered');
  });

  it('WSM-17: the signed event feed lists the suspensions and lifts in order, with ids to resume after', async () => {
    const all = await feed('hold-shop');
    expect(all.status).toBe(200);
    const events = all.body.events as Body[];
    expect(events.map((e) => [e.id, e.type, e.domain])).toEqual([
      [1, 'domain.suspended', 'held.com'], [2, 'domain.unsuspended', 'held.com'], [3, 'domain.suspended', 'outage.com'],
      [4, 'domain.suspended', 'twice.com'], [5, 'domain.unsuspended', 'twice.com'],
    ]);
    expect(events[0]).toMatchObject({ registryHold: 'suite', requestId: id });
    expect(Date.parse(String(events[0].at))).toBeGreaterThan(0);
    expect(all.body).toMatchObject({ next: 5, more: false });
    const page = await feed('hold-shop', { after: 1, limit: 2 });
    expect((page.body.events as Body[]).map((e) => e.id)).toEqual([2, 3]);
    expect(page.body).toMatchObject({ next: 3, more: true });
    expect((await feed('hold-shop', { after: 5 })).body).toMatchObject({ events: [], next: 5, more: false });
    // Signed like the hook API: another brand's secret or no signature is refused.
    expect((await feed('hold-shop', {}, secrets['panel-shop'])).status).toBe(401);
    const unsigned = await fetch(`${t.baseUrl}/api/v1/registrant/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ brand: 'hold-shop' }) });
    expect(unsigned.status).toBe(401);
    expect((await feed('hold-shop', { after: -1 })).status).toBe(400);
  });
});

describe('a brand without an EPP registrar', () => {
  it('WSM-17: suspend and lift send nothing to the registry; the answer says so and the panel event is how the connector acts', async () => {
    const domain = await domainOf('panel-shop', 42, 'panel');
    const id = await openRequest('panel-shop', domain);
    const suspended = await decide('panel-shop', id, 'suspend');
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ status: 'suspended', registryHold: { state: 'not-sent', by: 'panel', event: { id: 1, type: 'domain.suspended' } } });
    expect((suspended.body.registryHold as Body).outboxId).toBeUndefined();
    expect(String((suspended.body.registryHold as Body).message)).toMatch(/no EPP registrar.*panel event/);
    const lifted = await decide('panel-shop', id, 'lift', { lang: 'fr' });
    expect(lifted.body).toMatchObject({ status: 'lifted', registryHold: { state: 'not-sent', by: 'panel', event: { id: 2, type: 'domain.unsuspended' } } });
    expect(String((lifted.body.registryHold as Body).message)).toMatch(/pas de registrar EPP/);
    await drainOutbox(t.suite, { brandId: brandIds['panel-shop'] });
    expect(await holdOutbox('panel-shop').clone().count({ n: '*' }).first()).toMatchObject({ n: 0 });
    const events = (await feed('panel-shop')).body.events as Body[];
    expect(events.map((e) => [e.type, e.domain, e.registryHold])).toEqual([['domain.suspended', 'panel.com', 'panel'], ['domain.unsuspended', 'panel.com', 'panel']]);
    expect(await domainStatus('panel-shop', domain)).toBe('registered');
    const list = await admin('panel-shop', '/reveal-requests');
    expect((list.body.requests as Body[])[0]).toMatchObject({ status: 'lifted', registryHold: 'not-sent' });
  });
});

describe('isolation', () => {
  it('WSM-17: a reseller key of another brand can neither read, suspend nor lift this brand\'s requests, nor reach them through its own brand', async () => {
    const d = await domainOf('hold-shop', 41, 'guarded');
    const rid = await openRequest('hold-shop', d);
    expect((await admin('hold-shop', '/reveal-requests', { key: resellerKey })).status).toBe(403);
    expect((await decide('hold-shop', rid, 'suspend', { key: resellerKey })).status).toBe(403);
    expect((await decide('hold-shop', rid, 'lift', { key: resellerKey })).status).toBe(403);
    const own = await decide('other-shop', rid, 'suspend', { key: resellerKey });
    expect(own.status).toBe(404);
    expect(own.body.code).toBe('SUITE_NOT_FOUND');
    expect((await feed('other-shop')).body.events).toEqual([]);
    expect((await t.suite.kernel.db('registrant_reveal_requests').where({ id: rid }).first()).status).toBe('notice-sent');
    expect(registryStatus(d)).toEqual(['ok']);
  });

  it('WSM-17: every frame the suspensions sent validates against the EPP schemas', () => {
    expect(server.stats.frames).toBeGreaterThan(10);
    expect(server.invalidFrames).toEqual([]);
  });
});
