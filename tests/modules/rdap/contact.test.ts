/**
 * The contact form behind RDAP's and WHOIS's `contact-uri` (issue 17 point 2): a message relayed to the domain's contact
 * through the mailer's outbox without any address shown (WSM-16a), to the privacy service's forwarding address under ID
 * protection (WSM-17); the same answer for every domain; limits per sender and per domain; a log without the message.
 */
import { Writable } from 'node:stream';
import { createLogger } from '../../../core/logger';
import type { RegistrantService } from '../../../modules/registrant/registrant-service';
import { useRegistrar } from '../../../modules/registrant/transfer/registrar-lookup';
import { contactScrubJob } from '../../../modules/rdap/contact/scrub-job';
import { scanDatabase } from '../../helpers/rights-db-scan';
import { SmtpSink } from '../../helpers/smtp-sink';
import { count, drainOutbox, postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { disclosures, FakeRegistrar, REGISTRANT_SETTINGS, registrantBrand, whmcsParams } from '../registrant/fixtures';

type Prop = [string, Record<string, unknown>, string, unknown];
interface Entity { roles: string[]; vcardArray: ['vcard', Prop[]] }
interface Page { status: number; html: string; headers: Headers }

const registrar = new FakeRegistrar();
const sink = new SmtpSink();
const logLines: string[] = [];
let t: TestSuite;
let secret: string;
let brandId: number;
let defaultSecret: string;
const SHOP = 'contact-shop';
/** The registrant's own address (client 7) and every other personal value of the fixture contact. */
const OWN_EMAIL = 'ada7@example.org';
const PERSONAL = [OWN_EMAIL, 'Lovelace', 'Analytical', 'NW1 6XE'];
const FORWARDING = /[0-9a-f]{24}@privacy\.test-hosting\.example/;
const MESSAGE = 'Hello, is example domain for sale? See https://offer.example/buy and www.offer.example — zebra-quartz-1729';

const service = () => t.suite.kernel.service<RegistrantService>('registrant');
let ipSeq = 0;
/** A fresh sender address per test (X-Forwarded-For behind the trusted proxy), so one test's sends never limit another's. */
const freshIp = () => `198.51.100.${++ipSeq}`;

async function register(sld: string, tld: string, extra: Record<string, unknown> = {}, brand = SHOP, s = secret): Promise<void> {
  for (const hook of ['PreRegistrarRegisterDomain', 'AfterRegistrarRegistration']) {
    const r = await postHook(t.baseUrl, hook, s, { brand, vars: { params: whmcsParams(7, sld, tld, extra) } });
    expect(r.body.abortWithError).toBeUndefined();
  }
}

async function getPage(path: string, ip: string, headers: Record<string, string> = {}): Promise<Page & { cookie: string; token: string }> {
  const res = await fetch(`${t.baseUrl}${path}`, { headers: { 'x-forwarded-for': ip, accept: 'text/html', ...headers } });
  const html = await res.text();
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { status: res.status, html, headers: res.headers, cookie, token: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '' };
}

/** Opens the form (its CSRF cookie and token) and posts `fields` to it. */
async function send(domain: string, fields: Record<string, string>, opts: { ip?: string; csrf?: boolean; lang?: string } = {}): Promise<Page> {
  const ip = opts.ip ?? freshIp();
  const form = await getPage(`/rdap/contact/${domain}`, ip);
  const body = new URLSearchParams({ ...(opts.csrf === false ? {} : { _csrf: form.token }), ...fields });
  const res = await fetch(`${t.baseUrl}/rdap/contact/${domain}${opts.lang ? `?lang=${opts.lang}` : ''}`, {
    method: 'POST', redirect: 'manual', body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', 'x-forwarded-for': ip, cookie: form.cookie },
  });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

const valid = (extra: Record<string, string> = {}) => ({ name: 'Grace Hopper', email: 'grace@sender.example', role: 'registrant', message: MESSAGE, ...extra });
/** The answer's status paragraph with the domain taken out (what the sender learns). */
const answerOf = (p: Page, domain: string) => (/<p role="status">([^<]*)<\/p>/.exec(p.html)?.[1] ?? '').replaceAll(domain, '<domain>');
const relays = () => t.suite.kernel.db('outbox').where({ topic: 'rdap.contact-relay' }).orderBy('id');
function expectNoAddress(html: string): void {
  for (const v of PERSONAL) expect(html).not.toContain(v);
  expect(html).not.toMatch(FORWARDING);
}

beforeAll(async () => {
  await sink.start();
  useRegistrar(() => registrar);
  const logger = createLogger('info', new Writable({ write(chunk: Buffer, _enc, cb) { logLines.push(chunk.toString('utf8')); cb(); } }));
  t = await startTestSuite({ logger, config: { smtpUrl: sink.url, mailFrom: 'privacy@test-hosting.example', outboxBaseDelayMs: 5, outboxMaxAttempts: 3, trustProxy: true } });
  const rdap = { redactedEmail: 'form', contactFormUrl: `${t.baseUrl}/rdap/contact/{domain}?role={role}`, contactForm: { perDomain: 3, messageMax: 500 } };
  secret = await registrantBrand(t.suite, SHOP, { modules: { registrant: REGISTRANT_SETTINGS, rdap } });
  brandId = (await t.suite.kernel.brands.get(SHOP)).id;
  await postHook(t.baseUrl, 'ClientAdd', secret, { brand: SHOP, vars: { client_id: 7, firstname: 'Ada', lastname: 'Lovelace', email: OWN_EMAIL, country: 'GB' } });
  await register('redacted', 'com');
  await register('protected', 'com', { idprotection: true });
  await register('limited', 'net');
  await register('thin', 'example-thin');
  // One domain per test that posts to a known domain, so the per-domain limit (3) of one never touches another.
  for (const sld of ['same', 'trap', 'typo', 'logged', 'arabic', 'subject', 'scrub']) await register(sld, 'com');
  // A brand that asks for a form but names none: the suite's own form is the default (links from its public URL). Its
  // relays would go out for a purpose its mail relay is not registered for.
  defaultSecret = await registrantBrand(t.suite, 'contact-default', { modules: { registrant: REGISTRANT_SETTINGS, rdap: { redactedEmail: 'form', contactForm: { purpose: 'marketing' } }, consent: { publicUrl: t.baseUrl } } });
  await postHook(t.baseUrl, 'ClientAdd', defaultSecret, { brand: 'contact-default', vars: { client_id: 7, firstname: 'Ada', lastname: 'Lovelace', email: OWN_EMAIL, country: 'GB' } });
  await register('default-form', 'com', {}, 'contact-default', defaultSecret);
  await drainOutbox(t.suite);
});
afterAll(async () => {
  useRegistrar();
  await t?.close();
  await sink.stop();
});

describe('the RDAP/WHOIS contact form', () => {
  it('WSM-16a: the contact-uri of a redacted email opens the form; the registrant gets the message, the sender never an address', async () => {
    const answer = (await (await fetch(`${t.baseUrl}/rdap/domain/redacted.com`)).json()) as { entities: Entity[] };
    const registrant = answer.entities.find((e) => e.roles[0] === 'registrant')!;
    const uri = String(registrant.vcardArray[1].find((p) => p[0] === 'contact-uri')![3]);
    expect(uri).toBe(`${t.baseUrl}/rdap/contact/redacted.com?role=registrant`);

    const ip = freshIp();
    const page = await getPage(uri.slice(t.baseUrl.length), ip);
    expect(page.status).toBe(200);
    expect(page.html).toContain('name="message"');
    expect(page.html).toContain('value="registrant" checked');
    expectNoAddress(page.html);

    const sent = await send('redacted.com', valid(), { ip });
    expect(sent.status).toBe(200);
    expect(answerOf(sent, 'redacted.com')).toContain('your message has been forwarded');
    expectNoAddress(sent.html);
    expect(await relays()).toHaveLength(1);

    await drainOutbox(t.suite);
    const mail = sink.received.find((m) => m.envelopeTo.includes(OWN_EMAIL))!;
    expect(mail).toBeDefined();
    expect(mail.subject).toContain('redacted.com');
    expect(mail.html).toBe('');
    expect(mail.text).toContain('Sender: Grace Hopper <grace@sender.example>');
    expect(mail.text).toContain('zebra-quartz-1729');
    // Links in a stranger's text are inert.
    expect(mail.text).toContain('hxxps://offer.example/buy');
    expect(mail.text).toContain('www[.]offer.example');
    expect(mail.text).not.toContain('https://offer.example');
  });

  it('WSM-17: under ID protection the message goes to the privacy service\'s forwarding address, shown to nobody', async () => {
    const before = sink.received.length;
    const sent = await send('protected.com', valid({ role: 'tech' }));
    expect(sent.status).toBe(200);
    expectNoAddress(sent.html);
    await drainOutbox(t.suite);
    const mails = sink.received.slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0].envelopeTo).toHaveLength(1);
    expect(mails[0].envelopeTo[0]).toMatch(new RegExp(`^${FORWARDING.source}$`));
    expect(mails[0].envelopeTo[0]).not.toBe(OWN_EMAIL);
    const data = await service().registrationData(brandId, 'protected.com');
    expect(mails[0].envelopeTo[0]).toBe(data!.contacts.tech!.email);
  });

  it('WSM-16a: an unknown domain, a domain without a contact and a known one answer the same; only the known one relays', async () => {
    const before = (await relays()).length;
    const known = await send('same.com', valid());
    const unknown = await send('nobody-here.org', valid());
    const none = await send('thin.example-thin', valid());
    for (const p of [known, unknown, none]) {
      expect(p.status).toBe(200);
      expectNoAddress(p.html);
    }
    expect(answerOf(unknown, 'nobody-here.org')).toBe(answerOf(known, 'same.com'));
    expect(answerOf(none, 'thin.example-thin')).toBe(answerOf(known, 'same.com'));
    expect((await relays()).length).toBe(before + 1);
    // The domain without a contact is recorded as withheld (no address, no text) in the brand's audit log.
    const withheld = (await t.suite.kernel.audit.list({ brandIds: [brandId], action: 'rdap.contact.withheld' }));
    expect(withheld[0].details).toMatchObject({ outcome: 'no-recipient', role: 'registrant' });
  });

  it('WSM-16a: a brand whose mail relay is not registered for the relay\'s purpose relays nothing and answers the same', async () => {
    const before = (await relays()).length;
    const p = await send('default-form.com', valid());
    expect(p.status).toBe(200);
    expect(answerOf(p, 'default-form.com')).toContain('your message has been forwarded');
    expect((await relays()).length).toBe(before);
    const other = (await t.suite.kernel.brands.get('contact-default')).id;
    const [entry] = await t.suite.kernel.audit.list({ brandIds: [other], action: 'rdap.contact.withheld' });
    expect(entry.details).toMatchObject({ outcome: 'no-transfer', role: 'registrant' });
    expect(logLines.join('')).toMatch(/"code":"SUITE_PURPOSE_NOT_ALLOWED".*contact form message withheld/);
  });

  it('WSM-16a: a filled honeypot gets the same answer and relays nothing', async () => {
    const before = (await relays()).length;
    const p = await send('trap.com', valid({ website: 'http://spam.example' }));
    expect(p.status).toBe(200);
    expect(answerOf(p, 'trap.com')).toContain('your message has been forwarded');
    expect((await relays()).length).toBe(before);
  });

  it('a sender is limited across domains, and a domain across senders: 429 with Retry-After', async () => {
    // perSender 5 (the default): the sixth message from one address is refused, whichever domain it is for.
    const ip = freshIp();
    for (let i = 0; i < 5; i++) expect((await send(`unknown-${i}.org`, valid(), { ip })).status).toBe(200);
    const over = await send('unknown-9.org', valid(), { ip });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
    expect(over.html).toContain('Too many messages');
    // Another address still gets through.
    expect((await send('unknown-9.org', valid())).status).toBe(200);

    // perDomain 3: the fourth message to one domain is refused, from any address.
    const before = (await relays()).length;
    for (let i = 0; i < 3; i++) expect((await send('limited.net', valid())).status).toBe(200);
    const full = await send('limited.net', valid());
    expect(full.status).toBe(429);
    expect(Number(full.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await relays()).length).toBe(before + 3);
  });

  it('WSM-16a: a post without the CSRF token is refused and writes nothing', async () => {
    const before = { outbox: await count(t.suite, 'outbox'), audit: await count(t.suite, 'audit_log') };
    const p = await send('redacted.com', valid(), { csrf: false });
    expect(p.status).toBe(403);
    const forged = await fetch(`${t.baseUrl}/rdap/contact/redacted.com`, {
      method: 'POST', body: new URLSearchParams({ ...valid(), _csrf: 'x'.repeat(43) }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', 'x-forwarded-for': freshIp(), cookie: `suite_csrf=${'y'.repeat(43)}` },
    });
    expect(forged.status).toBe(403);
    expect(await count(t.suite, 'outbox')).toBe(before.outbox);
    expect(await count(t.suite, 'audit_log')).toBe(before.audit);
  });

  it('WSM-16a: bad input names each failing field next to it, keeps what was typed and writes nothing', async () => {
    const before = { outbox: await count(t.suite, 'outbox'), audit: await count(t.suite, 'audit_log'), disclosures: await count(t.suite, 'disclosure_log') };
    const p = await send('typo.com', { name: 'Grace <b>Hopper</b>', email: 'not-an-address', role: 'owner', message: 'short' });
    expect(p.status).toBe(400);
    for (const f of ['email', 'role', 'message']) expect(p.html).toContain(`data-field="${f}"`);
    expect(p.html).not.toContain('data-field="name"');
    expect(p.html).toContain('Please enter a valid email address');
    expect(p.html).toContain('value="Grace &lt;b&gt;Hopper&lt;/b&gt;"');
    expect(p.html).toContain('aria-invalid="true"');
    const long = await send('typo.com', valid({ message: 'x'.repeat(501) }));
    expect(long.status).toBe(400);
    expect(long.html).toContain('at most 500 characters');
    expect(await count(t.suite, 'outbox')).toBe(before.outbox);
    expect(await count(t.suite, 'audit_log')).toBe(before.audit);
    expect(await count(t.suite, 'disclosure_log')).toBe(before.disclosures);
  });

  it('WSM-16a: the relay is logged without the message, the names or an address; the sealed payload is blanked once sent', async () => {
    const text = 'pelican-marmalade-4711 please call me back';
    await send('logged.com', valid({ message: text, name: 'Katherine Johnson', email: 'kj@sender.example' }), { ip: '203.0.113.77' });
    // Before delivery only the outbox payload holds it, sealed (the scan decrypts; nothing holds it in plain text).
    const queued = await scanDatabase(t.suite, [text, 'Katherine Johnson', 'kj@sender.example']);
    expect(new Set(queued.map((h) => `${h.table}.${h.column}`))).toEqual(new Set(['outbox.payload_enc']));
    const row = (await relays()).at(-1) as { id: number; payload_enc: string; recipient: string; purpose: string };
    expect(row.payload_enc).not.toContain('pelican');
    expect(row).toMatchObject({ recipient: 'email', purpose: 'service' });

    await drainOutbox(t.suite);
    expect(sink.received.some((m) => m.text.includes(text))).toBe(true);
    // After delivery nothing in the database holds the message, the sender's name or address — not even sealed.
    expect(await scanDatabase(t.suite, [text, 'Katherine Johnson', 'kj@sender.example'])).toEqual([]);
    expect(await t.suite.kernel.keyring.decrypt(String((await t.suite.kernel.db('outbox').where({ id: row.id }).first('payload_enc')).payload_enc))).toBe('{}');

    const entry = (await t.suite.kernel.audit.list({ brandIds: [brandId], action: 'rdap.contact.relayed' }))[0];
    expect(entry).toMatchObject({ actor: 'anonymous:rdap-contact', target_type: 'rdap_contact', target_id: String(row.id) });
    expect(entry.details).toEqual({ outcome: 'relayed', role: 'registrant', domainRef: expect.stringMatching(/^[0-9a-f]{24}$/), outboxId: row.id });
    expect(entry.ip_hash).toEqual(expect.any(String));
    expect(JSON.stringify(entry)).not.toContain('203.0.113.77');
    expect(JSON.stringify(entry)).not.toContain('logged.com');
    // Nor the application log.
    const logs = logLines.join('');
    for (const v of [text, 'Katherine', 'kj@sender.example', OWN_EMAIL, '203.0.113.77']) expect(logs).not.toContain(v);
    expect(logs).not.toMatch(FORWARDING);
  });

  it('the form in Arabic renders right to left, every string from lang/', async () => {
    const p = await getPage('/rdap/contact/arabic.com?lang=ar', freshIp());
    expect(p.status).toBe(200);
    expect(p.html).toContain('<html lang="ar" dir="rtl">');
    expect(p.html).toContain('التواصل مع صاحب arabic.com');
    expect(p.html).toContain('إرسال الرسالة');
    expect(p.html).not.toMatch(/rdap\.contact\./);
    const bad = await send('arabic.com', { name: '', email: '', role: 'registrant', message: '' }, { lang: 'ar' });
    expect(bad.html).toContain('dir="rtl"');
    expect(bad.html).toContain('يُرجى إدخال اسمك');
  });

  it('WSM-16a: a relay the outbox gave up on loses its message 14 days after the last attempt (contact-scrub job)', async () => {
    const text = 'albatross-quince-2468 are you there';
    await send('scrub.com', valid({ message: text }));
    const row = (await relays()).at(-1) as { id: number };
    const run = async () => contactScrubJob.run({ kernel: t.suite.kernel, brands: [await t.suite.kernel.brands.get(SHOP)], log: t.suite.kernel.log, signal: new AbortController().signal });
    await t.suite.kernel.db('outbox').where({ id: row.id }).update({ state: 'dead', last_error: '550 mailbox unavailable', next_attempt_at: Date.now() - 13 * 86_400_000 });
    expect(await run()).toEqual({ scrubbed: 0 });
    expect((await scanDatabase(t.suite, [text])).map((h) => h.table)).toEqual(['outbox']);
    await t.suite.kernel.db('outbox').where({ id: row.id }).update({ next_attempt_at: Date.now() - 15 * 86_400_000 });
    expect(await run()).toEqual({ scrubbed: 1 });
    expect(await scanDatabase(t.suite, [text])).toEqual([]);
    expect(String((await t.suite.kernel.db('outbox').where({ id: row.id }).first('last_error')).last_error)).toBe('payload removed after 14 days (550 mailbox unavailable)');
    expect(await run()).toEqual({ scrubbed: 0 });
  });

  it('WSM-16a: the relayed mail\'s Reply-To is the sender', async () => {
    const before = sink.received.length;
    await send('same.com', valid({ email: 'reply-here@sender.example' }));
    await drainOutbox(t.suite);
    const mail = sink.received.slice(before).find((m) => m.text.includes('reply-here@sender.example'))!;
    expect(mail.headers['reply-to']).toContain('reply-here@sender.example');
  });

  it('WSM-16a: without a contactFormUrl the contact-uri is the suite\'s own form', async () => {
    const answer = (await (await fetch(`${t.baseUrl}/rdap/domain/default-form.com`)).json()) as { entities: Entity[] };
    const uri = new URL(String(answer.entities.find((e) => e.roles[0] === 'registrant')!.vcardArray[1].find((p) => p[0] === 'contact-uri')![3]));
    expect(`${uri.pathname}${uri.search}`).toBe('/rdap/contact/default-form.com?role=registrant');
    expect((await getPage(`${uri.pathname}${uri.search}`, freshIp())).status).toBe(200);
  });

  it('WSM-16a: the relay names the registrant in the disclosure log', async () => {
    await send('subject.com', valid());
    const row = (await relays()).at(-1) as { idempotency_key: string };
    const subject = await t.suite.kernel.subjects.findByExternal(brandId, 'client', 7);
    expect((await disclosures(t.suite, brandId)).find((d) => d.reference === row.idempotency_key)).toMatchObject({ subject_id: subject!.id, recipient: 'email', purpose: 'service' });
  });

  it('a path that is not a domain name answers 404 with a page', async () => {
    const p = await getPage('/rdap/contact/not_a_domain', freshIp());
    expect(p.status).toBe(404);
    expect(p.html).toContain('Not a domain name');
  });
});
