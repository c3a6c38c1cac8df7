/**
 * MS-8f: the erasure of one subject is one transaction. A module that fails after the others have erased (here a
 * test module loaded after them) rolls everything back: the subject is untouched, no statutory record, suppression
 * row or done row exists, the request is back to verified with a 'failed' event; fulfilling again erases it.
 */
import { defineModule } from '../../../core/modules/define-module';
import { INSTALLED_MODULES } from '../../../modules/installed';
import type { PlatformService } from '../../../modules/platform';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, rightsBrand, rightsCall, signUp } from './fixtures';

let failing = true;
const failingModule = defineModule({
  name: 'test-failing-eraser', version: '0.0.0', type: 'addon', description: 'test: fails its erasure on demand', storesPersonalData: true,
  personalData: {
    export: async () => ({}),
    erase: async () => {
      if (failing) throw new Error('processor unavailable');
      return { erased: 0, kept: [] };
    },
  },
});

let t: TestSuite;
let key: string;

/** What the database holds about a subject that an erasure would change. */
async function snapshot(subjectId: number, clientId: number): Promise<Record<string, unknown>> {
  const db = t.suite.kernel.db;
  return {
    subject: await db('subjects').where({ id: subjectId }).first('status', 'email_hash'),
    fields: await db('subject_fields').where({ subject_id: subjectId }).orderBy('field').select('field', 'value_enc'),
    client: await db('platform_clients').where({ id: clientId }).first('personal_enc', 'email_hash', 'password_hash'),
    ledger: await db('consent_ledger').where({ subject_id: subjectId }).orderBy('seq').select('ip_enc', 'ua_enc'),
    state: await db('consent_state').where({ subject_id: subjectId }).select('purpose'),
    statutory: await db('rights_statutory_records').where({ subject_id: subjectId }).select('id'),
    suppression: await db('rights_suppression').select('id'),
    erasures: await db('rights_erasures').where({ subject_id: subjectId }).select('id'),
  };
}

beforeAll(async () => {
  t = await startTestSuite({ modules: [...INSTALLED_MODULES, { name: 'test-failing-eraser', load: () => failingModule }] });
  await rightsBrand(t.suite, 'shop');
  key = await adminKey(t.suite);
});
afterAll(async () => t?.close());

describe('erasure is all or nothing (MS-8f)', () => {
  it('MS-8f: a failure after the other modules erased rolls the whole erasure back; the next attempt erases the subject', async () => {
    const c = await signUp(t.suite, 'shop', 1, { marketing_emails_opt_in: true });
    const platform = t.suite.kernel.service<PlatformService>('platform');
    const o = await platform.order(c.clientId, [{ type: 'hosting', product: 'Shared Hosting', amount: 5 }], { accepttos: true });
    await platform.pay(o.invoiceId);
    const before = await snapshot(c.subjectId, c.clientId);
    expect((before.fields as unknown[]).length).toBeGreaterThan(5);
    expect((before.ledger as unknown[]).length).toBeGreaterThan(0);

    const open = await rightsCall(t.baseUrl, key, 'shop', 'POST', '/requests', { type: 'erase', subjectId: c.subjectId, verified: 'manual' });
    const failed = await rightsCall(t.baseUrl, key, 'shop', 'POST', `/requests/${open.body.request.id}/fulfil`);
    expect(failed.status).toBe(500);
    expect(await snapshot(c.subjectId, c.clientId)).toEqual(before);
    const read = await rightsCall(t.baseUrl, key, 'shop', 'GET', `/requests/${open.body.request.id}`);
    expect(read.body.request.status).toBe('verified');
    expect(read.body.events.map((e: { event: string }) => e.event)).toEqual(['received', 'verified', 'in-progress', 'failed']);

    failing = false;
    const done = await rightsCall(t.baseUrl, key, 'shop', 'POST', `/requests/${open.body.request.id}/fulfil`);
    expect(done.status).toBe(200);
    expect(done.body.request.status).toBe('fulfilled');
    const after = await snapshot(c.subjectId, c.clientId);
    expect(after).toMatchObject({ subject: { status: 'erased', email_hash: null }, fields: [], client: { personal_enc: null, email_hash: null, password_hash: null }, state: [] });
    expect((after.statutory as unknown[]).length).toBe(1);
    expect((after.erasures as unknown[]).length).toBe(1);
    expect((after.suppression as unknown[]).length).toBe((before.suppression as unknown[]).length + 1);
    for (const l of after.ledger as { ip_enc: unknown; ua_enc: unknown }[]) expect(l).toEqual({ ip_enc: null, ua_enc: null });
  });
});
