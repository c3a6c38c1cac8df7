/**
 * Objection to marketing (MS-7.1) and withdrawal of processing consent (SP-6.1) as rights requests, answered through
 * the consent module: in the consent ledger, effective at once, the withdrawal with its suspension step and notice.
 */
import type { ConsentService } from '../../../modules/consent/consent-service';
import { postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, rightsBrand, rightsCall, signUp } from './fixtures';

let t: TestSuite;
let key: string;
let secret: string;
let brandId: number;

const consent = () => t.suite.kernel.service<ConsentService>('consent');
const call = (method: string, path: string, body?: unknown) => rightsCall(t.baseUrl, key, 'obj-shop', method, path, body);
const preSend = (clientId: number) => postHook(t.baseUrl, 'EmailPreSend', secret, { brand: 'obj-shop', vars: { messagename: 'Spring Sale', relid: clientId, mergefields: {} } });
const ledger = (subjectId: number, purpose: string) => t.suite.kernel.db('consent_ledger').where({ subject_id: subjectId, purpose }).orderBy('seq');

/** A customer who agreed to marketing by email (at sign-up) and by SMS (on their profile). */
async function subscriber(n: number): Promise<{ clientId: number; subjectId: number }> {
  const c = await signUp(t.suite, 'obj-shop', n, { marketing_emails_opt_in: true });
  await consent().setPreference('obj-shop', c.subjectId, 'sms', 'given', { method: 'checkbox', collectionPoint: 'profile' });
  return c;
}

beforeAll(async () => {
  t = await startTestSuite();
  secret = await rightsBrand(t.suite, 'obj-shop', { consent: { model: 'opt-in', channels: ['email', 'sms'] } });
  brandId = (await t.suite.kernel.brands.get('obj-shop')).id;
  key = await adminKey(t.suite);
});
afterAll(async () => t?.close());

describe('objection and withdrawal', () => {
  it('MS-7.1: an objection needs no verification, withdraws marketing on every channel at once, in the ledger', async () => {
    const { clientId, subjectId } = await subscriber(1);
    expect((await preSend(clientId)).body.abortsend).toBeUndefined();
    const open = await call('POST', '/requests', { type: 'object', subjectId });
    expect(open.body.request.status).toBe('received');
    const done = await call('POST', `/requests/${open.body.request.id}/fulfil`);
    expect(done.status).toBe(200);
    expect(done.body.request.status).toBe('fulfilled');
    const result = done.body.request.result;
    expect(result.channels.map((c: { channel: string; state: string }) => [c.channel, c.state])).toEqual([['email', 'withdrawn'], ['sms', 'withdrawn']]);
    expect(result.receiptIds).toHaveLength(2);

    // Effective at once: the next marketing email is aborted, and no channel may be used.
    const aborted = await preSend(clientId);
    expect(aborted.body).toMatchObject({ ok: true, abortsend: true, data: { messageClass: 'marketing' } });
    expect(await consent().canSendMarketing('obj-shop', subjectId, 'email')).toBe(false);
    expect(await consent().canSendMarketing('obj-shop', subjectId, 'sms')).toBe(false);
    // In the ledger, as an admin acting on a written request, with the receipts the answer names.
    for (const purpose of ['marketing:email', 'marketing:sms']) {
      const last = (await ledger(subjectId, purpose)).pop();
      expect(last).toMatchObject({ action: 'withdrawn', method: 'admin-written', channel: 'written', collection_point: 'admin' });
      expect(result.receiptIds).toContain(last.receipt_id);
    }
    const read = await call('GET', `/requests/${open.body.request.id}`);
    expect(read.body.events.map((e: { event: string }) => e.event)).toEqual(['received', 'in-progress', 'marketing-objected', 'fulfilled']);
  });

  it('MS-7.1: an objection naming channels stops only those', async () => {
    const { clientId, subjectId } = await subscriber(2);
    const open = await call('POST', '/requests', { type: 'object', subjectId, channels: ['sms'] });
    const done = await call('POST', `/requests/${open.body.request.id}/fulfil`);
    expect(done.body.request.result.channels).toEqual([{ channel: 'sms', state: 'withdrawn', receiptId: expect.any(String) }]);
    expect(await consent().canSendMarketing('obj-shop', subjectId, 'sms')).toBe(false);
    expect(await consent().canSendMarketing('obj-shop', subjectId, 'email')).toBe(true);
    expect((await preSend(clientId)).body.abortsend).toBeUndefined();
  });

  it('SP-6.1: a verified withdrawal of consent opens the service-suspension step for the admin and queues the notice', async () => {
    const { subjectId } = await subscriber(3);
    const open = await call('POST', '/requests', { type: 'withdraw-consent', subjectId });
    expect((await call('POST', `/requests/${open.body.request.id}/fulfil`)).body.code).toBe('SUITE_RIGHTS_NOT_VERIFIED');
    await call('POST', `/requests/${open.body.request.id}/verify`, { method: 'manual' });
    const done = await call('POST', `/requests/${open.body.request.id}/fulfil`);
    expect(done.status).toBe(200);
    const result = done.body.request.result;
    expect(result).toMatchObject({ subjectId, purpose: 'processing', step: 'service-suspension', withdrawalId: expect.any(Number), receiptId: expect.any(String), noticeOutboxId: expect.any(Number) });

    const res = await fetch(`${t.baseUrl}/api/v1/admin/brands/obj-shop/modules/consent/withdrawals?status=open`, { headers: { authorization: `Bearer ${key}` } });
    const list = (await res.json()) as { withdrawals: Record<string, unknown>[] };
    expect(list.withdrawals).toContainEqual(expect.objectContaining({ id: result.withdrawalId, subjectId, receiptId: result.receiptId, status: 'open', step: 'service-suspension' }));
    const notice = await t.suite.kernel.db('outbox').where({ id: result.noticeOutboxId }).first();
    expect(notice).toMatchObject({ brand_id: brandId, topic: 'consent.withdrawal-notice', recipient: 'email', subject_id: subjectId, state: 'pending' });
    const last = (await ledger(subjectId, 'processing')).pop();
    expect(last).toMatchObject({ receipt_id: result.receiptId, action: 'withdrawn', method: 'admin-written', channel: 'written' });

    // Resumed after the answer committed: the same answer, no second suspension step.
    await t.suite.kernel.db('rights_requests').where({ id: open.body.request.id }).update({ status: 'in-progress', fulfilled_at: null });
    const again = await call('POST', `/requests/${open.body.request.id}/fulfil`);
    expect(again.body.request.result).toMatchObject({ withdrawalId: result.withdrawalId, resumed: true });
    expect(await t.suite.kernel.db('consent_withdrawals').where({ subject_id: subjectId })).toHaveLength(1);
  });
});
