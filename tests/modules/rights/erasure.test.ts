/**
 * Erasure through the admin API, from intake to answer (MS-8f): a customer built with the reference platform (sign-up
 * with IP and browser, a contact, an order with a domain registered at the registrar, a payment) is erased; nothing of
 * them remains anywhere in the database (every table, encrypted values decrypted), the registrar gets anonymised
 * contacts, and the answer lists what was erased and what was kept and why. Also: third-party payers (ESM-2), runs
 * through the API, bad input.
 */
import type { PlatformService } from '../../../modules/platform';
import { useRegistrar } from '../../../modules/registrant/transfer/registrar-lookup';
import { CANCELLED_ERASED } from '../../../modules/rights/erase/erase-outbox';
import { wasErased } from '../../../modules/rights/erase/erase-suppression';
import { createErasureRun } from '../../../modules/rights/erase/erasure-runs';
import { settleBackground } from '../../../modules/rights/erase/run-background';
import { runCli } from '../../helpers/run-cli';
import { scanDatabase } from '../../helpers/rights-db-scan';
import { count, drainOutbox, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { FakeRegistrar, REGISTRANT_SETTINGS } from '../registrant/fixtures';
import { adminKey, RIGHTS_PROFILE, rightsBrand, rightsCall } from './fixtures';

/** A JSON answer body of the admin API. */
type Body = Awaited<ReturnType<typeof rightsCall>>['body'];

const registrar = new FakeRegistrar();
let t: TestSuite;
let key: string;
let brandId: number;

const REGISTRAR = { code: 'registrar', name: 'Domain registrar', kind: 'registrar', purposes: ['domain-registration'], categories: ['contact', 'registration'] };
const platform = (): PlatformService => t.suite.kernel.service<PlatformService>('platform');

/** A customer with the whole lifecycle: sign-up, a contact, an order with a .com domain, payment, registration. */
async function customer(n: number): Promise<{ clientId: number; subjectId: number; contactSubjectId: number; invoiceId: number; domain: string }> {
  const p = platform();
  const facts = { ip: `203.0.113.${n}`, userAgent: `EraseTestBrowser/${n}.0` };
  const s = await p.signUp('shop', {
    firstname: 'Augusta', lastname: `Byron${n}`, companyname: `Analytical Engines ${n} Ltd`, email: `augusta.${n}@example.org`, address1: `${n} Ockham Park`,
    city: 'Ripley', postcode: 'GU23 6NN', country: 'GB', phonenumber: `+44.14830${String(n).padStart(5, '0')}`, password: `correct horse battery ${n}`,
    accepttos: true, marketing_emails_opt_in: true,
  }, facts);
  const { contactId } = await p.addContact(s.clientId, { firstname: 'Charles', lastname: `Babbage${n}`, email: `charles.${n}@example.org` }, facts);
  const domain = `engine${n}.com`;
  const o = await p.order(s.clientId, [{ type: 'hosting', product: 'Shared Hosting', domain, amount: 7.5 }, { type: 'domain', name: domain, regperiod: 1, idprotection: false, amount: 12 }], { accepttos: true }, facts);
  await p.pay(o.invoiceId, {}, facts);
  const dom = await t.suite.kernel.db('platform_domains').where({ client_id: s.clientId, name: domain }).first('id');
  await p.registerDomain(Number(dom.id), facts);
  await drainOutbox(t.suite, { rounds: 20 });
  const contact = await t.suite.kernel.subjects.findByExternal(brandId, 'contact', contactId);
  return { clientId: s.clientId, subjectId: s.subjectId!, contactSubjectId: contact!.id, invoiceId: o.invoiceId, domain };
}

async function eraseThroughApi(subjectId: number): Promise<Body> {
  const open = await rightsCall(t.baseUrl, key, 'shop', 'POST', '/requests', { type: 'erase', subjectId, verified: 'manual' });
  expect(open.status).toBe(201);
  const done = await rightsCall(t.baseUrl, key, 'shop', 'POST', `/requests/${open.body.request.id}/fulfil`);
  expect(done.status).toBe(200);
  return done.body.request;
}

beforeAll(async () => {
  useRegistrar(() => registrar);
  t = await startTestSuite({ config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 4 } });
  await rightsBrand(t.suite, 'shop', { recipients: [...RIGHTS_PROFILE.recipients, REGISTRAR], modules: { registrant: REGISTRANT_SETTINGS } });
  await rightsBrand(t.suite, 'other');
  brandId = (await t.suite.kernel.brands.get('shop')).id;
  key = await adminKey(t.suite);
});
afterAll(async () => {
  useRegistrar();
  await t?.close();
});

