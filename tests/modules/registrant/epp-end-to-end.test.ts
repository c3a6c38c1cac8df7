/**
 * End to end, no fake registrar: the registrant module's outbox deliverers reach the real registrars/epp module
 * (configured in the brand profile with the test PKI) and the local TLS EPP test server; every frame is validated.
 */
import path from 'node:path';
import { signHook } from '../../../core/http/signature';
import { contactHandle } from '../../../modules/registrant/contacts/contact-id';
import type { EppRegistrarCache } from '../../../modules/registrars/epp';
import type { ContactRole } from '../../../modules/registrars/contract';
import { startEppTestServer, type EppTestServer } from '../../helpers/epp-test-server';
import { drainOutbox, postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { disclosures, registrantBrand, REGISTRANT_SETTINGS, whmcsParams } from './fixtures';

const ROLES: ContactRole[] = ['registrant', 'admin', 'tech', 'billing'];
const OWN_HIDDEN = { flag: '0', fields: ['name', 'addr', 'voice', 'fax', 'email'] };
let server: EppTestServer;
let t: TestSuite;
let secret: string;
let brandId: number;
let ownerKey: string;

const outbox = () => t.suite.kernel.db('outbox').where({ brand_id: brandId });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const drainUntilSettled = (): Promise<void> => drainOutbox(t.suite, { brandId, rounds: 60 });
const handle = (domain: string, role: ContactRole, kind: 'own' | 'privacy') => contactHandle(t.suite.kernel, brandId, domain, role, kind);
const hook = (name: string, vars: Record<string, unknown>) => postHook(t.baseUrl, name, secret, { brand: 'epp-shop', vars });
const admin = (p: string, method: string, body?: unknown) => fetch(`${t.baseUrl}/api/v1/admin/brands/epp-shop/modules/registrant${p}`, {
  method, headers: { authorization: `Bearer ${ownerKey}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
}).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
/** The registry registers the domain with the contacts the suite created (as the platform's domain:create would). */
function registerAtRegistry(domain: string, kind: 'own' | 'privacy'): void {
  server.registry.seedDomain({ name: domain, sponsor: server.clID, registrant: handle(domain, 'registrant', kind), contacts: { admin: handle(domain, 'admin', kind), tech: handle(domain, 'tech', kind), billing: handle(domain, 'billing', kind) } });
}

beforeAll(async () => {
  server = await startEppTestServer();
  process.env.E2E_EPP_PASSWORD = server.password;
  const pem = (f: string) => path.join(server.pki.dir, f);
  t = await startTestSuite({ config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 10 } });
  secret = await registrantBrand(t.suite, 'epp-shop', { modules: { registrant: REGISTRANT_SETTINGS, 'registrars/epp': {
    host: '127.0.0.1', port: server.port, servername: 'localhost', clID: server.clID, passwordEnv: 'E2E_EPP_PASSWORD',
    certificate: pem('client.crt'), key: pem('client.key'), ca: server.pki.serverCert, keepAliveSeconds: 0, maxRetries: 0, commandTimeoutSeconds: 5, connectTimeoutSeconds: 2,
  } } });
  brandId = (await t.suite.kernel.brands.get('epp-shop')).id;
  ownerKey = (await t.suite.apiKeys.create({ role: 'owner', label: 'test' }, { type: 'cli', id: 'test' })).key;
  await hook('ClientAdd', { client_id: 31, firstname: 'Ada', lastname: 'Lovelace', email: 'ada31@example.org', country: 'GB' });
});
afterAll(async () => {
  await t.suite.kernel.service<EppRegistrarCache>('registrars/epp').closeAll();
  await t.close();
  await server.stop();
});

describe('registrant → registrars/epp → EPP server', () => {
  it('WSM-2 / MS-5.1: PreRegistrarRegisterDomain through the signed hook API → contacts built → outbox → the EPP server holds them (privacy off: own data, flag 0)', async () => {
    const res = await hook('PreRegistrarRegisterDomain', { params: whmcsParams(31, 'open', 'com') });
    expect(res.status).toBe(200);
    expect(res.body.abortWithError).toBeUndefined();
    const queued = await outbox().clone().where({ topic: 'registrant.register-contacts' }).first();
    expect(queued).toMatchObject({ recipient: 'registrar', purpose: 'domain-registration', state: 'pending' });
    // One transfer, logged once by the outbox (with the subject), not a second time by the hook.
    const subject = await t.suite.kernel.subjects.findByExternal(brandId, 'client', 31);
    const logged = (await disclosures(t.suite, brandId)).filter((d) => d.reference === queued.idempotency_key || d.reference.startsWith('registrant:open.com:'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ subject_id: subject!.id, recipient: 'registrar', purpose: 'domain-registration', fields: ['admin', 'billing', 'domain', 'registrant', 'tech'] });

    await drainUntilSettled();
    expect((await outbox().clone().where({ id: queued.id }).first()).state).toBe('delivered');
    for (const role of ROLES) {
      expect(server.registry.contacts.get(handle('open.com', role, 'own'))).toMatchObject({
        sponsor: server.clID, name: 'Ada Lovelace', street: ['12 Analytical Row', 'Flat 3'], city: 'London', pc: 'NW1 6XE', cc: 'GB', voice: '+44.2079460018', email: 'ada31@example.org', disclose: OWN_HIDDEN,
      });
    }
    expect(server.verbs().filter((v) => v === 'contact:create')).toHaveLength(4);
    // After the registration the same contacts are not sent again.
    await hook('AfterRegistrarRegistration', { params: whmcsParams(31, 'open', 'com') });
    expect(await outbox().clone().where({ topic: 'registrant.register-contacts' }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it('WSM-17: privacy on: the EPP server holds the privacy-service contacts, never the customer\'s; the toggle switches the domain to the own contacts and back', async () => {
    await hook('PreRegistrarRegisterDomain', { params: whmcsParams(31, 'hidden', 'com', { idprotection: true }) });
    await drainUntilSettled();
    const svc = REGISTRANT_SETTINGS.privacyService;
    for (const role of ROLES) {
      const c = server.registry.contacts.get(handle('hidden.com', role, 'privacy'))!;
      expect(c).toMatchObject({ name: svc.name, org: svc.org, street: svc.street, city: svc.city, cc: 'GB', voice: svc.voice, disclose: { flag: '0', fields: ['fax'] } });
      expect(c.email).toMatch(/^[0-9a-f]{24}@privacy\.test-hosting\.example$/);
      expect(server.registry.contacts.has(handle('hidden.com', role, 'own'))).toBe(false);
    }
    expect(JSON.stringify([...server.registry.contacts.values()].filter((c) => c.id.startsWith('PP')))).not.toMatch(/Lovelace|ada31/);

    registerAtRegistry('hidden.com', 'privacy');
    const off = await admin('/domains/hidden.com/id-protection', 'PUT', { enabled: false });
    expect(off).toMatchObject({ status: 200, body: { ok: true, idProtection: false, queued: true } });
    await drainUntilSettled();
    const dom = server.registry.domains.get('hidden.com')!;
    expect(dom.registrant).toBe(handle('hidden.com', 'registrant', 'own'));
    expect(dom.contacts).toEqual({ admin: handle('hidden.com', 'admin', 'own'), tech: handle('hidden.com', 'tech', 'own'), billing: handle('hidden.com', 'billing', 'own') });
    expect(server.registry.contacts.get(dom.registrant!)).toMatchObject({ name: 'Ada Lovelace', email: 'ada31@example.org', disclose: OWN_HIDDEN });
    expect(server.verbs().at(-1)).toBe('domain:update');

    await admin('/domains/hidden.com/id-protection', 'PUT', { enabled: true });
    await drainUntilSettled();
    expect(server.registry.domains.get('hidden.com')!.registrant).toBe(handle('hidden.com', 'registrant', 'privacy'));
  });

  it('MS-8e: a ClientEdit rectification reaches the EPP server as contact:update', async () => {
    registerAtRegistry('open.com', 'own');
    const before = server.received.length;
    const edit = await hook('ClientEdit', { userid: 31, lastname: 'King', address1: '1 Ockham Park', city: 'Ripley', phonenumber: '01483 000111' });
    expect(edit.status).toBe(200);
    await drainUntilSettled();
    const verbs = server.received.slice(before).map((r) => r.verb).filter((v) => v !== 'hello');
    expect(verbs.filter((v) => v === 'contact:update')).toHaveLength(4);
    expect(verbs).not.toContain('contact:create');
    for (const role of ROLES) {
      expect(server.registry.contacts.get(handle('open.com', role, 'own'))).toMatchObject({ name: 'Ada King', street: ['1 Ockham Park', 'Flat 3'], city: 'Ripley', voice: '+44.1483000111', disclose: OWN_HIDDEN });
    }
    // hidden.com is protected again: its published (privacy) contacts are unchanged and nothing of Ada's went out for it.
    expect(server.registry.contacts.get(handle('hidden.com', 'registrant', 'privacy'))!.name).toBe(REGISTRANT_SETTINGS.privacyService.name);
  });

  it('MS-8e: the EPP server down during a contact update: the outbox retries, then delivers once when it is back', async () => {
    const port = server.port;
    await server.stop();
    await hook('ClientEdit', { userid: 31, city: 'Cambridge' });
    for (let i = 0; i < 30; i++) {
      await t.suite.worker.drain();
      const row = await outbox().clone().where({ topic: 'registrant.save-contacts' }).orderBy('id', 'desc').first();
      if (Number(row.attempts) >= 2) break;
      await pause(20);
    }
    const waiting = await outbox().clone().where({ topic: 'registrant.save-contacts' }).orderBy('id', 'desc').first();
    expect(waiting.state).toBe('pending');
    expect(Number(waiting.attempts)).toBeGreaterThanOrEqual(2);
    expect(waiting.last_error).not.toMatch(/Cambridge|ada31|Lovelace|King/);

    const before = server.received.length;
    await server.start(port);
    await drainUntilSettled();
    const done = await outbox().clone().where({ id: waiting.id }).first();
    expect(done.state).toBe('delivered');
    expect(Number(done.attempts)).toBeGreaterThan(Number(waiting.attempts));
    const updates = server.received.slice(before).filter((r) => r.verb === 'contact:update');
    expect(updates).toHaveLength(4); // each contact once
    expect(new Set(updates.map((u) => u.clTRID)).size).toBe(4);
    for (const role of ROLES) {
      // Other domains of the client (hidden.com) are protected: only open.com's own contacts carry the new city.
      expect(server.registry.contacts.get(handle('open.com', role, 'own'))!.city).toBe('Cambridge');
    }
  });

  it('WSM-17: IDProtectToggle through the signed endpoint for a brand the EPP module serves: queued, and the registry publishes the privacy contacts', async () => {
    const raw = JSON.stringify({ brand: 'epp-shop', params: { sld: 'open', tld: 'com', protectenable: true } });
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${t.baseUrl}/api/v1/registrant/id-protection`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-suite-timestamp': String(ts), 'x-suite-signature': signHook(secret, ts, raw) }, body: raw });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ ok: true, domain: 'open.com', idProtection: true, queued: true });
    await drainUntilSettled();
    const dom = server.registry.domains.get('open.com')!;
    expect(dom.registrant).toBe(handle('open.com', 'registrant', 'privacy'));
    expect(server.registry.contacts.get(dom.registrant!)).toMatchObject({ name: REGISTRANT_SETTINGS.privacyService.name, disclose: { flag: '0', fields: ['fax'] } });
  });

  it('every frame the module sent validates against spec/standards/epp/all.xsd', () => {
    expect(server.stats.frames).toBeGreaterThan(20);
    expect(server.invalidFrames).toEqual([]);
  });
});
