/** Withdrawal of processing consent (SP-6.1): recorded, opens a service-suspension step for the admin, notifies the customer. */
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { createSignedLink } from '../../../core/links/signed-link';
import { clientAdd, consentBrand, consentService, ledgerOf, subjectOf, type TestBrand } from './marketing-fixtures';

let t: TestSuite;
let shop: TestBrand;
let ownerKey: string;

const admin = (method: string, path: string, body?: unknown) => fetch(`${t.baseUrl}/api/v1/admin/brands/${shop.slug}/modules/consent${path}`, {
  method, headers: { authorization: `Bearer ${ownerKey}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
});

beforeAll(async () => {
  t = await startTestSuite();
  shop = await consentBrand(t.suite, 'withdraw-shop', { model: 'opt-in' });
  ownerKey = (await t.suite.apiKeys.create({ role: 'owner', label: 'test' }, { type: 'cli', id: 'test' })).key;
});
afterAll(() => t.close());

describe('withdrawal of processing consent', () => {
  it('SP-6.1: withdrawing processing consent opens a suspension step and notifies the customer', async () => {
    await clientAdd(t.baseUrl, shop, 1);
    const sid = await subjectOf(t.suite, shop, 1);
    const link = (await (await admin('POST', `/subjects/${sid}/withdraw-link`)).json()) as { url: string; token: string };
    expect(link.url).toContain(`/b/${shop.slug}/consent/withdraw?token=`);
    const page = await fetch(`${t.baseUrl}/b/${shop.slug}/consent/withdraw?token=${encodeURIComponent(link.token)}`, { headers: { 'accept-language': 'fr' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Retirer votre consentement');
    expect(html).toContain('name="token"');
    expect(await t.suite.kernel.db('consent_withdrawals')).toHaveLength(0);

    const res = await fetch(`${t.baseUrl}/b/${shop.slug}/consent/withdraw`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': 'Mozilla/5.0 withdraw' }, body: new URLSearchParams({ token: link.token }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { receiptId: string; withdrawalId: number };
    expect((await ledgerOf(t.suite, sid)).at(-1)).toMatchObject({ purpose: 'processing', action: 'withdrawn', method: 'link', receipt_id: body.receiptId });

    const list = (await (await admin('GET', '/withdrawals?status=open')).json()) as { withdrawals: Record<string, unknown>[] };
    expect(list.withdrawals).toEqual([expect.objectContaining({ id: body.withdrawalId, subjectId: sid, receiptId: body.receiptId, status: 'open', step: 'service-suspension' })]);

    const notice = await t.suite.kernel.db('outbox').where({ brand_id: shop.id, topic: 'consent.withdrawal-notice' });
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatchObject({ recipient: 'email', purpose: 'service', subject_id: sid, state: 'pending' });
    expect(await t.suite.kernel.db('disclosure_log').where({ subject_id: sid, recipient: 'email', purpose: 'service' })).toHaveLength(1);
    expect(await t.suite.kernel.db('audit_log').where({ action: 'consent.processing-withdrawn', target_id: String(sid) })).toHaveLength(1);

    const step = await admin('PUT', `/withdrawals/${body.withdrawalId}`, { status: 'suspended' });
    expect(step.status).toBe(200);
    expect((await (await admin('GET', '/withdrawals?status=open')).json() as { withdrawals: unknown[] }).withdrawals).toHaveLength(0);
  });

  it('SP-6.1: a written withdrawal entered through the service opens the same step', async () => {
    await clientAdd(t.baseUrl, shop, 2);
    const sid = await subjectOf(t.suite, shop, 2);
    const r = await consentService(t.suite).withdraw(shop.slug, sid, 'processing', { method: 'admin-written', collectionPoint: 'admin' }, { via: 'written' });
    expect(r.withdrawalId).toBeGreaterThan(0);
    const row = await t.suite.kernel.db('consent_withdrawals').where({ id: r.withdrawalId }).first();
    expect(row).toMatchObject({ status: 'open', receipt_id: r.receiptId });
    expect(await t.suite.kernel.db('outbox').where({ topic: 'consent.withdrawal-notice', subject_id: sid })).toHaveLength(1);
  });

  it('SP-6.1: a withdrawal link for another purpose or brand is refused and opens nothing', async () => {
    await clientAdd(t.baseUrl, shop, 3);
    const sid = await subjectOf(t.suite, shop, 3);
    const before = await t.suite.kernel.db('consent_withdrawals').count({ n: '*' }).first();
    const wrong = createSignedLink(t.suite.kernel, { brandId: shop.id, subjectId: sid, purpose: 'unsubscribe:email', expiresAt: Date.now() + 60_000 });
    const foreign = createSignedLink(t.suite.kernel, { brandId: shop.id + 1000, subjectId: sid, purpose: 'withdraw-processing', expiresAt: Date.now() + 60_000 });
    for (const token of [wrong, foreign, '']) {
      const res = await fetch(`${t.baseUrl}/b/${shop.slug}/consent/withdraw`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }) });
      expect(res.status).toBe(401);
    }
    expect(await t.suite.kernel.db('consent_withdrawals').count({ n: '*' }).first()).toEqual(before);
  });
});
