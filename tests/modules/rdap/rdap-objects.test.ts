/** RDAP beyond domains (entity, nameserver, help, error objects), caching headers with 304, and the per-address limits of RDAP and WHOIS (issue 17). */
import net, { type AddressInfo } from 'node:net';
import { RegistrantService } from '../../../modules/registrant/registrant-service';
import { useRegistrar } from '../../../modules/registrant/transfer/registrar-lookup';
import type { RdapService } from '../../../modules/rdap/whois';
import { createRdapNameservers, saveNameservers } from '../../../modules/rdap/nameservers/nameserver-store';
import { nameserversOf } from '../../../modules/rdap/nameservers/record-nameservers';
import { AnswerCache } from '../../../modules/rdap/answer-cache';
import { postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { FakeRegistrar, registrantBrand, whmcsParams } from '../registrant/fixtures';
import { schemaErrors, type SchemaId } from './rdap-schema';

const registrar = new FakeRegistrar();
let t: TestSuite;
let baseUrl: string;
let secret: string;
let brandId: number;
const REGISTRAR = { ianaId: '1234', name: 'Objects Registrar Ltd', url: 'https://registrar.example', abuse: { email: 'abuse@registrar.example', phone: '+44.2070000009' } };
/** RDAP allows this many look-ups a minute per address here; each test uses its own address (X-Forwarded-For, trusted). */
const RDAP_RATE = 8;
let nextIp = 1;
const freshIp = () => `198.51.100.${nextIp++}`;

interface Answer { status: number; headers: Headers; body: Record<string, unknown> | null }
async function get(path: string, opts: { ip?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { 'x-forwarded-for': opts.ip ?? freshIp(), ...opts.headers } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}
function expectValid(schema: SchemaId, body: Record<string, unknown> | null): void {
  expect(body).not.toBeNull();
  expect(schemaErrors(schema, body!)).toEqual([]);
}
function whois(query: string): Promise<string> {
  const port = t.suite.kernel.service<RdapService>('rdap').whoisPort()!;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`${query}\r\n`));
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
async function register(sld: string, tld: string, extra: Record<string, unknown> = {}): Promise<void> {
  for (const hook of ['PreRegistrarRegisterDomain', 'AfterRegistrarRegistration']) {
    const r = await postHook(baseUrl, hook, secret, { brand: 'objects-shop', vars: { params: whmcsParams(7, sld, tld, extra) } });
    expect(r.status).toBe(200);
  }
}

beforeAll(async () => {
  useRegistrar(() => registrar);
  t = await startTestSuite({
    http: false,
    // rdapMemoMs 0: every look-up re-reads the record's version (these tests change a record between look-ups).
    config: { whoisPort: 0, trustProxy: true, rdapRatePerMinute: RDAP_RATE, whoisRatePerMinute: 3, rdapMemoMs: 0, rdapCacheSeconds: 120, outboxBaseDelayMs: 5, outboxMaxAttempts: 3 },
  });
  const server = await t.suite.listen(0, '127.0.0.1', { background: true });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  secret = await registrantBrand(t.suite, 'objects-shop', { modules: { registrant: (await import('../registrant/fixtures')).REGISTRANT_SETTINGS, rdap: { registrar: REGISTRAR } } });
  brandId = (await t.suite.kernel.brands.get('objects-shop')).id;
  await postHook(baseUrl, 'ClientAdd', secret, { brand: 'objects-shop', vars: { client_id: 7, firstname: 'Ada', lastname: 'Lovelace', email: 'ada7@example.org', country: 'GB' } });
  await register('objects', 'com', { ns1: 'NS1.Hoster.example', ns2: 'ns2.hoster.example.', ns3: 'xn--bcher-kva.example' });
  await register('changing', 'com');
  // The nameserver table is the rdap module's own; until its migration runs with the module's, create it here.
  if (!(await t.suite.kernel.db.schema.hasTable('rdap_nameservers'))) await createRdapNameservers.up(t.suite.kernel.db);
  const ns = nameserversOf(whmcsParams(7, 'objects', 'com', { ns1: 'NS1.Hoster.example', ns2: 'ns2.hoster.example.', ns3: 'xn--bcher-kva.example', ns4: 'not a name' }))!;
  await saveNameservers(t.suite.kernel.db, brandId, ns.domain, ns.names);
});
afterAll(async () => {
  useRegistrar();
  await t?.close();
});

describe('RDAP objects beyond domains', () => {
  it('the registrar entity: IANA id, name and abuse contact, as an entity answer and inside a domain answer', async () => {
    const a = await get('/rdap/entity/1234');
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toMatch(/^application\/rdap\+json/);
    expectValid('rdap_entity.json', a.body);
    expect(a.body).toMatchObject({ objectClassName: 'entity', handle: '1234', roles: ['registrar'], publicIds: [{ type: 'IANA Registrar ID', identifier: '1234' }] });
    const abuse = (a.body!.entities as { roles: string[]; vcardArray: [string, unknown[][]] }[])[0];
    expect(abuse.roles).toEqual(['abuse']);
    expect(abuse.vcardArray[1]).toEqual(expect.arrayContaining([['email', {}, 'text', 'abuse@registrar.example'], ['tel', { type: 'voice' }, 'uri', 'tel:+44.2070000009']]));
    expect(a.body!.rdapConformance).toEqual(expect.arrayContaining(['rdap_level_0', 'icann_rdap_response_profile_1']));

    const d = await get('/rdap/domain/objects.com');
    expectValid('rdap_domain.json', d.body);
    const roles = (d.body!.entities as { roles: string[]; handle?: string }[]).map((e) => [e.roles[0], e.handle]);
    expect(roles).toEqual(expect.arrayContaining([['registrar', '1234']]));
  });

  it('WSM-16a: a registrant or other contact handle is not looked up: 404 error object, nothing of the contact', async () => {
    const handles = (await t.suite.kernel.db('registrant_contacts').pluck('handle')).map(String);
    expect(handles.length).toBeGreaterThan(0);
    for (const h of [...handles.slice(0, 2), '999999', 'not-a-handle']) {
      const a = await get(`/rdap/entity/${h}`);
      expect(a.status).toBe(404);
      expectValid('rdap_error.json', a.body);
      expect(a.body).toMatchObject({ errorCode: 404, title: 'Not Found' });
      expect(JSON.stringify(a.body)).not.toMatch(/Ada|Lovelace|example\.org/);
      expect(a.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('a nameserver of a domain held here: LDH and Unicode names, status; unknown and invalid names are error objects', async () => {
    expect(nameserversOf(whmcsParams(7, 'objects', 'com', { ns1: 'NS1.Hoster.example', ns2: 'bad name' }))).toEqual({ domain: 'objects.com', names: ['ns1.hoster.example'] });
    const a = await get('/rdap/nameserver/NS1.HOSTER.example.');
    expect(a.status).toBe(200);
    expectValid('rdap_nameserver.json', a.body);
    expect(a.body).toMatchObject({ objectClassName: 'nameserver', ldhName: 'ns1.hoster.example', status: ['active', 'associated'] });
    expect(a.body!.unicodeName).toBeUndefined();

    for (const q of ['xn--bcher-kva.example', 'bücher.example']) {
      const idn = await get(`/rdap/nameserver/${encodeURIComponent(q)}`);
      expect(idn.status).toBe(200);
      expectValid('rdap_nameserver.json', idn.body);
      expect(idn.body).toMatchObject({ ldhName: 'xn--bcher-kva.example', unicodeName: 'bücher.example' });
    }

    const unknown = await get('/rdap/nameserver/ns9.elsewhere.example');
    expect(unknown.status).toBe(404);
    expectValid('rdap_error.json', unknown.body);
    const bad = await get('/rdap/nameserver/not_a..name');
    expect(bad.status).toBe(400);
    expectValid('rdap_error.json', bad.body);
    const other = await get('/rdap/ip/192.0.2.1');
    expect(other.status).toBe(501);
    expectValid('rdap_error.json', other.body);
  });

  it('help (RFC 9082 §3.1.6): conformance, terms and the queries answered', async () => {
    const a = await get('/rdap/help');
    expect(a.status).toBe(200);
    expectValid('rdap_help.json', a.body);
    expect(a.body!.rdapConformance).toEqual(expect.arrayContaining(['rdap_level_0', 'redacted']));
    const text = JSON.stringify(a.body!.notices);
    for (const q of ['/rdap/domain/', '/rdap/nameserver/', '/rdap/entity/']) expect(text).toContain(q);
  });
});

describe('RDAP caching headers', () => {
  it('WSM-16a: a redacted answer carries a strong ETag and public max-age; If-None-Match gets 304 without a body', async () => {
    const a = await get('/rdap/domain/objects.com');
    expect(a.status).toBe(200);
    const etag = a.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);
    expect(a.headers.get('cache-control')).toBe('public, max-age=120');
    // The same bytes every time: the ETag is stable between look-ups.
    expect((await get('/rdap/domain/objects.com')).headers.get('etag')).toBe(etag);

    const res = await fetch(`${baseUrl}/rdap/domain/objects.com`, { headers: { 'if-none-match': `W/"x", ${etag}`, 'x-forwarded-for': freshIp() } });
    expect(res.status).toBe(304);
    expect(res.headers.get('etag')).toBe(etag);
    expect(await res.text()).toBe('');
    expect((await get('/rdap/domain/objects.com', { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    // Errors are not kept by anyone.
    const missing = await get('/rdap/domain/missing.com');
    expect(missing.headers.get('cache-control')).toBe('no-store');
    expect(missing.headers.get('etag')).toBeNull();
  });

  it('WSM-16a: a changed registration gets a new ETag (no stale 304), and an answer with consented personal data is no-store', async () => {
    const before = await get('/rdap/domain/changing.com');
    const etag = before.headers.get('etag')!;
    const svc = t.suite.kernel.service<RegistrantService>('registrant');
    await svc.setIdProtection('objects-shop', 'changing.com', true);
    const after = await get('/rdap/domain/changing.com', { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(JSON.stringify(after.body)).toContain('Domain Privacy Service');
    await svc.setIdProtection('objects-shop', 'changing.com', false);

    // Consent to publish: the answer now carries the registrant's name, so it is no-store, and its ETag differs.
    const subject = await t.suite.kernel.subjects.findByExternal(brandId, 'client', 7);
    const redacted = await get('/rdap/domain/changing.com');
    await svc.consentToPublish('objects-shop', { subjectId: subject!.id, domain: 'changing.com', fields: ['name'] });
    const published = await get('/rdap/domain/changing.com', { headers: { 'if-none-match': redacted.headers.get('etag')! } });
    expect(published.status).toBe(200);
    expect(published.headers.get('cache-control')).toBe('no-store');
    expect(JSON.stringify(published.body)).toContain('Ada Lovelace');
    // Withdrawn: redacted again at once, under the redacted answer's own ETag.
    await svc.consentToPublish('objects-shop', { subjectId: subject!.id, domain: 'changing.com', fields: [] });
    const again = await get('/rdap/domain/changing.com');
    expect(JSON.stringify(again.body)).not.toContain('Lovelace');
    expect(again.headers.get('cache-control')).toBe('public, max-age=120');
  });

  it('the answer cache: served from memory only within the memo time, re-checked against the version after it', () => {
    let now = 1000;
    const cache = new AnswerCache(500, 2, () => now);
    cache.set('a', { version: 'v1', text: '{}', etag: '"1"' });
    expect(cache.fresh('a')?.etag).toBe('"1"');
    now += 500;
    expect(cache.fresh('a')).toBeUndefined();
    expect(cache.confirm('a', 'v2')).toBeUndefined();
    expect(cache.confirm('a', 'v1')?.etag).toBe('"1"');
    expect(cache.fresh('a')).toBeDefined();
    // Bounded: the least recently used goes first.
    cache.set('b', { version: 'v1', text: '{}', etag: '"b"' });
    cache.set('c', { version: 'v1', text: '{}', etag: '"c"' });
    expect(cache.size).toBe(2);
    expect(cache.confirm('a', 'v1')).toBeUndefined();
    expect(new AnswerCache(0, 2, () => now).fresh('a')).toBeUndefined();
  });
});

describe('Per-address limits', () => {
  it('RDAP answers 429 with Retry-After and an RDAP error object beyond SUITE_RDAP_RATE_PER_MINUTE; other addresses go on', async () => {
    const ip = '203.0.113.50';
    for (let i = 0; i < RDAP_RATE; i++) expect((await get('/rdap/help', { ip })).status).toBe(200);
    const over = await get('/rdap/domain/objects.com', { ip });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expectValid('rdap_error.json', over.body);
    expect(over.body).toMatchObject({ errorCode: 429 });
    expect((await get('/rdap/domain/objects.com')).status).toBe(200);
  });

  it('WHOIS refuses beyond SUITE_WHOIS_RATE_PER_MINUTE with a one-line answer and closes (RFC 3912)', async () => {
    for (let i = 0; i < 3; i++) expect(await whois('objects.com')).toContain('Domain Name: OBJECTS.COM');
    expect(await whois('objects.com')).toBe('Error: too many queries; try again later.\r\n');
  });
});
