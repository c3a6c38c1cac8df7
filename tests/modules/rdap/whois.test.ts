/** WHOIS (RFC 3912) on WHOIS_PORT: the same redaction decisions as RDAP (WSM-16a), the privacy service under ID protection (WSM-17). */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { RdapService } from '../../../modules/rdap/whois';
import { WhoisServer } from '../../../modules/rdap/whois/whois-server';
import type { RegistrantService } from '../../../modules/registrant/registrant-service';
import { useRegistrar } from '../../../modules/registrant/transfer/registrar-lookup';
import { postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { FakeRegistrar, registrantBrand, REGISTRANT_SETTINGS, whmcsParams } from '../registrant/fixtures';

const registrar = new FakeRegistrar();
let t: TestSuite;
let baseUrl: string;
let secret: string;
let brandId: number;
const PERSONAL = ['Ada', 'Lovelace', 'Analytical', 'Flat 3', 'NW1 6XE', '7946', '0018', 'ada7@example.org', 'City: London', 'Analytical Engines'];
const R = 'REDACTED FOR PRIVACY';

/** One WHOIS exchange with a real TCP client: sends `raw`, reads until the server closes. */
function whoisRaw(port: number, raw: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.write(raw));
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
const whoisPort = () => t.suite.kernel.service<RdapService>('rdap').whoisPort()!;
const whois = (q: string) => whoisRaw(whoisPort(), `${q}\r\n`);
/** The answer's `Key: value` lines as pairs. */
const fields = (text: string) => text.split('\r\n').filter((l) => /^[A-Z][A-Za-z /]+: /.test(l)).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)] as const);
const field = (text: string, key: string) => fields(text).filter(([k]) => k === key).map(([, v]) => v);
const redactedKeys = (text: string) => fields(text).filter(([, v]) => v === R).map(([k]) => k).sort();
async function rdapRedactedNames(name: string): Promise<string[]> {
  const body = (await (await fetch(`${baseUrl}/rdap/domain/${name}`)).json()) as { redacted: { name: { type: string } }[] };
  return body.redacted.map((r) => r.name.type).sort();
}

async function register(sld: string, tld: string, extra: Record<string, unknown> = {}): Promise<void> {
  for (const hook of ['PreRegistrarRegisterDomain', 'AfterRegistrarRegistration']) {
    const r = await postHook(baseUrl, hook, secret, { brand: 'whois-shop', vars: { params: whmcsParams(7, sld, tld, extra) } });
    expect(r.status).toBe(200);
    expect(r.body.abortWithError).toBeUndefined();
  }
}

beforeAll(async () => {
  useRegistrar(() => registrar);
  // rdapMemoMs 0: RDAP re-reads each record's version, as WHOIS does (these tests change records between look-ups).
  t = await startTestSuite({ http: false, config: { whoisPort: 0, outboxBaseDelayMs: 5, outboxMaxAttempts: 3, rdapMemoMs: 0 } });
  // Background work on: the modules' `start` runs, WHOIS among it (on a random port).
  const server = await t.suite.listen(0, '127.0.0.1', { background: true });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  secret = await registrantBrand(t.suite, 'whois-shop');
  brandId = (await t.suite.kernel.brands.get('whois-shop')).id;
  await postHook(baseUrl, 'ClientAdd', secret, { brand: 'whois-shop', vars: { client_id: 7, firstname: 'Ada', lastname: 'Lovelace', email: 'ada7@example.org', country: 'GB' } });
  await register('redacted', 'com');
  await register('published', 'net');
  await register('engines', 'org', { companyname: 'Analytical Engines Ltd' });
  await register('protected', 'com', { idprotection: true });
});
afterAll(async () => {
  useRegistrar();
  await t?.close();
});

