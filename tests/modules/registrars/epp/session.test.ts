/** EPP transport and session (RFC 5730/5734): TLS with a client certificate, framing, greeting/login/logout, hello, reconnect. */
import { createEppRegistrar, type EppRegistrar } from '../../../../modules/registrars/epp';
import { encodeFrame, FrameDecoder } from '../../../../modules/registrars/epp/framing';
import { makeClTRID } from '../../../../modules/registrars/epp/cltrid';
import { validateEppFrame } from '../../../helpers/epp-frame-validator';
import { startEppTestServer, type EppTestServer } from '../../../helpers/epp-test-server';

let server: EppTestServer;
let registrar: EppRegistrar | null = null;

beforeEach(async () => { server = await startEppTestServer(); });
afterEach(async () => {
  await registrar?.close();
  registrar = null;
  await server.stop();
  expect(server.invalidFrames).toEqual([]);
});

test('framing: the 4-byte big-endian length counts itself; frames split across chunks are reassembled', () => {
  const frame = encodeFrame('<epp/>');
  expect(frame.readUInt32BE(0)).toBe(4 + 6);
  const two = Buffer.concat([frame, encodeFrame('<x>é</x>')]);
  const dec = new FrameDecoder();
  expect(dec.push(two.subarray(0, 7))).toEqual([]);
  expect(dec.push(two.subarray(7))).toEqual(['<epp/>', '<x>é</x>']);
  expect(() => new FrameDecoder().push(Buffer.from([0, 0, 0, 2]))).toThrow(/invalid EPP frame length/);
});

test('greeting, login with the offered objURI/extURI, one session reused for several commands, logout', async () => {
  registrar = createEppRegistrar(server.clientOptions());
  expect((await registrar.checkDomains(['free.test'])).ok).toBe(true);
  expect((await registrar.sync('missing.test')).ok).toBe(false);
  expect(server.stats.connections).toBe(1);
  expect(server.stats.logins).toBe(1);
  expect(registrar.session.greeting?.objURIs).toContain('urn:ietf:params:xml:ns:domain-1.0');
  await registrar.close();
  registrar = null;
  expect(server.stats.logouts).toBe(1);
  expect(server.verbs(true)).toEqual(['login', 'domain:check', 'domain:info', 'logout']);
});

test('commands issued together are serialised on the one session', async () => {
  registrar = createEppRegistrar(server.clientOptions());
  const results = await Promise.all(['a.test', 'b.test', 'c.test', 'd.test'].map((d) => registrar!.checkDomains([d])));
  expect(results.every((r) => r.ok)).toBe(true);
  expect(server.stats.connections).toBe(1);
  expect(server.verbs()).toEqual(['domain:check', 'domain:check', 'domain:check', 'domain:check']);
});

test('hello keep-alive is sent on the idle timer and answered with a greeting', async () => {
  registrar = createEppRegistrar(server.clientOptions({ keepAliveMs: 100 }));
  await registrar.checkDomains(['x.test']);
  await new Promise((r) => setTimeout(r, 450));
  expect(server.stats.hellos).toBeGreaterThanOrEqual(2);
  expect(server.stats.connections).toBe(1);
  expect((await registrar.session.hello()).svID).toBe('Test EPP Registry');
});

test('a dropped idle connection: the next command reconnects, logs in again and succeeds', async () => {
  registrar = createEppRegistrar(server.clientOptions());
  await registrar.checkDomains(['x.test']);
  server.dropAll();
  await new Promise((r) => setTimeout(r, 50));
  const res = await registrar.checkDomains(['y.test']);
  expect(res).toEqual({ ok: true, data: { available: { 'y.test': true } } });
  expect(server.stats.logins).toBe(2);
});

