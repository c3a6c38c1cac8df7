/** Access and portability through the admin API, from intake to the person's one-time download (MS-8b, MS-8d / WSM-20). */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PlatformService } from '../../../modules/platform';
import { purgeExportsJob } from '../../../modules/rights/export/purge-exports';
import { createLogger } from '../../../core/logger';
import { SmtpSink } from '../../helpers/smtp-sink';
import { drainOutbox, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { unzip, type Unzipped } from '../../helpers/unzip';
import { adminKey, rightsBrand, rightsCall, signUp } from './fixtures';

const sink = new SmtpSink();
let t: TestSuite;
let key: string;

beforeAll(async () => {
  await sink.start();
  t = await startTestSuite({ config: { smtpUrl: sink.url, mailFrom: 'privacy@test-hosting.example', outboxBaseDelayMs: 5, outboxMaxAttempts: 2 } });
  await rightsBrand(t.suite, 'shop');
  await rightsBrand(t.suite, 'other');
  key = await adminKey(t.suite);
});
afterAll(async () => {
  await t?.close();
  await sink.stop();
});

const platform = () => t.suite.kernel.service<PlatformService>('platform');

/** A customer with two orders (two invoices, one paid), two activity rows with IPs, and a marketing consent. */
async function customer(n: number, extra: Record<string, unknown> = {}): Promise<{ clientId: number; subjectId: number; invoices: number[] }> {
  const c = await signUp(t.suite, 'shop', n, { marketing_emails_opt_in: true, ...extra });
  const invoices: number[] = [];
  for (const amount of [7.5, 19.9]) {
    const o = await platform().order(c.clientId, [{ type: 'hosting', product: 'Shared Hosting', amount }], { accepttos: true });
    invoices.push(o.invoiceId);
  }
  await platform().pay(invoices[0]);
  await t.suite.kernel.keyring.activeKeyId();
  const brand = await t.suite.kernel.brands.get('shop');
  for (const ip of ['203.0.113.7', '198.51.100.23']) {
    await t.suite.kernel.db('platform_activity_log').insert({ brand_id: brand.id, client_id: c.clientId, action: 'login', ip_enc: t.suite.kernel.keyring.encryptSync(ip), created_at: Date.now() });
  }
  return { ...c, invoices };
}

/** Opens, verifies and fulfils an access request; returns the fulfilled request. */
async function exportFor(subjectId: number, body: Record<string, unknown> = {}): Promise<Awaited<ReturnType<typeof rightsCall>>['body']> {
  const open = await rightsCall(t.baseUrl, key, 'shop', 'POST', '/requests', { type: 'access', subjectId, ...body });
  expect(open.status).toBe(201);
  expect((await rightsCall(t.baseUrl, key, 'shop', 'POST', `/requests/${open.body.request.id}/verify`, { method: 'manual' })).status).toBe(200);
  const done = await rightsCall(t.baseUrl, key, 'shop', 'POST', `/requests/${open.body.request.id}/fulfil`);
  expect(done.status).toBe(200);
  return done.body.request;
}

async function download(url: string): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const res = await fetch(`${t.baseUrl}${url}`);
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

async function exportFile(exportId: number): Promise<string> {
  const row = await t.suite.kernel.db('rights_exports').where({ id: exportId }).first();
  return path.join(t.suite.kernel.config.dataDir, 'exports', row.file);
}

const text = (zip: Unzipped, name: string): string => {
  const b = zip.get(name);
  if (!b) throw new Error(`${name} missing from the zip (has ${[...zip.keys()].join(', ')})`);
  return b.toString('utf8');
};

describe('rights export', () => {
  it('MS-8b / TOS-1.4: an access request is answered with a zip of JSON, one CSV per category and a readable page in the person\'s language', async () => {
    const c = await customer(1, { firstname: '<b>Ada</b> & "Co"', companyname: '=cmd|\' /C calc\'!A0', tax_id: 'DE123456789' });
    const req = await exportFor(c.subjectId, { locale: 'de' });
    expect(req.status).toBe('fulfilled');
    const r = req.result;
    expect(r).toMatchObject({ exportId: expect.any(Number), bytes: expect.any(Number), sha256: expect.stringMatching(/^[a-f0-9]{64}$/), counts: { platform: { invoices: 2, activity: 3 } } });
    expect(r.url).toMatch(new RegExp(`^/b/shop/rights/exports/${r.exportId}\\?token=[A-Za-z0-9_-]{43}$`));
    expect(r.link).toMatch(/^https?:\/\//);
    expect(r.link.endsWith(r.url)).toBe(true);
    expect(r.files).toEqual(expect.arrayContaining(['index.html', 'data.json', 'csv/contact.csv', 'csv/billing.csv', 'csv/usage.csv', 'csv/summaries.csv', 'manifest.json']));

    // At rest: an encrypted file, no zip signature, no plaintext; the token only as a hash.
    const file = await exportFile(r.exportId);
    const atRest = fs.readFileSync(file);
    expect(fs.readdirSync(path.dirname(file)).filter((n) => n.endsWith('.spool'))).toEqual([]); // the pass's spools are gone
    expect(atRest.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))).toBe(false);
    expect(atRest.includes(Buffer.from('ada.1@example.org'))).toBe(false);
    const row = await t.suite.kernel.db('rights_exports').where({ id: r.exportId }).first();
    expect(row).toMatchObject({ state: 'ready', sha256: r.sha256 });
    expect(row.token_hash).toBe(crypto.createHash('sha256').update(new URL(r.url, t.baseUrl).searchParams.get('token')!).digest('hex'));
    expect(row.key_enc).toMatch(/^v1\./);

    const got = await download(r.url);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/zip');
    expect(got.headers.get('content-disposition')).toMatch(/^attachment; filename="data-export-\d+\.zip"$/);
    expect(got.headers.get('cache-control')).toBe('no-store');
    expect(got.body.length).toBe(r.bytes);
    expect(crypto.createHash('sha256').update(got.body).digest('hex')).toBe(r.sha256);
    const zip = unzip(got.body);

    const data = JSON.parse(text(zip, 'data.json'));
    expect(data.format).toBe('privacy-suite-export/1');
    expect(data.subject).toMatchObject({ id: c.subjectId, kind: 'client' });
    const fields = Object.fromEntries(data.subject.fields.map((f: { name: string; value: string }) => [f.name, f.value]));
    expect(fields).toMatchObject({ email: 'ada.1@example.org', lastname: 'Lovelace1', firstname: '<b>Ada</b> & "Co"', tax_id: 'DE123456789' });
    expect(data.modules.consent.receipts.length).toBeGreaterThan(0);
    expect(data.modules.consent.receipts.map((x: { purpose: string }) => x.purpose)).toContain('marketing:email');
    expect(data.modules.platform.client.details.email).toBe('ada.1@example.org');
    expect(data.modules.platform.invoices).toBeUndefined(); // streamed as a record set instead, not twice
    expect(data.modules.inventory).toBeUndefined(); // the subject register is the `subject` section
    expect(data.records.platform.invoices.category).toBe('billing');
    expect(data.records.platform.invoices.rows.map((i: { id: number }) => i.id)).toEqual(c.invoices);
    expect(data.records.platform.invoices.rows[0]).toMatchObject({ total: 7.5, status: 'paid' });
    expect(data.records.platform.activity.rows.map((a: { ip: string | null }) => a.ip)).toEqual([null, '203.0.113.7', '198.51.100.23']);
    // The recorded events retention counts from are the person's too: the paid invoice's time is one of them.
    expect(data.records.inventory.events.category).toBe('usage');
    expect(data.records.inventory.events.rows).toEqual(expect.arrayContaining([{ event: 'invoice-paid', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]));
    expect(data.modules.rights.requests.map((x: { type: string }) => x.type)).toContain('access');

    const contact = text(zip, 'csv/contact.csv');
    expect(contact.split('\r\n')[0]).toBe('module,set,record,field,value');
    expect(contact).toContain(`inventory,fields,${c.subjectId},email,ada.1@example.org\r\n`);
    expect(contact).toContain(`inventory,fields,${c.subjectId},firstname,"<b>Ada</b> & ""Co"""\r\n`);
    // CSV injection: a cell starting with = is written as text.
    expect(contact).toContain(`inventory,fields,${c.subjectId},companyname,'=cmd|' /C calc'!A0\r\n`);
    expect(contact).toContain(`inventory,fields,${c.subjectId},phonenumber,'+44.2079460018\r\n`);
    expect(contact).not.toMatch(/,=cmd/);
    const billing = text(zip, 'csv/billing.csv');
    expect(billing).toContain(`inventory,fields,${c.subjectId},tax_id,DE123456789\r\n`);
    expect(billing).toContain(`platform,invoices,${c.invoices[0]},total,7.5\r\n`);
    expect(billing).toContain(`platform,invoices,${c.invoices[1]},status,unpaid\r\n`);
    expect(text(zip, 'csv/usage.csv')).toContain(',ip,203.0.113.7\r\n');
    expect(text(zip, 'csv/summaries.csv')).toContain('consent,receipts,1,');

    const html = text(zip, 'index.html');
    expect(html).toContain('<html lang="de" dir="ltr">');
    expect(html).toContain('Ihre Daten bei shop');
    expect(html).toContain('Rechnungen');
    expect(html).toContain('&lt;b&gt;Ada&lt;/b&gt; &amp; &quot;Co&quot;');
    expect(html).not.toContain('<b>Ada</b>');
    expect(html).toContain('203.0.113.7');

    const manifest = JSON.parse(text(zip, 'manifest.json'));
    for (const e of manifest.entries as { path: string; bytes: number; sha256: string }[]) {
      expect(crypto.createHash('sha256').update(zip.get(e.path)!).digest('hex')).toBe(e.sha256);
    }
    expect(manifest.entries.map((e: { path: string }) => e.path).sort()).toEqual([...zip.keys()].filter((n) => n !== 'manifest.json').sort());

    // Once only: the file is gone, the key cleared, a second use answers 410; the download is on the timeline and audited.
    expect(fs.existsSync(file)).toBe(false);
    const used = await t.suite.kernel.db('rights_exports').where({ id: r.exportId }).first();
    expect(used).toMatchObject({ state: 'downloaded', key_enc: null });
    const again = await fetch(`${t.baseUrl}${r.url}`);
    expect(again.status).toBe(410);
    expect(((await again.json()) as { code: string }).code).toBe('SUITE_RIGHTS_EXPORT_GONE');
    const read = await rightsCall(t.baseUrl, key, 'shop', 'GET', `/requests/${req.id}`);
    expect(read.body.events.map((e: { event: string }) => e.event)).toEqual(['received', 'verified', 'in-progress', 'export-ready', 'fulfilled', 'export-downloaded']);
    const audit = await t.suite.kernel.db('audit_log').where({ action: 'rights.request.export-downloaded' });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('ada.1@example.org');
  });

  it('MS-8b: a wrong token answers 401, another brand\'s path too, and neither uses the link up', async () => {
    const c = await customer(2);
    const { result: r } = await exportFor(c.subjectId);
    const wrong = r.url.replace(/token=.*/, `token=${crypto.randomBytes(32).toString('base64url')}`);
    const a = await fetch(`${t.baseUrl}${wrong}`);
    expect(a.status).toBe(401);
    expect(((await a.json()) as { code: string }).code).toBe('SUITE_LINK_INVALID');
    expect((await fetch(`${t.baseUrl}${r.url.replace('/b/shop/', '/b/other/')}`)).status).toBe(401);
    expect((await fetch(`${t.baseUrl}/b/shop/rights/exports/${r.exportId}`)).status).toBe(401);
    // Two downloads at once: exactly one gets the file.
    const both = await Promise.all([download(r.url), download(r.url)]);
    expect(both.map((d) => d.status).sort()).toEqual([200, 410]);
    expect(unzip(both.find((d) => d.status === 200)!.body).has('data.json')).toBe(true);
  });

  it('MS-8b: an expired link answers 410 and the purge job deletes the file and its key', async () => {
    const c = await customer(3);
    const { result: r } = await exportFor(c.subjectId);
    const file = await exportFile(r.exportId);
    expect(fs.existsSync(file)).toBe(true);
    await t.suite.kernel.db('rights_exports').where({ id: r.exportId }).update({ expires_at: Date.now() - 1 });
    const res = await fetch(`${t.baseUrl}${r.url}`);
    expect(res.status).toBe(410);
    expect(((await res.json()) as { code: string }).code).toBe('SUITE_RIGHTS_EXPORT_GONE');
    const brand = await t.suite.kernel.brands.get('shop');
    const out = await purgeExportsJob.run({ kernel: t.suite.kernel, brands: [brand], log: createLogger('silent'), signal: new AbortController().signal });
    expect(out).toMatchObject({ expired: 1 });
    expect(fs.existsSync(file)).toBe(false);
    expect(await t.suite.kernel.db('rights_exports').where({ id: r.exportId }).first()).toMatchObject({ state: 'expired', key_enc: null });
  });

  it('MS-8b: erasing the person revokes an export not yet downloaded: its key is gone at once, the purge job deletes the file', async () => {
    const c = await customer(7);
    const { result: r } = await exportFor(c.subjectId);
    const file = await exportFile(r.exportId);
    const erase = await rightsCall(t.baseUrl, key, 'shop', 'POST', '/requests', { type: 'erase', subjectId: c.subjectId, verified: 'manual' });
    expect((await rightsCall(t.baseUrl, key, 'shop', 'POST', `/requests/${erase.body.request.id}/fulfil`)).status).toBe(200);
    expect(await t.suite.kernel.db('rights_exports').where({ id: r.exportId }).first()).toMatchObject({ state: 'revoked', key_enc: null });
    expect((await fetch(`${t.baseUrl}${r.url}`)).status).toBe(410);
    const brand = await t.suite.kernel.brands.get('shop');
    await purgeExportsJob.run({ kernel: t.suite.kernel, brands: [brand], log: createLogger('silent'), signal: new AbortController().signal });
    expect(fs.existsSync(file)).toBe(false);
    expect(await t.suite.kernel.db('platform_activity_log').where({ client_id: c.clientId })).toHaveLength(0);
  });

  it('MS-8b: the platform streams long record sets in keyset batches of 1,000 rows, never in one query', async () => {
    const c = await customer(8);
    const brand = await t.suite.kernel.brands.get('shop');
    const ip = t.suite.kernel.keyring.encryptSync('192.0.2.1');
    const rows = Array.from({ length: 2498 }, (_, i) => ({ brand_id: brand.id, client_id: c.clientId, action: 'login', ip_enc: ip, created_at: 1_700_000_000_000 + i }));
    for (let i = 0; i < rows.length; i += 500) await t.suite.kernel.db('platform_activity_log').insert(rows.slice(i, i + 500));
    const provider = t.suite.kernel.modules.get('platform')!.personalData!;
    const queries: string[] = [];
    const listen = (q: { sql: string }) => { if (q.sql.includes('platform_activity_log')) queries.push(q.sql); };
    t.suite.kernel.db.on('query', listen);
    let n = 0;
    let last = 0;
    try {
      for await (const set of provider.records!(c.subjectId, { kernel: t.suite.kernel })) {
        if (set.name !== 'activity') continue;
        for await (const row of set.rows) {
          expect(row.id as number).toBeGreaterThan(last);
          last = row.id as number;
          n++;
        }
      }
    } finally {
      t.suite.kernel.db.removeListener('query', listen);
    }
    expect(n).toBe(2501);
    expect(queries).toHaveLength(3);
    for (const sql of queries) expect(sql).toMatch(/limit \?/i);
    // Every row reaches every file (the page renders rows in batches).
    const zip = unzip((await download((await exportFor(c.subjectId)).result.url)).body);
    expect(JSON.parse(text(zip, 'data.json')).records.platform.activity.rows).toHaveLength(2501);
    expect(text(zip, 'index.html').split('<td>login</td>').length - 1).toBe(2500);
    expect(text(zip, 'csv/usage.csv').split(',action,login\r\n').length - 1).toBe(2500);
  });

  it('MS-8d / WSM-20: an unverified access request cannot be fulfilled and no export is made until it is verified', async () => {
    const c = await customer(4);
    const exportsDir = path.join(t.suite.kernel.config.dataDir, 'exports');
    const filesBefore = fs.existsSync(exportsDir) ? fs.readdirSync(exportsDir).length : 0;
    const open = await rightsCall(t.baseUrl, key, 'shop', 'POST', '/requests', { type: 'portability', subjectId: c.subjectId });
    const id = open.body.request.id;
    const early = await rightsCall(t.baseUrl, key, 'shop', 'POST', `/requests/${id}/fulfil`);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('SUITE_RIGHTS_NOT_VERIFIED');
    expect((await rightsCall(t.baseUrl, key, 'shop', 'GET', `/requests/${id}`)).body.request).toMatchObject({ status: 'received', result: null, fulfilledAt: null });
    expect(await t.suite.kernel.db('rights_exports').where({ request_id: id })).toHaveLength(0);
    expect(fs.existsSync(exportsDir) ? fs.readdirSync(exportsDir).length : 0).toBe(filesBefore);
    expect(await t.suite.kernel.db('outbox').where({ topic: 'rights.export-ready', subject_id: c.subjectId })).toHaveLength(0);

    await rightsCall(t.baseUrl, key, 'shop', 'POST', `/requests/${id}/verify`, { method: 'manual' });
    const done = await rightsCall(t.baseUrl, key, 'shop', 'POST', `/requests/${id}/fulfil`);
    expect(done.body.request).toMatchObject({ status: 'fulfilled', verification: { method: 'manual' } });
    expect(await t.suite.kernel.db('rights_exports').where({ request_id: id, state: 'ready' })).toHaveLength(1);
    const zip = unzip((await download(done.body.request.result.url)).body);
    expect(JSON.parse(text(zip, 'data.json')).request).toMatchObject({ id, type: 'portability' });
  });

  it('MS-8b: the person gets the one-time link by email in their language; Arabic pages read right to left, French is translated, an unshipped locale falls back to English', async () => {
    const c = await customer(5);
    const { result: r } = await exportFor(c.subjectId, { locale: 'ar' });
    expect(r.email).toMatchObject({ queued: true });
    const msg = await t.suite.kernel.db('outbox').where({ topic: 'rights.export-ready', subject_id: c.subjectId }).first();
    expect(msg).toMatchObject({ recipient: 'email', purpose: 'legal' });
    expect(msg.payload_enc).not.toContain(new URL(r.url, t.baseUrl).searchParams.get('token'));
    const brand = await t.suite.kernel.brands.get('shop');
    await drainOutbox(t.suite, { brandId: brand.id });
    const mail = sink.received.find((m) => m.envelopeTo.includes('ada.5@example.org'));
    expect(mail).toBeDefined();
    expect(mail!.text).toContain(`/b/shop/rights/exports/${r.exportId}?token=`);
    const zip = unzip((await download(r.url)).body);
    expect(text(zip, 'index.html')).toContain('<html lang="ar" dir="rtl">');

    const fr = await exportFor((await customer(6)).subjectId, { locale: 'fr' });
    const html = text(unzip((await download(fr.result.url)).body), 'index.html');
    expect(html).toContain('<html lang="fr" dir="ltr">');
    expect(html).toContain('Vos données chez shop');
    // A language the suite does not ship falls back to English.
    const pt = await exportFor((await customer(7)).subjectId, { locale: 'pt' });
    expect(text(unzip((await download(pt.result.url)).body), 'index.html')).toContain('Your data at shop');
  });
});
