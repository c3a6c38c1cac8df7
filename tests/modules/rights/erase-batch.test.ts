/**
 * The batch erasure (MS-8f, MS-9 / WSM-27, TOS-1.4) against the one-by-one erasure: the same customers in two
 * byte-identical databases — one erased subject by subject with eraseSubject, the other in ONE transaction with
 * eraseBatchInTransaction — end in the same state, table by table (ciphertexts decrypted, timestamps of the erasure
 * blanked), apart from the audit log (one entry per batch instead of one per subject). Also: foreign and unknown
 * subjects are skipped, a second batch over the same ids erases nothing, and a throw rolls back the whole batch.
 */
import type { ErasingModule } from '../../../modules/rights/erase/erasure-plan';
import { eraseBatchInTransaction, prepareBatch } from '../../../modules/rights/erase/erase-batch';
import { eraseSubject } from '../../../modules/rights/erase/erase-subject';
import type { ErasureResult } from '../../../modules/rights/erase/erasure-result';
import type { RightsService } from '../../../modules/rights/rights-service';
import { useRegistrar } from '../../../modules/registrant/transfer/registrar-lookup';
import type { TestDb } from '../../helpers/test-db';
import { scanDatabase } from '../../helpers/rights-db-scan';
import { count, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { FakeRegistrar, REGISTRANT_SETTINGS } from '../registrant/fixtures';
import { copyTestDb, digest, fullCustomer, type Customer } from './erase-batch-fixtures';
import { RIGHTS_PROFILE, rightsBrand } from './fixtures';

const registrar = new FakeRegistrar();
const REGISTRAR = { code: 'registrar', name: 'Domain registrar', kind: 'registrar', purposes: ['domain-registration'], categories: ['contact', 'registration'] };
const ACTOR = { type: 'system' as const, id: 'retention' };
/** No timestamps to blank: a digest of a state nothing should have changed. */
const NO_WINDOW = { from: 1, to: 0 };

let a: TestSuite; // erased one by one
let b: TestSuite; // the same database, erased in one batch
let c: TestSuite; // the same again, in one batch through each module's per-subject erase (no eraseMany)
let copy: TestDb;
let copy2: TestDb;
let customers: Customer[];
let order: number[];

const rights = (t: TestSuite): RightsService => t.suite.kernel.service<RightsService>('rights');

/** Runs one batch for `shop` on suite `t` the way the retention sweep does: plan and keys outside, the batch inside one transaction. */
async function batch(t: TestSuite, ids: number[], patch?: (m: ErasingModule[]) => ErasingModule[]) {
  const shop = await t.suite.kernel.brands.get('shop');
  const plan = await rights(t).planErasure(shop);
  if (patch) plan.modules = patch(plan.modules);
  await prepareBatch(t.suite.kernel);
  return t.suite.kernel.db.transaction((trx) => eraseBatchInTransaction(t.suite.kernel, trx, plan, ids, { actor: ACTOR, source: 'retention', reference: 'retention-run:1' }));
}

beforeAll(async () => {
  useRegistrar(() => registrar);
  a = await startTestSuite({ http: false, config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 4 } });
  await rightsBrand(a.suite, 'shop', { recipients: [...RIGHTS_PROFILE.recipients, REGISTRAR], modules: { registrant: REGISTRANT_SETTINGS } });
  await rightsBrand(a.suite, 'other');
  customers = [
    await fullCustomer(a.suite, 'shop', 1),
    await fullCustomer(a.suite, 'shop', 2, { payer: true, withdrawal: true }),
    await fullCustomer(a.suite, 'shop', 3, { request: true, contacts: 2 }),
    await fullCustomer(a.suite, 'shop', 4, { contacts: 2, token: true }),
  ];
  // Queued after the drain: a notice still waiting to be mailed to customer 1 (cancelled by the erasure), one to customer 3
  // already delivered (its payload is wiped) and a registrar message for customer 2 still in flight (kept, delivered first).
  const shop = await a.suite.kernel.brands.get('shop');
  const profile = await a.suite.kernel.brands.profile(shop);
  const queue = (subjectId: number, recipient: string, purpose: string) => a.suite.kernel.db.transaction((trx) => a.suite.kernel.outbox.enqueue(trx, profile, {
    brandId: shop.id, topic: 'test.notice', recipient, purpose, subjectId, categories: ['contact'], payload: { to: `subject ${subjectId}` },
  }));
  await queue(customers[0].subjectId, 'email', 'service');
  const delivered = await queue(customers[2].subjectId, 'email', 'service');
  await a.suite.kernel.db('outbox').where({ id: delivered.id }).update({ state: 'delivered', delivered_at: Date.now() });
  await queue(customers[1].subjectId, 'registrar', 'domain-registration');
  // Customer 4's second contact is named on its own, before its client (it is its own erasure); the payer too.
  const [c1, c2, c3, c4] = customers;
  order = [c4.contactSubjectIds[1], c1.subjectId, c2.subjectId, c3.subjectId, c4.subjectId, c2.payerSubjectId!];
  copy = await copyTestDb(a.suite, a.db);
  copy2 = await copyTestDb(a.suite, a.db);
  b = await startTestSuite({ db: copy, http: false, config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 4 } });
  c = await startTestSuite({ db: copy2, http: false, config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 4 } });
}, 120_000);

