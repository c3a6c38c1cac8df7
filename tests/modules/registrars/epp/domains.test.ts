/** EPP domains (RFC 5731): create with four contacts or none, renew, transfer, info/sync, name servers, lock, hold, EPP code. */
import { createEppRegistrar, HOLD_STATUS, LOCK_STATUS, type EppRegistrar } from '../../../../modules/registrars/epp';
import { startEppTestServer, type EppTestServer } from '../../../helpers/epp-test-server';
import { fourContacts } from './fixtures';

let server: EppTestServer;
let registrar: EppRegistrar;

async function start(thin = false): Promise<void> {
  server = await startEppTestServer({ thin });
  registrar = createEppRegistrar(server.clientOptions());
}
afterEach(async () => {
  await registrar.close();
  await server.stop();
  expect(server.invalidFrames).toEqual([]);
});

test('WSM-2 domain create: the contacts are created first (each handle once), then the domain with registrant, admin, tech and billing', async () => {
  await start();
  const res = await registrar.registerDomain({ domain: 'four.test', period: 2, nameservers: ['NS1.Example.net', 'ns2.example.net'], contacts: fourContacts, requestId: 'reg-42' });
  expect(res.ok).toBe(true);
  if (res.ok) expect(Number(res.data.expiresAt!.slice(0, 4))).toBe(new Date().getUTCFullYear() + 2);
  expect(server.verbs()).toEqual(['contact:create', 'contact:create', 'contact:create', 'contact:create', 'domain:create']);
  expect(server.registry.domains.get('four.test')).toMatchObject({ registrant: 'reg-ada-1', contacts: { admin: 'adm-bob-1', tech: 'tech-cy-1', billing: 'bill-di-1' }, ns: ['ns1.example.net', 'ns2.example.net'], sponsor: server.clID });
  expect(server.received.at(-1)!.clTRID).toBe('reg-42-dc');
});

test('thin registry: no contact object service at login, no contact commands, the domain is created without contacts', async () => {
  await start(true);
  const res = await registrar.registerDomain({ domain: 'thin.test', contacts: {} });
  expect(res.ok).toBe(true);
  expect(server.verbs()).toEqual(['domain:create']);
  expect(registrar.session.greeting!.objURIs).not.toContain('urn:ietf:params:xml:ns:contact-1.0');
  expect(server.registry.domains.get('thin.test')).toMatchObject({ registrant: undefined, contacts: {} });
});

test('domain check answers availability', async () => {
  await start();
  await registrar.registerDomain({ domain: 'taken.test' });
  expect(await registrar.checkDomains(['taken.test', 'free.test'])).toEqual({ ok: true, data: { available: { 'taken.test': false, 'free.test': true } } });
});

test('renew from the current expiry date', async () => {
  await start();
  server.registry.seedDomain({ name: 'renew.test', sponsor: server.clID, exDate: '2027-03-04T10:00:00.000Z' });
  expect(await registrar.renewDomain({ domain: 'renew.test', period: 3, currentExpiry: '2027-03-04T10:00:00Z' })).toEqual({ ok: true, data: { expiresAt: '2030-03-04T10:00:00.000Z' } });
  const wrong = await registrar.renewDomain({ domain: 'renew.test', period: 1, currentExpiry: '2020-01-01' });
  expect(wrong.ok).toBe(false);
  if (!wrong.ok) expect(wrong.error).toMatchObject({ code: 'REGISTRAR_PARAMETER_POLICY', registryCode: 2306, retryable: false });
});

test('transfer request (1001 pending) and transfer query', async () => {
  await start();
  server.registry.seedDomain({ name: 'move.test', sponsor: 'other-reg', authPw: 'Move-Me-9' });
  expect(await registrar.transferDomain({ domain: 'move.test', authInfo: 'Move-Me-9', period: 1 })).toEqual({ ok: true, data: { status: 'pending' } });
  expect(await registrar.transferStatus('move.test')).toEqual({ ok: true, data: { status: 'pending' } });
  const bad = await registrar.transferDomain({ domain: 'move.test', authInfo: 'wrong-code' });
  expect(bad.ok).toBe(false);
  if (!bad.ok) expect(bad.error).toMatchObject({ code: 'REGISTRAR_AUTHORIZATION_FAILED', registryCode: 2202 });
});