describe('erasure (MS-8f)', () => {
  it('MS-8f: an erase request removes every personal value of the customer from every table and processor, and says what was kept and why', async () => {
    const c = await customer(1);
    const keep = await customer(2);
    const needles = ['augusta.1@example.org', 'Byron1', '1 Ockham Park', '1483000001', '203.0.113.1', 'EraseTestBrowser/1.0', 'charles.1@example.org', 'Babbage1'];
    const before = await scanDatabase(t.suite, needles);
    expect(before.length).toBeGreaterThan(0);
    const callsBefore = registrar.calls.length;
    // A notice still waiting to be mailed to the person is cancelled, not sent after the erasure.
    const brand = await t.suite.kernel.brands.get('shop');
    const mail = await t.suite.kernel.db.transaction(async (trx) => t.suite.kernel.outbox.enqueue(trx, await t.suite.kernel.brands.profile(brand), {
      brandId, topic: 'test.notice', recipient: 'email', purpose: 'service', subjectId: c.subjectId, categories: ['contact'], payload: { to: 'augusta.1@example.org' },
    }));

    const request = await eraseThroughApi(c.subjectId);
    expect(request.status).toBe('fulfilled');
    const result = request.result;
    expect(result).toMatchObject({ subjectId: c.subjectId, kind: 'client', contacts: [c.contactSubjectId], statutory: { records: 1, years: 6 } });
    const erasedBy = Object.fromEntries((result.erased as { module: string; count: number }[]).map((e) => [e.module, e.count]));
    expect(erasedBy.inventory).toBeGreaterThan(5);
    expect(erasedBy.platform).toBeGreaterThanOrEqual(2);
    expect(erasedBy.registrant).toBe(4);
    expect(erasedBy.consent).toBeGreaterThan(0);
    const keptModules = (result.kept as { module: string; what: string; why: string }[]).map((k) => k.module);
    expect(keptModules).toEqual(expect.arrayContaining(['rights', 'platform', 'consent', 'registrant']));
    for (const k of result.kept) expect(k.why.length).toBeGreaterThan(10);
    expect(result.kept[0]).toMatchObject({ module: 'rights', why: expect.stringMatching(/until \d{4}-\d{2}-\d{2}/) });
    expect(result.processors).toEqual([expect.objectContaining({ recipient: 'registrar', topic: 'registrant.save-contacts' })]);
    expect(JSON.stringify(result)).not.toMatch(/augusta|Byron1|Ockham/i);

    const cancelled = await t.suite.kernel.db('outbox').where({ id: mail.id }).first();
    expect(cancelled).toMatchObject({ state: 'dead', last_error: CANCELLED_ERASED });
    await drainOutbox(t.suite);
    // The registrar got anonymised contacts for the domain, once.
    const sent = registrar.calls.slice(callsBefore);
    expect(sent.map((x) => [x.fn, x.domain])).toEqual([['saveContactDetails', c.domain]]);
    expect(JSON.stringify(sent)).not.toMatch(/augusta|Byron1|Ockham|1483000001/i);

    // Nothing of the person anywhere but the statutory invoice record (name and address the law requires on an invoice).
    const hits = await scanDatabase(t.suite, needles, ['rights_statutory_records']);
    expect(hits).toEqual([]);
    const s = await t.suite.kernel.subjects.get(c.subjectId);
    expect(s.status).toBe('erased');
    expect((await t.suite.kernel.subjects.get(c.contactSubjectId)).status).toBe('erased');
    expect(await count(t.suite, 'subject_fields')).toBeGreaterThan(0);
    expect(await t.suite.kernel.db('subject_fields').whereIn('subject_id', [c.subjectId, c.contactSubjectId]).count({ n: '*' }).first()).toMatchObject({ n: 0 });
    // The other customer is untouched.
    expect((await platform().client(keep.clientId)).details?.email).toBe('augusta.2@example.org');
    expect((await scanDatabase(t.suite, ['augusta.2@example.org'])).length).toBeGreaterThan(0);
    // A re-sent record of the erased person is recognisable from keyed hashes only.
    expect(await wasErased(t.suite.kernel, t.suite.kernel.db, brandId, { email: 'Augusta.1@example.org ' })).toBe(true);
    expect(await wasErased(t.suite.kernel, t.suite.kernel.db, brandId, { kind: 'client', externalId: c.clientId })).toBe(true);
    expect(await wasErased(t.suite.kernel, t.suite.kernel.db, brandId, { email: 'augusta.2@example.org' })).toBe(false);
  });

  it('MS-8f: a second erase request for an erased subject answers the stored result and writes nothing new', async () => {
    const c = await customer(3);
    const first = await eraseThroughApi(c.subjectId);
    const tables = ['rights_statutory_records', 'rights_suppression', 'rights_erasures', 'outbox', 'consent_suppression'];
    const before = await Promise.all(tables.map((x) => count(t.suite, x).catch(() => -1)));
    const second = await eraseThroughApi(c.subjectId);
    expect(second.result).toEqual(first.result);
    expect(await Promise.all(tables.map((x) => count(t.suite, x).catch(() => -1)))).toEqual(before);
  });

  it('ESM-2: a third-party payer is erased on its own: the customer keeps everything and the invoice keeps its amounts', async () => {
    const c = await customer(4);
    await t.suite.kernel.db('platform_invoices').where({ id: c.invoiceId }).update({ status: 'unpaid', paid_at: null });
    const paid = await platform().pay(c.invoiceId, { payer: { firstname: 'Pat', lastname: 'Employer', companyname: 'Globex GmbH', email: 'accounts@globex.test', country: 'DE' } });
    const invoiceBefore = await t.suite.kernel.db('platform_invoices').where({ id: c.invoiceId }).first();
    const clientFields = await t.suite.kernel.subjects.fields(c.subjectId);

    const request = await eraseThroughApi(paid.payerSubjectId!);
    expect(request.result).toMatchObject({ subjectId: paid.payerSubjectId, kind: 'payer', contacts: [], statutory: { records: 1 } });
    expect((await t.suite.kernel.subjects.get(paid.payerSubjectId!)).status).toBe('erased');
    expect((await t.suite.kernel.db('platform_payers').where({ id: paid.payerId }).first()).personal_enc).toBeNull();
    expect(await scanDatabase(t.suite, ['accounts@globex.test', 'Employer'], ['rights_statutory_records'])).toEqual([]);
    // The customer is untouched; the invoice keeps its total, status and the (now anonymous) payer link.
    expect((await t.suite.kernel.subjects.get(c.subjectId)).status).toBe('active');
    expect(await t.suite.kernel.subjects.fields(c.subjectId)).toEqual(clientFields);
    expect((await platform().client(c.clientId)).details?.email).toBe('augusta.4@example.org');
    expect(await t.suite.kernel.db('platform_invoices').where({ id: c.invoiceId }).first()).toEqual(invoiceBefore);
    // The payer's statutory record: the payment, kept from the payment date, with the payer's billing name only.
    const rec = await t.suite.kernel.db('rights_statutory_records').where({ subject_id: paid.payerSubjectId }).first();
    const fields = JSON.parse(await t.suite.kernel.keyring.decrypt(rec.fields_enc));
    expect(fields).toEqual({ invoice: expect.objectContaining({ id: c.invoiceId, total: 19.5 }), role: 'payer', billing: { name: 'Pat Employer', company: 'Globex GmbH', country: 'DE' } });
    // A payer's record runs from the payment: the end of the payment's calendar year plus the GB six years.
    expect(Number(rec.keep_until)).toBe(Date.UTC(new Date(Number(invoiceBefore.paid_at)).getUTCFullYear() + 6, 11, 31, 23, 59, 59, 999));
    expect(await t.suite.kernel.db('rights_statutory_records').where({ subject_id: c.subjectId }).count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  it('MS-8f: an erasure run through the admin API erases each subject and shows per-subject progress', async () => {
    const a = await customer(5);
    const b = await customer(6);
    const started = await rightsCall(t.baseUrl, key, 'shop', 'POST', '/erasure-runs', { subjectIds: [a.subjectId, b.subjectId] });
    expect(started.status).toBe(202);
    expect(started.body.run).toMatchObject({ total: 2, state: 'running' });
    let run: Body = started.body.run;
    for (let i = 0; i < 100 && run.state !== 'finished'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      run = (await rightsCall(t.baseUrl, key, 'shop', 'GET', `/erasure-runs/${started.body.run.runId}`)).body.run;
    }
    expect(run).toMatchObject({ state: 'finished', total: 2, done: 2, failed: 0 });
    expect(run.subjects).toEqual([expect.objectContaining({ subjectId: a.subjectId, state: 'done', attempts: 1 }), expect.objectContaining({ subjectId: b.subjectId, state: 'done', attempts: 1 })]);
    for (const s of [a, b]) expect((await t.suite.kernel.subjects.get(s.subjectId)).status).toBe('erased');
    expect((await rightsCall(t.baseUrl, key, 'other', 'GET', `/erasure-runs/${started.body.run.runId}`)).status).toBe(404);
  });

  it('MS-8f: a run naming a subject of another brand is refused with 400 naming the field, and nothing is written', async () => {
    const mine = await customer(7);
    const p = platform();
    const foreign = await p.signUp('other', { firstname: 'Grace', lastname: 'Hopper', email: 'grace@example.org', password: 'correct horse battery 9', accepttos: true });
    const tables = ['rights_erasure_runs', 'rights_erasures', 'rights_suppression', 'audit_log'];
    const before = await Promise.all(tables.map((x) => count(t.suite, x)));
    const r = await rightsCall(t.baseUrl, key, 'shop', 'POST', '/erasure-runs', { subjectIds: [mine.subjectId, foreign.subjectId!] });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('SUITE_VALIDATION_FAILED');
    expect(r.body.fields).toEqual([{ field: 'subjectIds.1', message: expect.stringContaining(String(foreign.subjectId)) }]);
    const bad = await rightsCall(t.baseUrl, key, 'shop', 'POST', '/erasure-runs', { subjectIds: ['x'] });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(['subjectIds.0']);
    expect((await rightsCall(t.baseUrl, key, 'shop', 'POST', '/erasure-runs', {})).body.fields.map((f: { field: string }) => f.field)).toEqual(['subjectIds']);
    expect(await Promise.all(tables.map((x) => count(t.suite, x)))).toEqual(before);
    expect((await t.suite.kernel.subjects.get(mine.subjectId)).status).toBe('active');
    const auditor = await adminKey(t.suite, 'auditor');
    expect((await rightsCall(t.baseUrl, auditor, 'shop', 'POST', '/erasure-runs', { subjectIds: [mine.subjectId] })).status).toBe(403);
  });

  it('MS-8f: an unfinished run is resumed in the background when the suite starts its background work', async () => {
    const a = await customer(8);
    const shop = await t.suite.kernel.brands.get('shop');
    const runId = await createErasureRun(t.suite.kernel, shop, [a.subjectId], { type: 'cli', id: 'test' });
    expect((await t.suite.kernel.subjects.get(a.subjectId)).status).toBe('active');
    await t.suite.registry.get('rights')!.start!(t.suite.kernel);
    await settleBackground(t.suite.kernel);
    expect(await t.suite.kernel.db('rights_erasure_runs').where({ id: runId }).first()).toMatchObject({ state: 'finished', done: 1 });
    expect((await t.suite.kernel.subjects.get(a.subjectId)).status).toBe('erased');
  });

  it('MS-8f: privacy-suite rights erase: wrong usage exits 2, a subject of another brand exits 1 with nothing written, --subjects erases', async () => {
    const a = await customer(9);
    const foreign = await platform().signUp('other', { firstname: 'Ada', lastname: 'Other', email: 'ada.other@example.org', password: 'correct horse battery 10', accepttos: true });
    expect((await runCli(t.db, ['rights', 'erase', '--brand', 'shop'])).code).toBe(2);
    expect((await runCli(t.db, ['rights', 'erase', '--brand', 'shop', '--subjects', '1,x'])).code).toBe(2);
    const runs = await count(t.suite, 'rights_erasure_runs');
    const refused = await runCli(t.db, ['rights', 'erase', '--brand', 'shop', '--subjects', `${a.subjectId},${foreign.subjectId}`, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr.trim().split('\n').pop()!)).toMatchObject({ code: 'SUITE_VALIDATION_FAILED', fields: [{ field: 'subjectIds.1' }] });
    expect(await count(t.suite, 'rights_erasure_runs')).toBe(runs);
    const done = await runCli(t.db, ['rights', 'erase', '--brand', 'shop', '--subjects', String(a.subjectId), '--json']);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ ok: true, run: { state: 'finished', total: 1, done: 1, failed: 0 } });
    expect(done.stderr).toMatch(/erased 1\/1/);
    expect((await t.suite.kernel.subjects.get(a.subjectId)).status).toBe('erased');
    expect((await t.suite.kernel.subjects.get(foreign.subjectId!)).status).toBe('active');
  });
});