afterAll(async () => {
  useRegistrar();
  await b?.close();
  await c?.close();
  await copy?.drop();
  await copy2?.drop();
  await a?.close();
});

describe('batch erasure (MS-8f, MS-9 / WSM-27, TOS-1.4)', () => {
  it('MS-8f / TOS-1.4: a batch in one transaction leaves every table exactly as one-by-one erasures do, with or without eraseMany (audit: one entry per batch)', async () => {
    const skip = ['audit_log'];
    const before = await digest(a.suite, NO_WINDOW, skip);
    // Every kind of record the erasure reaches is there to be erased.
    for (const table of ['platform_activity_log', 'platform_contacts', 'platform_payers', 'consent_ledger', 'consent_state', 'consent_tokens', 'consent_withdrawals', 'registrant_contacts', 'rights_requests', 'disclosure_log']) {
      expect([table, before[table].length > 0]).toEqual([table, true]);
    }
    const states = ((await a.suite.kernel.db('outbox').whereNotNull('subject_id').select('state')) as { state: string }[]).map((r) => r.state);
    expect(states).toEqual(expect.arrayContaining(['pending', 'delivered']));
    expect(await digest(b.suite, NO_WINDOW, skip)).toEqual(before); // the copy is identical
    const auditA = await count(a.suite, 'audit_log');
    const auditB = await count(b.suite, 'audit_log');

    const shop = await a.suite.kernel.brands.get('shop');
    const profile = await a.suite.kernel.brands.profile(shop);
    const fromA = Date.now();
    const one: ErasureResult[] = [];
    for (const subjectId of order) one.push(await eraseSubject(a.suite.kernel, { brand: shop, profile, subjectId, actor: ACTOR }));
    const windowA = { from: fromA, to: Date.now() };
    const fromB = Date.now();
    const out = await batch(b, order);
    const windowB = { from: fromB, to: Date.now() };
    const fromC = Date.now();
    const perSubject = (m: ErasingModule[]) => m.map((x) => ({ name: x.name, personalData: { ...x.personalData, eraseMany: undefined } }));
    expect(await batch(c, order, perSubject)).toEqual({ erased: order, skipped: [] });
    const windowC = { from: fromC, to: Date.now() };

    expect(out).toEqual({ erased: order, skipped: [] });
    const afterA = await digest(a.suite, windowA, skip);
    const afterB = await digest(b.suite, windowB, skip);
    expect(afterA).not.toEqual(before); // the digest sees the erasure…
    for (const table of Object.keys(afterA)) expect([table, afterB[table]]).toEqual([table, afterA[table]]); // …and the same erasure in both
    expect(Object.keys(afterB).sort()).toEqual(Object.keys(afterA).sort());
    // Modules without eraseMany (erased one subject at a time inside the batch) end the same way too.
    const afterC = await digest(c.suite, windowC, skip);
    for (const table of Object.keys(afterA)) expect([table, afterC[table]]).toEqual([table, afterA[table]]);

    // What the erasures did (the same in both): client with contacts, payer on its own, statutory records, registrar told.
    const [c1, c2, c3, c4] = customers;
    expect(one[1]).toMatchObject({ subjectId: c1.subjectId, kind: 'client', contacts: c1.contactSubjectIds, statutory: { records: 1, years: 6 } });
    expect(one[1].processors).toEqual([expect.objectContaining({ recipient: 'registrar', topic: 'registrant.save-contacts' })]);
    expect(one[4].contacts).toEqual([c4.contactSubjectIds[0]]);
    expect(one[5]).toMatchObject({ subjectId: c2.payerSubjectId, kind: 'payer', contacts: [], statutory: { records: 1 } });
    expect(one[3].erased).toEqual(expect.arrayContaining([{ module: 'rights', count: 1 }]));
    expect(one[1].erased).toEqual(expect.arrayContaining([{ module: 'outbox', count: expect.any(Number) }]));
    expect(one[2].kept).toEqual(expect.arrayContaining([expect.objectContaining({ module: 'outbox', what: expect.stringContaining('registrar') })]));
    expect(one[2].kept).toEqual(expect.arrayContaining([expect.objectContaining({ module: 'consent', what: expect.stringContaining('withdrawal records (1)') })]));
    for (const t of [a, b]) {
      for (const id of [...order, ...c1.contactSubjectIds, ...c3.contactSubjectIds]) expect((await t.suite.kernel.subjects.get(id)).status).toBe('erased');
      const needles = [1, 2, 3, 4].flatMap((n) => [`augusta.${n}@example.org`, `Byron${n}`, `${n} Ockham Park`, `203.0.113.${n}`, `BatchTestBrowser/${n}.0`, `charles.${n}.0@example.org`]).concat(['accounts.2@globex.test', 'please send my data']);
      expect(await scanDatabase(t.suite, needles, ['rights_statutory_records', 'audit_log'])).toEqual([]);
    }

    // The audit log: one entry per subject one by one; one entry for the whole batch, with no personal data.
    const newA = (await a.suite.kernel.db('audit_log').orderBy('seq').offset(auditA).select('action')) as { action: string }[];
    expect(newA.map((r) => r.action)).toEqual(order.map(() => 'rights.erasure.done'));
    const newB = (await b.suite.kernel.db('audit_log').orderBy('seq').offset(auditB).select('action', 'target_type', 'target_id', 'details')) as { action: string; target_type: string; target_id: string; details: string }[];
    expect(newB).toHaveLength(1);
    expect(newB[0]).toMatchObject({ action: 'rights.erasure.batch', target_type: 'rights_erasure_batch', target_id: 'retention-run:1' });
    expect(JSON.parse(newB[0].details)).toEqual({ count: 6, contacts: 5, skipped: 0, source: 'retention', reference: 'retention-run:1', statutory: 5, processors: 4, subjectIds: order });
    expect(await scanDatabase(b.suite, ['augusta', 'Byron', 'Ockham', 'globex'], ['rights_statutory_records'])).toEqual([]);
    expect((await b.suite.kernel.audit.list({ action: 'rights.erasure.done' })).length).toBe(0);
  });

  it('MS-9 / WSM-27: a second batch over the same ids erases nothing, writes nothing and skips them as already erased', async () => {
    const tables = ['rights_erasures', 'rights_suppression', 'rights_statutory_records', 'outbox', 'consent_suppression', 'audit_log'];
    const before = await digest(b.suite, NO_WINDOW);
    const out = await batch(b, order);
    expect(out).toEqual({ erased: [], skipped: order.map((subjectId) => ({ subjectId, reason: 'already-erased' })) });
    expect(await digest(b.suite, NO_WINDOW)).toEqual(before);
    for (const table of tables) expect(before[table].length).toBeGreaterThan(0);
  });

  it('MS-8f: a subject erased in a batch answers a later erase request with the same result as one erased on its own', async () => {
    const shop = await a.suite.kernel.brands.get('shop');
    const profile = await a.suite.kernel.brands.profile(shop);
    const blank = (r: ErasureResult) => ({ ...r, erasedAt: 0, processors: r.processors.map((p) => ({ ...p, outboxId: 0 })) });
    for (const subjectId of order) {
      const again = { brand: shop, profile, subjectId, actor: ACTOR };
      const fromBatch = await eraseSubject(b.suite.kernel, again);
      const fromOne = await eraseSubject(a.suite.kernel, again);
      expect(blank(fromBatch)).toEqual(blank(fromOne));
      expect(fromBatch.subjectId).toBe(subjectId);
    }
    // The batch's answers are stored once, encrypted: no sentence or count in clear.
    const batches = (await b.suite.kernel.db('rights_erasure_batches').select('subjects', 'result_enc')) as { subjects: number; result_enc: string }[];
    expect(batches.map((x) => x.subjects)).toEqual([order.length]);
    expect(batches[0].result_enc).toMatch(/^v1\./);
  });

  it('MS-9 / WSM-27: subjects of another brand and unknown ids are skipped with the reason; the rest of the batch is erased', async () => {
    const mine = await fullCustomer(b.suite, 'shop', 10);
    const foreign = await fullCustomer(b.suite, 'other', 11);
    const foreignFields = await b.suite.kernel.subjects.fields(foreign.subjectId);
    const out = await batch(b, [foreign.subjectId, mine.subjectId, 99_999_999, mine.subjectId]);
    expect(out).toEqual({ erased: [mine.subjectId], skipped: [{ subjectId: foreign.subjectId, reason: 'other-brand' }, { subjectId: 99_999_999, reason: 'unknown' }] });
    expect((await b.suite.kernel.subjects.get(mine.subjectId)).status).toBe('erased');
    expect((await b.suite.kernel.subjects.get(mine.contactSubjectIds[0])).status).toBe('erased');
    expect((await b.suite.kernel.subjects.get(foreign.subjectId)).status).toBe('active');
    expect(await b.suite.kernel.subjects.fields(foreign.subjectId)).toEqual(foreignFields);
    expect(await b.suite.kernel.db('rights_erasures').where({ subject_id: foreign.subjectId }).count({ n: '*' }).first()).toMatchObject({ n: 0 });
    expect(await scanDatabase(b.suite, ['augusta.10@example.org', 'Byron10'], ['rights_statutory_records'])).toEqual([]);
    expect((await scanDatabase(b.suite, ['augusta.11@example.org'])).length).toBeGreaterThan(0);
  });

  it('MS-8f: a module failing mid-batch rolls back the WHOLE batch: no subject is half-processed, and the batch then succeeds', async () => {
    const cs = [await fullCustomer(b.suite, 'shop', 20, { payer: true }), await fullCustomer(b.suite, 'shop', 21), await fullCustomer(b.suite, 'shop', 22)];
    const ids = [cs[0].subjectId, cs[0].payerSubjectId!, cs[1].subjectId, cs[2].subjectId];
    const before = await digest(b.suite, NO_WINDOW);
    // A module after platform, consent, registrant and rights have written, failing on the third subject (per-subject fallback).
    const failing: ErasingModule = {
      name: 'failing',
      personalData: {
        export: async () => ({}),
        erase: async (id) => {
          if (id === cs[1].subjectId) throw new Error('module down');
          return { erased: 0, kept: [] };
        },
      },
    };
    const withFailure = (m: ErasingModule[]) => [...m.filter((x) => x.name !== 'inventory'), failing, ...m.filter((x) => x.name === 'inventory')];
    await expect(batch(b, ids, withFailure)).rejects.toThrow('module down');
    expect(await digest(b.suite, NO_WINDOW)).toEqual(before);
    for (const id of ids) expect((await b.suite.kernel.subjects.get(id)).status).toBe('active');

    const out = await batch(b, ids);
    expect(out.erased).toEqual(ids);
    for (const id of ids) expect((await b.suite.kernel.subjects.get(id)).status).toBe('erased');
  });
});