describe('WHOIS (RFC 3912)', () => {
  it('WSM-16a: WHOIS output is redacted by default under ICANN\'s Registration Data Policy, exactly as RDAP redacts', async () => {
    expect(whoisPort()).toBeGreaterThan(0);
    const a = await whois('Redacted.COM');
    expect(field(a, 'Domain Name')).toEqual(['REDACTED.COM']);
    expect(field(a, 'Domain Status')).toEqual(['ok https://icann.org/epp#ok']);
    for (const k of ['Registrant Name', 'Registrant Street', 'Registrant City', 'Registrant Postal Code', 'Registrant Phone', 'Registrant Fax', 'Tech Name', 'Tech Phone']) expect(field(a, k)).toEqual([R]);
    expect(field(a, 'Registrant State/Province')).toEqual(['Greater London']);
    expect(field(a, 'Registrant Country')).toEqual(['GB']);
    // The email is replaced by the privacy service's anonymised forwarding address (one per role).
    expect(field(a, 'Registrant Email')[0]).toMatch(/^[0-9a-f]{24}@privacy\.test-hosting\.example$/);
    expect(field(a, 'Tech Email')[0]).toMatch(/^[0-9a-f]{24}@privacy\.test-hosting\.example$/);
    expect(field(a, 'Tech Email')[0]).not.toBe(field(a, 'Registrant Email')[0]);
    expect(field(a, 'Registrant Organization')).toEqual([]);
    for (const v of PERSONAL) expect(a).not.toContain(v);
    // The same decisions as RDAP: every field RDAP redacts (but the replaced email) reads REDACTED FOR PRIVACY.
    const same = async (name: string, text: string) => expect(redactedKeys(text)).toEqual((await rdapRedactedNames(name)).filter((n) => !n.endsWith(' Email')));
    await same('redacted.com', a);

    // An organisation's name is redacted too.
    const o = await whois('engines.org');
    expect(field(o, 'Registrant Organization')).toEqual([R]);
    for (const v of PERSONAL) expect(o).not.toContain(v);
    await same('engines.org', o);
  });

  it('WSM-16a: consent to publish shows exactly the consented fields in WHOIS', async () => {
    const subject = await t.suite.kernel.subjects.findByExternal(brandId, 'client', 7);
    const svc = t.suite.kernel.service<RegistrantService>('registrant');
    await svc.consentToPublish('whois-shop', { subjectId: subject!.id, domain: 'published.net', fields: ['name', 'email'] });
    const a = await whois('published.net');
    expect(field(a, 'Registrant Name')).toEqual(['Ada Lovelace']);
    expect(field(a, 'Registrant Email')).toEqual(['ada7@example.org']);
    expect(field(a, 'Tech Name')).toEqual(['Ada Lovelace']);
    expect(redactedKeys(a)).toEqual((await rdapRedactedNames('published.net')).filter((n) => !n.endsWith(' Email')));
    expect(redactedKeys(a)).toEqual(['Registrant City', 'Registrant Fax', 'Registrant Fax Ext', 'Registrant Phone', 'Registrant Phone Ext', 'Registrant Postal Code', 'Registrant Street', 'Registry Domain ID', 'Registry Registrant ID', 'Registry Tech ID', 'Tech Phone', 'Tech Phone Ext']);
    for (const v of ['Analytical', 'NW1 6XE', '7946', 'City: London']) expect(a).not.toContain(v);

    await svc.consentToPublish('whois-shop', { subjectId: subject!.id, domain: 'engines.org', fields: ['org', 'addr', 'voice'] });
    const o = await whois('engines.org');
    expect(field(o, 'Registrant Organization')).toEqual(['Analytical Engines Ltd']);
    expect(field(o, 'Registrant Street')).toEqual(['12 Analytical Row', 'Flat 3']);
    expect(field(o, 'Registrant City')).toEqual(['London']);
    expect(field(o, 'Registrant Postal Code')).toEqual(['NW1 6XE']);
    expect(field(o, 'Registrant Phone')).toEqual(['+44.2079460018']);
    expect(field(o, 'Registrant Name')).toEqual([R]);
    expect(o).not.toContain('ada7@example.org');
    expect(redactedKeys(o)).toEqual((await rdapRedactedNames('engines.org')).filter((n) => !n.endsWith(' Email')));

    // Withdrawal redacts everything again.
    await svc.consentToPublish('whois-shop', { subjectId: subject!.id, domain: 'published.net', fields: [] });
    const w = await whois('published.net');
    for (const v of PERSONAL) expect(w).not.toContain(v);
    expect(field(w, 'Registrant Name')).toEqual([R]);
  });

  it('WSM-17: with ID protection the WHOIS output shows the privacy service', async () => {
    const a = await whois('protected.com');
    const svc = REGISTRANT_SETTINGS.privacyService;
    for (const p of ['Registrant', 'Tech']) {
      expect(field(a, `Registry ${p} ID`)[0]).toMatch(/^PP[0-9A-F]{14}$/);
      expect(field(a, `${p} Name`)).toEqual([svc.name]);
      expect(field(a, `${p} Organization`)).toEqual([svc.org]);
      expect(field(a, `${p} Street`)).toEqual(['1 Proxy Lane']);
      expect(field(a, `${p} City`)).toEqual(['London']);
      expect(field(a, `${p} Postal Code`)).toEqual(['EC1A 1AA']);
      expect(field(a, `${p} Phone`)).toEqual([svc.voice]);
      expect(field(a, `${p} Email`)[0]).toMatch(/@privacy\.test-hosting\.example$/);
    }
    expect(redactedKeys(a)).toEqual(['Registry Domain ID']);
    for (const v of PERSONAL.filter((p) => p !== 'City: London')) expect(a).not.toContain(v);
  });

  it('an unknown domain answers No match for "NAME".', async () => {
    expect(await whois('unknown-domain.com')).toBe('No match for "UNKNOWN-DOMAIN.COM".\r\n');
  });

  it('a query over 255 bytes or a malformed one gets a short error and the server closes', async () => {
    expect(await whois(`${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(20)}.com`)).toBe('Error: query too long.\r\n');
    // Without a line end the server stops reading once the limit is passed.
    expect(await whoisRaw(whoisPort(), 'x'.repeat(1000))).toBe('Error: query too long.\r\n');
    for (const q of ['not_a..name', '', 'two words.com', 'localhost']) expect(await whois(q)).toBe('Error: malformed query; send one domain name.\r\n');
  });

  it('closes an idle connection after the timeout; a per-IP window limits queries', async () => {
    const s = new WhoisServer(t.suite.kernel, { port: 0, host: '127.0.0.1', timeoutMs: 100, rateLimit: { max: 2, windowMs: 60_000 } });
    await s.start();
    try {
      const started = Date.now();
      const idle = await new Promise<string>((resolve) => {
        const c = net.connect(s.port!, '127.0.0.1');
        let got = '';
        c.on('data', (d: Buffer) => { got += d.toString(); });
        c.on('close', () => resolve(got));
      });
      expect(idle).toBe('');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await whoisRaw(s.port!, 'unknown-domain.com\r\n')).toMatch(/^No match/);
      expect(await whoisRaw(s.port!, 'unknown-domain.com\r\n')).toMatch(/^No match/);
      expect(await whoisRaw(s.port!, 'unknown-domain.com\r\n')).toBe('Error: too many queries; try again later.\r\n');
    } finally {
      await s.stop();
    }
  });
});
