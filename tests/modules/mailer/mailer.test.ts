/** The mailer: SMTP from SUITE_SMTP_URL, From and Reply-To from the brand, Message-ID from the idempotency key, errors without addresses. */
import { Writable } from 'node:stream';
import { createLogger } from '../../../core/logger';
import mailer from '../../../modules/mailer';
import type { MailerService } from '../../../modules/mailer/mailer-service';
import { messageIdFor } from '../../../modules/mailer/message-id';
import { SmtpSink } from '../../helpers/smtp-sink';
import { createBrand, startTestSuite, type TestSuite } from '../../helpers/test-suite';

const sink = new SmtpSink({ auth: { user: 'relay-user', pass: 'relay pass/1' }, rejectRcpt: (a) => a.startsWith('bounce') });
let t: TestSuite;
let brandId: number;
const lines: string[] = [];

const service = (s: TestSuite) => s.suite.kernel.service<MailerService>('mailer');

beforeAll(async () => {
  await sink.start();
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  t = await startTestSuite({ modules: [mailer], bindings: [], http: false, logger: createLogger('debug', stream), config: { smtpUrl: sink.url, mailFrom: 'notices@suite.example' } });
  await createBrand(t.suite, 'mailer-shop', { profile: { controller: { name: 'Shop Hosting Ltd', email: 'dpo@shop.example', country: 'GB' } } });
  await createBrand(t.suite, 'own-sender', { profile: { controller: { name: 'Own Sender GmbH', email: 'dpo@own.example' }, modules: { mailer: { fromAddress: 'privacy@own.example' } } } });
  brandId = (await t.suite.kernel.brands.get('mailer-shop')).id;
});
afterAll(async () => {
  await t?.close();
  await sink.stop();
});

describe('mailer', () => {
  it('sends over SMTP with the credentials of SUITE_SMTP_URL, From the controller name at SUITE_MAIL_FROM, Reply-To the controller', async () => {
    const sent = await service(t).send({ brandId, to: 'ada@example.org', subject: 'Hello\r\nBcc: x@evil.example', text: 'Plain text', html: '<p>Hi</p>', idempotencyKey: 'obx_one', headers: { 'Auto-Submitted': 'auto-generated' } });
    const [mail] = sink.to('ada@example.org');
    expect(mail).toBeDefined();
    expect(mail.user).toBe('relay-user');
    expect(mail.envelopeFrom).toBe('notices@suite.example');
    expect(mail.headers.from).toBe('Shop Hosting Ltd <notices@suite.example>');
    expect(mail.headers['reply-to']).toBe('dpo@shop.example');
    expect(mail.headers['message-id']).toBe(sent.messageId);
    expect(mail.headers['x-suite-idempotency-key']).toBe('obx_one');
    expect(mail.headers['auto-submitted']).toBe('auto-generated');
    expect(mail.headers.bcc).toBeUndefined();
    expect(mail.subject).toBe('Hello Bcc: x@evil.example');
    expect(mail.text.trim()).toBe('Plain text');
    expect(mail.html.trim()).toBe('<p>Hi</p>');
  });

  it('a resend with the same idempotency key carries the same Message-ID, so the receiving side can recognise it', async () => {
    const a = await service(t).send({ brandId, to: 'bob@example.org', subject: 's', text: 't', idempotencyKey: 'policy-notice:7:42' });
    const b = await service(t).send({ brandId, to: 'bob@example.org', subject: 's', text: 't', idempotencyKey: 'policy-notice:7:42' });
    expect(a.messageId).toBe(b.messageId);
    expect(a.messageId).toBe(messageIdFor('policy-notice:7:42', 'notices@suite.example'));
    expect(sink.to('bob@example.org').map((m) => m.headers['message-id'])).toEqual([a.messageId, a.messageId]);
    expect(sink.to('bob@example.org')[0].headers['x-suite-idempotency-key']).toBe('policy-notice:7:42');
  });

  it('a brand may set its own From address (modules.mailer.fromAddress)', async () => {
    const own = (await t.suite.kernel.brands.get('own-sender')).id;
    await service(t).send({ brandId: own, to: 'cy@example.org', subject: 's', text: 't', idempotencyKey: 'k-own' });
    expect(sink.to('cy@example.org')[0].headers.from).toBe('Own Sender GmbH <privacy@own.example>');
    expect(sink.to('cy@example.org')[0].headers['message-id']).toMatch(/@own\.example>$/);
  });

  it('a refused recipient fails with the SMTP codes only, never the address or the server text', async () => {
    const err = await service(t).send({ brandId, to: 'bounce-dora@example.org', subject: 's', text: 't', idempotencyKey: 'k-bounce' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^smtp send failed: EENVELOPE/);
    expect((err as Error).message).not.toContain('dora');
    expect(JSON.stringify(err)).not.toContain('dora');
  });

  it('logs no personal data and no SMTP credentials', () => {
    const out = lines.join('');
    for (const s of ['ada@example.org', 'bob@example.org', 'bounce-dora', 'relay pass', 'relay-user']) expect(out).not.toContain(s);
  });
});
