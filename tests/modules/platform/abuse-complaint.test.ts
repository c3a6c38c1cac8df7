/** ESM-4: spam complaints can suspend a server — an abuse complaint is a lifecycle event that suspends the service, logged. */
import { startTestSuite, createBrand, type TestSuite } from '../../helpers/test-suite';
import { cart, person, platformOf } from './fixtures';

let t: TestSuite;

beforeAll(async () => {
  t = await startTestSuite({ http: false });
  await createBrand(t.suite, 'mailhost');
});
afterAll(() => t.close());

async function newService(n: number): Promise<{ clientId: number; serviceId: number }> {
  const p = platformOf(t.suite);
  const { clientId } = await p.signUp('mailhost', person(n));
  const o = await p.order(clientId, cart(n));
  return { clientId, serviceId: o.serviceIds[0] };
}

describe('abuse complaints', () => {
  it('ESM-4: an abuse complaint suspends the service and is audited', async () => {
    const { serviceId } = await newService(1);
    const r = await platformOf(t.suite).reportAbuse(serviceId, { category: 'spam', source: 'reporter@example.org', reference: 'FBL-42' });
    expect(r).toMatchObject({ serviceId, suspended: true, failures: 0 });
    const row = await t.suite.kernel.db('platform_services').where({ id: serviceId }).first();
    expect(row.status).toBe('suspended');
    expect(row.status_reason).toBe('abuse-spam');
    const [entry] = await t.suite.kernel.audit.list({ action: 'platform.service.suspend' });
    expect(entry).toMatchObject({ target_type: 'service', target_id: String(serviceId), actor: 'hook:AbuseComplaint' });
    expect(entry.details).toMatchObject({ reason: 'abuse-complaint', category: 'spam', hasReference: true });
    const stored = JSON.stringify(entry);
    for (const personal of ['reporter@example.org', 'ada.1@example.org', 'Lovelace1', 'FBL-42']) expect(stored).not.toContain(personal);
  });

  it('ESM-4: a complaint with suspend: false is recorded as a hook call but leaves the service running', async () => {
    const { serviceId } = await newService(2);
    const r = await platformOf(t.suite).reportAbuse(serviceId, { category: 'phishing', suspend: false });
    expect(r.suspended).toBe(false);
    expect((await t.suite.kernel.db('platform_services').where({ id: serviceId }).first()).status).toBe('active');
  });

  it('ESM-4: the suspend binding can be switched off per brand', async () => {
    const { serviceId } = await newService(3);
    await t.suite.kernel.brands.setEnabled('mailhost', 'binding', 'abuse-complaint-suspend-service', false, { type: 'cli', id: 'test' });
    const r = await platformOf(t.suite).reportAbuse(serviceId, { category: 'spam' });
    expect(r.suspended).toBe(false);
    expect((await t.suite.kernel.db('platform_services').where({ id: serviceId }).first()).status).toBe('active');
    await t.suite.kernel.brands.setEnabled('mailhost', 'binding', 'abuse-complaint-suspend-service', true, { type: 'cli', id: 'test' });
  });

  it('a complaint about an unknown service is refused with SUITE_NOT_FOUND', async () => {
    await expect(platformOf(t.suite).reportAbuse(999_999, { category: 'spam' })).rejects.toMatchObject({ code: 'SUITE_NOT_FOUND' });
  });
});