test('a connection dropped mid-command: the command is resent on a new session with the same clTRID and succeeds', async () => {
  server.registry.seedDomain({ name: 'mine.test', sponsor: server.clID, exDate: '2030-01-01T00:00:00.000Z' });
  registrar = createEppRegistrar(server.clientOptions());
  await registrar.checkDomains(['x.test']);
  server.dropNext();
  const res = await registrar.renewDomain({ domain: 'mine.test', period: 1, currentExpiry: '2030-01-01', requestId: 'outbox-77' });
  expect(res).toEqual({ ok: true, data: { expiresAt: '2031-01-01T00:00:00.000Z' } });
  const renews = server.received.filter((r) => r.verb === 'domain:renew');
  expect(renews).toHaveLength(2);
  expect(renews[0].clTRID).toBe(renews[1].clTRID);
  expect(renews[0].clTRID).toBe('outbox-77-rn');
  expect(server.stats.logins).toBe(2);
});

test('retries are bounded: a server that keeps dropping gives a retryable REGISTRAR_UNREACHABLE', async () => {
  registrar = createEppRegistrar(server.clientOptions({ maxRetries: 1 }));
  server.dropNext(5);
  const res = await registrar.checkDomains(['x.test']);
  expect(res.ok).toBe(false);
  if (!res.ok) expect(res.error).toMatchObject({ code: 'REGISTRAR_UNREACHABLE', retryable: true });
  expect(server.verbs()).toEqual(['domain:check', 'domain:check']);
});

test('the client certificate is required: a client without one (or with one the CA did not sign) is refused', async () => {
  for (const over of [{ cert: undefined, key: undefined }, { cert: server.pki.rogueCert, key: server.pki.rogueKey }]) {
    const r = createEppRegistrar(server.clientOptions({ ...over, maxRetries: 0 }));
    const res = await r.checkDomains(['x.test']);
    expect(res.ok).toBe(false);
    // No certificate: TLS 1.3 alert "certificate required"; an unknown issuer: the server ends the handshake.
    if (!res.ok && !over.cert) expect(res.error).toMatchObject({ code: 'REGISTRAR_TLS_REFUSED', retryable: false });
    if (!res.ok && over.cert) expect(res.error.message).toMatch(/certificate/);
    await r.close();
  }
  expect(server.stats.logins).toBe(0);
  expect(server.stats.tlsRejected).toBeGreaterThanOrEqual(2);
});

test('a wrong password: REGISTRAR_LOGIN_FAILED, not retryable', async () => {
  registrar = createEppRegistrar(server.clientOptions({ password: 'wrong-pass' }));
  const res = await registrar.checkDomains(['x.test']);
  expect(res.ok).toBe(false);
  if (!res.ok) expect(res.error).toMatchObject({ code: 'REGISTRAR_LOGIN_FAILED', registryCode: 2200, retryable: false });
});

test('clTRID: the request id when given (hashed when unusable), a fresh one otherwise; always a 3–64 character token', () => {
  expect(makeClTRID('p', 'req-1', 'dc')).toBe('req-1-dc');
  const long = makeClTRID('p', 'x'.repeat(200), 'dc');
  expect(long).toMatch(/^[0-9a-f]{40}-dc$/);
  expect(makeClTRID('p', 'has space', 'dc')).toMatch(/^[0-9a-f]{40}-dc$/);
  const a = makeClTRID('p', undefined, 'dc');
  expect(a).not.toBe(makeClTRID('p', undefined, 'dc'));
  expect(a.length).toBeLessThanOrEqual(64);
});

test('the frame check itself works: libxml2 against all.xsd rejects a frame the schema does not allow', async () => {
  const bad = '<epp xmlns="urn:ietf:params:xml:ns:epp-1.0"><command><check><domain:check xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"><domain:nam>a.test</domain:nam></domain:check></check></command></epp>';
  expect(await validateEppFrame(bad)).toMatch(/not expected/);
  expect(await validateEppFrame(bad.replace(/domain:nam>/g, 'domain:name>'))).toBeNull();
});
