/** SP-5.1 / GDPR Art. 18(3): when a restriction is lifted the person is told, by email, with the reason — nothing else about them. */
import { SmtpSink } from '../../helpers/smtp-sink';
import { drainOutbox, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, rightsBrand, rightsCall, signUp } from './fixtures';

const sink = new SmtpSink();
let t: TestSuite;
let key: string;

beforeAll(async () => {
  await sink.start();
  t = await startTestSuite({ config: { smtpUrl: sink.url, mailFrom: 'privacy@suite.example' } });
  await rightsBrand(t.suite, 'shop');
  key = await adminKey(t.suite);
});
afterAll(async () => {
  await t?.close();
  await sink.stop();
});

it('SP-5.1: lifting a restriction emails the person that their data is used again, and why', async () => {
  const { subjectId } = await signUp(t.suite, 'shop', 1);
  const open = await rightsCall(t.baseUrl, key, 'shop', 'POST', '/requests', { type: 'restrict', subjectId, verified: 'manual' });
  expect((await rightsCall(t.baseUrl, key, 'shop', 'POST', `/requests/${open.body.request.id}/fulfil`)).body.request.status).toBe('fulfilled');
  const lift = await rightsCall(t.baseUrl, key, 'shop', 'POST', `/subjects/${subjectId}/restriction/lift`, { reason: 'accuracy-verified' });
  expect(lift.status).toBe(200);
  expect(lift.body.restriction.notice.outboxId).toEqual(expect.any(Number));
  await drainOutbox(t.suite);
  const mails = sink.received.filter((m) => m.envelopeTo.includes('ada.1@example.org'));
  expect(mails).toHaveLength(1);
  expect(mails[0].subject).toBe('shop uses your data again');
  expect(mails[0].text).toContain('We checked the accuracy of your data');
  expect(mails[0].text).toContain('privacy@test-hosting.example');
  // The notice went out while the restriction was still in force in the same transaction: a notice to the person themselves.
  const row = await t.suite.kernel.db('outbox').where({ id: lift.body.restriction.notice.outboxId }).first();
  expect(row).toMatchObject({ topic: 'rights.restriction-lifted', state: 'delivered' });
});
