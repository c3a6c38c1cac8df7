/** The registrars/epp module: loads in the suite, reads per-brand connection settings (PEM paths, password from the environment), caches one registrar per brand. */
import path from 'node:path';
import { startTestSuite, createBrand, PROVIDER_PROFILE, type TestSuite } from '../../../helpers/test-suite';
import { startEppTestServer, type EppTestServer } from '../../../helpers/epp-test-server';
import type { EppRegistrarCache } from '../../../../modules/registrars/epp';
import { EppFailure } from '../../../../modules/registrars/epp/result-codes';
import { INSTALLED_MODULES } from '../../../../modules/installed';

let t: TestSuite;
let server: EppTestServer;

beforeAll(async () => {
  server = await startEppTestServer();
  t = await startTestSuite({ http: false });
  process.env.TEST_EPP_PASSWORD = server.password;
  const pem = (f: string) => path.join(server.pki.dir, f);
  await createBrand(t.suite, 'epp-brand', { profile: { ...PROVIDER_PROFILE, modules: { 'registrars/epp': {
    host: '127.0.0.1', port: server.port, servername: 'localhost', clID: server.clID, passwordEnv: 'TEST_EPP_PASSWORD',
    certificate: pem('client.crt'), key: pem('client.key'), ca: server.pki.serverCert, keepAliveSeconds: 0,
  } } } });
  await createBrand(t.suite, 'no-epp');
});
afterAll(async () => {
  await t.close();
  await server.stop();
  expect(server.invalidFrames).toEqual([]);
});

test('the module is installed, loads as a registrar that stores no personal data', () => {
  expect(INSTALLED_MODULES.map((m) => m.name)).toContain('registrars/epp');
  const def = t.suite.kernel.modules.get('registrars/epp');
  expect(def).toMatchObject({ type: 'registrar', storesPersonalData: false });
  expect(t.suite.kernel.modules.failures.filter((f) => f.module === 'registrars/epp')).toEqual([]);
});

test('the service gives each brand its registrar from its settings (certificate and key by path, CA as PEM, password from the environment) and reuses it', async () => {
  const cache = t.suite.kernel.service<EppRegistrarCache>('registrars/epp');
  const brand = await t.suite.kernel.brands.get('epp-brand');
  const registrar = await cache.forBrand(brand);
  expect(await registrar.checkDomains(['free.test'])).toEqual({ ok: true, data: { available: { 'free.test': true } } });
  expect(await cache.forBrand(brand)).toBe(registrar);
  expect(server.stats.logins).toBe(1);
});

test('a brand without connection settings: REGISTRAR_NOT_CONFIGURED naming what is missing', async () => {
  const cache = t.suite.kernel.service<EppRegistrarCache>('registrars/epp');
  const err = await cache.forBrand(await t.suite.kernel.brands.get('no-epp')).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(EppFailure);
  expect((err as EppFailure).error).toMatchObject({ code: 'REGISTRAR_NOT_CONFIGURED', retryable: false });
  expect((err as EppFailure).error.message).toMatch(/host, clID, password or passwordEnv, certificate, key/);
});

test('graceful shutdown logs out of the open EPP session', async () => {
  const own = await startTestSuite({ http: false, db: t.db });
  const registrar = await own.suite.kernel.service<EppRegistrarCache>('registrars/epp').forBrand(await own.suite.kernel.brands.get('epp-brand'));
  expect((await registrar.sync('nothing-here.example')).ok).toBe(false); // opens and logs in a session
  const logouts = server.stats.logouts;
  await own.suite.stop();
  expect(server.stats.logouts).toBe(logouts + 1);
});