test('info / sync: status, expiry, name servers, lock state and contact handles', async () => {
  await start();
  await registrar.registerDomain({ domain: 'sync.test', nameservers: ['ns1.example.net'], contacts: fourContacts });
  const res = await registrar.sync('sync.test');
  expect(res.ok).toBe(true);
  if (!res.ok) return;
  expect(res.data).toMatchObject({ domain: 'sync.test', status: ['ok'], nameservers: ['ns1.example.net'], locked: false, contacts: { registrant: 'reg-ada-1', admin: 'adm-bob-1', tech: 'tech-cy-1', billing: 'bill-di-1' } });
  expect(res.data.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT/);
});

test('name servers: get, and save (adds and removes only the difference)', async () => {
  await start();
  await registrar.registerDomain({ domain: 'ns.test', nameservers: ['ns1.example.net', 'ns2.example.net'] });
  expect(await registrar.saveNameservers({ domain: 'ns.test', nameservers: ['ns2.example.net', 'ns3.example.net'] })).toEqual({ ok: true, data: {} });
  expect(await registrar.getNameservers('ns.test')).toEqual({ ok: true, data: { nameservers: ['ns2.example.net', 'ns3.example.net'] } });
  const before = server.verbs().length;
  await registrar.saveNameservers({ domain: 'ns.test', nameservers: ['ns3.example.net', 'ns2.example.net'] });
  expect(server.verbs().slice(before)).toEqual(['domain:info']);
});

test('registrar lock is the clientTransferProhibited status: lock, lock again (no change), unlock', async () => {
  await start();
  await registrar.registerDomain({ domain: 'lock.test' });
  expect(await registrar.setRegistrarLock({ domain: 'lock.test', locked: true })).toEqual({ ok: true, data: {} });
  expect(server.registry.domains.get('lock.test')!.status).toEqual([LOCK_STATUS]);
  await registrar.setRegistrarLock({ domain: 'lock.test', locked: true });
  expect(server.verbs().filter((v) => v === 'domain:update')).toHaveLength(1);
  const s = await registrar.sync('lock.test');
  expect(s.ok && s.data.locked).toBe(true);
  await registrar.setRegistrarLock({ domain: 'lock.test', locked: false });
  expect(server.registry.domains.get('lock.test')!.status).toEqual(['ok']);
});

test('WSM-17: setClientHold adds clientHold with one domain:update (clTRID from the request id), is idempotent, keeps the lock, and lifts it', async () => {
  await start();
  await registrar.registerDomain({ domain: 'hold.test' });
  await registrar.setRegistrarLock({ domain: 'hold.test', locked: true });
  expect(await registrar.setClientHold({ domain: 'hold.test', hold: true, requestId: 'hold-7' })).toEqual({ ok: true, data: { changed: true } });
  expect(server.registry.domains.get('hold.test')!.status).toEqual([LOCK_STATUS, HOLD_STATUS]);
  expect(server.received.at(-1)).toEqual({ verb: 'domain:update', clTRID: 'hold-7-dh' });
  expect(await registrar.setClientHold({ domain: 'hold.test', hold: true, requestId: 'hold-7' })).toEqual({ ok: true, data: { changed: false } });
  expect(server.verbs().filter((v) => v === 'domain:update')).toHaveLength(2); // the lock's and the hold's
  expect(await registrar.setClientHold({ domain: 'hold.test', hold: false })).toEqual({ ok: true, data: { changed: true } });
  expect(server.registry.domains.get('hold.test')!.status).toEqual([LOCK_STATUS]);
  const gone = await registrar.setClientHold({ domain: 'nowhere.test', hold: true });
  expect(gone.ok).toBe(false);
  if (!gone.ok) expect(gone.error).toMatchObject({ registryCode: 2303 });
});

test('EPP code from domain:info authInfo; when the registry returns none, a new code is set and returned', async () => {
  await start();
  await registrar.registerDomain({ domain: 'code.test', authInfo: 'Given-Code-7' });
  expect(await registrar.getEppCode('code.test')).toEqual({ ok: true, data: { eppCode: 'Given-Code-7' } });
  server.registry.domains.get('code.test')!.authPw = '';
  const res = await registrar.getEppCode('code.test');
  expect(res.ok).toBe(true);
  if (res.ok) {
    expect(res.data.eppCode).toMatch(/^.{16}$/);
    expect(server.registry.domains.get('code.test')!.authPw).toBe(res.data.eppCode);
  }
});
