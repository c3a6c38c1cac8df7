/**
 * MS-8f with the processor down: a customer with a domain at a real (local TLS) EPP registry is erased while the
 * registry cannot be reached. The erasure completes locally (subject erased, request fulfilled); the anonymised
 * contacts wait in the outbox, retried with backoff; once the registry is back they are delivered exactly once and
 * the registry holds nothing of the person.
 */
import path from 'node:path';
import type { PlatformService } from '../../../modules/platform';
import { contactHandle } from '../../../modules/registrant/contacts/contact-id';
import type { EppRegistrarCache } from '../../../modules/registrars/epp';
import type { ContactRole } from '../../../modules/registrars/contract';
import { startEppTestServer, type EppTestServer } from '../../helpers/epp-test-server';
import { drainOutbox, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { registrantBrand, REGISTRANT_SETTINGS } from '../registrant/fixtures';
import { adminKey, rightsCall } from './fixtures';

const ROLES: ContactRole[] = ['registrant', 'admin', 'tech', 'billing'];
const DOMAIN = 'noether-rings.com';
let server: EppTestServer;
let t: TestSuite;
let brandId: number;
let key: string;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const handle = (role: ContactRole) => contactHandle(t.suite.kernel, brandId, DOMAIN, role, 'own');

beforeAll(async () => {
  server = await startEppTestServer();
  process.env.RIGHTS_EPP_PASSWORD = server.password;
  const pem = (f: string) => path.join(server.pki.dir, f);
  t = await startTestSuite({ config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 50 } });
  await registrantBrand(t.suite, 'epp-erase', { modules: { registrant: REGISTRANT_SETTINGS, 'registrars/epp': {
    host: '127.0.0.1', port: server.port, servername: 'localhost', clID: server.clID, passwordEnv: 'RIGHTS_EPP_PASSWORD',
    certificate: pem('client.crt'), key: pem('client.key'), ca: server.pki.serverCert, keepAliveSeconds: 0, maxRetries: 0, commandTimeoutSeconds: 5, connectTimeoutSeconds: 2,
  } } });
  brandId = (await t.suite.kernel.brands.get('epp-erase')).id;
  key = await adminKey(t.suite);
});
afterAll(async () => {
  await t.suite.kernel.service<EppRegistrarCache>('registrars/epp').closeAll();
  await t.close();
  await server.stop();
});

describe('erasure with the registrar down (MS-8f)', () => {
  it('MS-8f: the erasure completes locally while the EPP registry is down; the anonymised contacts reach it exactly once when it is back', async () => {
    // A customer whose domain was registered at the registry through the platform (contacts created over EPP).
    const platform = t.suite.kernel.service<PlatformService>('platform');
    const s = await platform.signUp('epp-erase', {
      firstname: 'Emmy', lastname: 'Noether', email: 'emmy@example.org', address1: '7 Bunsenstrasse', city: 'Goettingen', postcode: '37073', country: 'DE',
      phonenumber: '+49.5513900000', password: 'correct horse battery staple', accepttos: true,
    });
    const o = await platform.order(s.clientId, [{ type: 'domain', name: DOMAIN, regperiod: 1, idprotection: false, amount: 12 }], { accepttos: true });
    await platform.pay(o.invoiceId);
    const dom = await t.suite.kernel.db('platform_domains').where({ client_id: s.clientId, name: DOMAIN }).first('id');
    await platform.registerDomain(Number(dom.id));
    await drainOutbox(t.suite, { brandId });
    const registered = await t.suite.kernel.db('outbox').where({ brand_id: brandId, topic: 'registrant.register-contacts' }).first();
    expect(registered.state).toBe('delivered');
    for (const role of ROLES) expect(server.registry.contacts.get(handle(role))).toMatchObject({ name: 'Emmy Noether', email: 'emmy@example.org' });
    server.registry.seedDomain({ name: DOMAIN, sponsor: server.clID, registrant: handle('registrant'), contacts: { admin: handle('admin'), tech: handle('tech'), billing: handle('billing') } });

    // The registry goes down; the erase request is answered anyway.
    const port = server.port;
    await server.stop();
    const open = await rightsCall(t.baseUrl, key, 'epp-erase', 'POST', '/requests', { type: 'erase', subjectId: s.subjectId, verified: 'manual' });
    const done = await rightsCall(t.baseUrl, key, 'epp-erase', 'POST', `/requests/${open.body.request.id}/fulfil`);
    expect(done.status).toBe(200);
    expect(done.body.request.status).toBe('fulfilled');
    const notice = (done.body.request.result.processors as { outboxId: number; recipient: string; topic: string }[]);
    expect(notice).toEqual([{ outboxId: expect.any(Number), recipient: 'registrar', topic: 'registrant.save-contacts' }]);
    expect((await t.suite.kernel.subjects.get(s.subjectId!)).status).toBe('erased');
    expect((await t.suite.kernel.db('platform_clients').where({ id: s.clientId }).first()).personal_enc).toBeNull();
    // The registration message that carried the person's contacts no longer holds them.
    const scrubbed = await t.suite.kernel.db('outbox').where({ id: registered.id }).first();
    expect(JSON.parse(await t.suite.kernel.keyring.decrypt(scrubbed.payload_enc))).toEqual({});

    // The worker keeps trying with backoff; the message waits, its error carries nothing of the person.
    for (let i = 0; i < 60; i++) {
      await t.suite.worker.drain();
      const row = await t.suite.kernel.db('outbox').where({ id: notice[0].outboxId }).first();
      if (Number(row.attempts) >= 3) break;
      await pause(20);
    }
    const waiting = await t.suite.kernel.db('outbox').where({ id: notice[0].outboxId }).first();
    expect(waiting.state).toBe('pending');
    expect(Number(waiting.attempts)).toBeGreaterThanOrEqual(3);
    expect(waiting.last_error).not.toMatch(/Noether|emmy|Bunsen/i);
    expect(server.registry.contacts.get(handle('registrant'))!.name).toBe('Emmy Noether');

    // Back up: delivered exactly once, the registry holds the anonymised contacts.
    const seen = server.received.length;
    await server.start(port);
    await drainOutbox(t.suite, { brandId, rounds: 100 });
    const delivered = await t.suite.kernel.db('outbox').where({ id: notice[0].outboxId }).first();
    expect(delivered.state).toBe('delivered');
    const updates = server.received.slice(seen).filter((r) => r.verb === 'contact:update');
    expect(updates).toHaveLength(ROLES.length);
    expect(new Set(updates.map((u) => u.clTRID)).size).toBe(ROLES.length);
    expect(server.received.slice(seen).map((r) => r.verb)).not.toContain('contact:create');
    for (const role of ROLES) {
      const c = server.registry.contacts.get(handle(role))!;
      expect(c).toMatchObject({ name: REGISTRANT_SETTINGS.privacyService.name, org: REGISTRANT_SETTINGS.privacyService.org, cc: 'GB' });
      expect(c.email).toMatch(/@privacy\.test-hosting\.example$/);
    }
    expect(JSON.stringify([...server.registry.contacts.values()])).not.toMatch(/Noether|emmy@example\.org|Bunsenstrasse|5513900000/);
    // Draining again sends nothing more.
    const settled = server.received.length;
    await drainOutbox(t.suite, { brandId });
    expect(server.received.slice(settled).filter((r) => r.verb.startsWith('contact:'))).toEqual([]);
  });
});
