/** The reveal notice (WSM-17): rendered from templates/email/registrant-reveal-notice.hbs, text + HTML, in the customer's language. */
import { availableLocales } from '../../../core/i18n';
import { renderRevealNotice } from '../../../modules/registrant/reveal/render-notice';
import { useRegistrar } from '../../../modules/registrant/transfer/registrar-lookup';
import { SmtpSink } from '../../helpers/smtp-sink';
import { postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { FakeRegistrar, postContacts, registrantBrand, whmcsParams } from './fixtures';

const sink = new SmtpSink();
let t: TestSuite;
let ownerKey: string;

beforeAll(async () => {
  await sink.start();
  useRegistrar(() => new FakeRegistrar());
  t = await startTestSuite({ config: { smtpUrl: sink.url, mailFrom: 'privacy@test-hosting.example', outboxBaseDelayMs: 5, outboxMaxAttempts: 3 } });
  const secret = await registrantBrand(t.suite, 'notice-shop');
  ownerKey = (await t.suite.apiKeys.create({ role: 'owner', label: 'test' }, { type: 'cli', id: 'test' })).key;
  await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'notice-shop', vars: { client_id: 61, firstname: 'Ada', lastname: 'Lovelace', email: 'ada61@example.org', country: 'DE', language: 'german' } });
  await postContacts(t.baseUrl, secret, { brand: 'notice-shop', params: whmcsParams(61, 'geschuetzt', 'de', { idprotection: true, email: 'ada61@example.org' }) });
});
afterAll(async () => {
  useRegistrar();
  await t?.close();
  await sink.stop();
});

it('renders subject, text and HTML in every shipped locale, values escaped in the HTML only', () => {
  expect(availableLocales().sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'ru']);
  for (const locale of availableLocales()) {
    const m = renderRevealNotice(locale, { brand: 'Hosting & <Co>', domain: 'example.com', date: '1 January 2027', id: '42' });
    expect(m.subject).toContain('example.com');
    expect(m.text).toContain('42');
    expect(m.text).toContain('1 January 2027');
    expect(m.text).toContain('Hosting & <Co>');
    expect(m.text).not.toMatch(/registrant\.revealNotice/);
    expect(m.html).toContain('Hosting &amp; &lt;Co&gt;');
    expect(m.html).not.toContain('<Co>');
    expect(m.html).toContain(`lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}"`);
  }
});

it('WSM-17: the reveal notice reaches the customer as text + HTML, in their language, with the deadline', async () => {
  const res = await fetch(`${t.baseUrl}/api/v1/admin/brands/notice-shop/modules/registrant/reveal-requests`, {
    method: 'POST', headers: { authorization: `Bearer ${ownerKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ domain: 'geschuetzt.de', complainant: { name: 'Brand Owner', email: 'legal@brand-owner.example' }, legalBasis: 'Trademark infringement', evidence: 'Screenshots of the site.' }),
  });
  expect(res.status).toBe(201);
  const { id, deadlineAt } = (await res.json()) as { id: number; deadlineAt: number };
  await t.suite.worker.drain();
  const mails = sink.to('ada61@example.org');
  expect(mails).toHaveLength(1);
  const m = mails[0];
  expect(m.subject).toBe('Antrag auf Offenlegung für geschuetzt.de');
  expect(m.headers['content-language']).toBe('de');
  const date = new Intl.DateTimeFormat('de', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(deadlineAt));
  expect(m.text).toContain(`(Antrag ${id})`);
  expect(m.text).toContain(date);
  expect(m.html).toContain('<html lang="de" dir="ltr">');
  expect(m.html).toContain(date);
  expect(m.text + m.html).not.toMatch(/brand-owner|Brand Owner/);
});
