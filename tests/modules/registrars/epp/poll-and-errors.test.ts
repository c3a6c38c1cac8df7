/** EPP poll queue (req + ack) and result codes mapped to the contract's one error shape. */
import type { EppRegistrar } from '../../../../modules/registrars/epp';
import { errorForResult } from '../../../../modules/registrars/epp/result-codes';
import type { EppTestServer } from '../../../helpers/epp-test-server';
import { admin, useEppSession } from './fixtures';

const session = useEppSession();
let server: EppTestServer;
let registrar: EppRegistrar;
beforeEach(() => {
  server = session.server();
  registrar = session.registrar();
});

test('poll: each queued message is read (1301) and acknowledged; an empty queue (1300) ends the loop', async () => {
  server.registry.queueMessage('Transfer requested for move.test');
  server.registry.queueMessage('Domain expiring: old.test');
  const res = await registrar.poll();
  expect(res.ok).toBe(true);
  if (res.ok) expect(res.data.messages.map((m) => [m.id, m.text])).toEqual([['1', 'Transfer requested for move.test'], ['2', 'Domain expiring: old.test']]);
  expect(server.registry.messages).toHaveLength(0);
  expect(server.verbs()).toEqual(['poll', 'poll', 'poll', 'poll', 'poll']);
  expect(await registrar.poll()).toEqual({ ok: true, data: { messages: [] } });
});

test('2302 object exists → REGISTRAR_OBJECT_EXISTS', async () => {
  server.registry.seedDomain({ name: 'exists.test' });
  const res = await registrar.registerDomain({ domain: 'exists.test' });
  expect(res).toEqual({ ok: false, error: expect.objectContaining({ code: 'REGISTRAR_OBJECT_EXISTS', registryCode: 2302, retryable: false }) });
  if (!res.ok) expect(res.error.message).toMatch(/already exists.*EPP 2302/);
});

test('2303 object does not exist → REGISTRAR_OBJECT_NOT_FOUND', async () => {
  const res = await registrar.sync('nowhere.test');
  expect(res).toEqual({ ok: false, error: expect.objectContaining({ code: 'REGISTRAR_OBJECT_NOT_FOUND', registryCode: 2303, retryable: false }) });
});

test('2304 status prohibits → REGISTRAR_STATUS_PROHIBITS', async () => {
  server.registry.seedDomain({ name: 'frozen.test', sponsor: server.clID, status: ['serverUpdateProhibited'] });
  const res = await registrar.saveNameservers({ domain: 'frozen.test', nameservers: ['ns9.example.net'] });
  expect(res).toEqual({ ok: false, error: expect.objectContaining({ code: 'REGISTRAR_STATUS_PROHIBITS', registryCode: 2304, retryable: false }) });
});

test('2201 authorization error → REGISTRAR_AUTHORIZATION_FAILED (another registrar\'s domain)', async () => {
  server.registry.seedDomain({ name: 'theirs.test', sponsor: 'other-reg' });
  const res = await registrar.setRegistrarLock({ domain: 'theirs.test', locked: true });
  expect(res).toEqual({ ok: false, error: expect.objectContaining({ code: 'REGISTRAR_AUTHORIZATION_FAILED', registryCode: 2201, retryable: false }) });
});

test('2400 command failed → a retryable REGISTRAR_COMMAND_FAILED; the same call then succeeds', async () => {
  server.failNext(2400);
  const res = await registrar.registerDomain({ domain: 'later.test', contacts: { registrant: admin }, requestId: 'ob-9' });
  expect(res).toEqual({ ok: false, error: expect.objectContaining({ code: 'REGISTRAR_COMMAND_FAILED', registryCode: 2400, retryable: true }) });
  expect((await registrar.registerDomain({ domain: 'later.test', contacts: { registrant: admin }, requestId: 'ob-9' })).ok).toBe(true);
});

test('2500/2501/2502 close the session and are retryable; other codes are not', () => {
  for (const c of [2500, 2501, 2502]) expect(errorForResult(c, '')).toMatchObject({ code: 'REGISTRAR_SESSION_CLOSED', retryable: true });
  expect(errorForResult(2306, '')).toMatchObject({ code: 'REGISTRAR_PARAMETER_POLICY', retryable: false });
  expect(errorForResult(2005, 'Parameter value syntax error')).toMatchObject({ code: 'REGISTRAR_COMMAND_REJECTED', registryCode: 2005, retryable: false });
});

test('a 2502 answer ends the session; the next command opens a new one', async () => {
  await registrar.checkDomains(['a.test']);
  server.failNext(2502);
  const res = await registrar.checkDomains(['b.test']);
  expect(!res.ok && res.error.retryable).toBe(true);
  expect((await registrar.checkDomains(['c.test'])).ok).toBe(true);
  expect(server.stats.logins).toBe(2);
});
