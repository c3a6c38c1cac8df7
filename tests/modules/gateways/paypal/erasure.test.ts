/**
 * A PayPal payer's erasure (MS-8f): vault tokens are deleted at PayPal through the outbox, retried while PayPal is down
 * and deleted exactly once; the local token goes, the payment rows (ids and amounts) stay; the answer names what stays
 * at PayPal and why; the delete is in the disclosure log. Export and rectification of what the module holds.
 */
import { eraseSubject } from '../../../../modules/rights/erase/erase-subject';
import { PaymentTokens } from '../../../../modules/gateways/kit/tokens';
import { drainOutbox } from '../../../helpers/test-suite';
import { PaypalFixture } from './fixture';

const f = new PaypalFixture();
beforeAll(() => f.start(), 30_000);
afterAll(() => f.stop());

const ACTOR = { type: 'system' as const, id: 'test' };

async function erase(subjectId: number) {
  const brand = await f.kernel.brands.getById((await f.kernel.subjects.get(subjectId)).brandId);
  return eraseSubject(f.kernel, { brand, profile: await f.kernel.brands.profile(brand), subjectId, actor: ACTOR });
}

describe('PayPal and erasure', () => {
  it('MS-8f: PayPal down during an erasure — the outbox retries, then the vault token is deleted exactly once', async () => {
    const { subjectId, link } = await f.paid({ vault: true });
    const vaultId = f.pp.orders.get(link.reference)!.vaultId!;
    expect(f.pp.vaultTokens.has(vaultId)).toBe(true);

    const result = await erase(subjectId);
    expect(result.processors).toEqual([{ outboxId: expect.any(Number), recipient: 'paypal', topic: 'paypal.vault.delete' }]);
    expect(await new PaymentTokens('paypal', f.kernel.keyring).ofSubjects(f.kernel.db, [subjectId])).toEqual([]);
    expect(await f.kernel.db('paypal_payments').where({ reference: link.reference }).first()).toMatchObject({ status: 'paid', invoice_id: expect.anything() });

    f.pp.down = true;
    const report = await f.t.suite.worker.drain(1);
    expect(report).toMatchObject({ claimed: 1, delivered: 0, retried: 1 });
    const [msg] = await f.kernel.db('outbox').where({ topic: 'paypal.vault.delete', subject_id: subjectId });
    expect(msg).toMatchObject({ state: 'pending', attempts: 1 });
    expect(msg.last_error).toMatch(/PayPal refused the call or could not be reached/);
    expect(msg.last_error).not.toMatch(/Bearer|A21AA/);

    f.pp.down = false;
    f.pp.failNext(1, 503);
    // The backoff has passed.
    await f.kernel.db('outbox').where({ id: msg.id }).update({ next_attempt_at: Date.now() });
    await f.t.suite.worker.drain(1);
    await f.kernel.db('outbox').where({ id: msg.id }).update({ next_attempt_at: Date.now() });
    await drainOutbox(f.t.suite);

    expect(await f.kernel.db('outbox').where({ id: msg.id }).first()).toMatchObject({ state: 'delivered', attempts: 3 });
    expect(f.pp.deletedTokens.filter((t) => t === vaultId)).toHaveLength(1);
    expect(f.pp.calls('DELETE', `/v3/vault/payment-tokens/${vaultId}`).map((r) => r.status)).toEqual([-1, 503, 204]);
  });

  it('MS-8f: a vault token already gone at PayPal (404) counts as deleted', async () => {
    const { subjectId, link } = await f.paid({ vault: true });
    const vaultId = f.pp.orders.get(link.reference)!.vaultId!;
    f.pp.vaultTokens.delete(vaultId);
    await erase(subjectId);
    await drainOutbox(f.t.suite);
    const [msg] = await f.kernel.db('outbox').where({ topic: 'paypal.vault.delete', subject_id: subjectId });
    expect(msg).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(f.pp.calls('DELETE', `/v3/vault/payment-tokens/${vaultId}`).map((r) => r.status)).toEqual([404]);
  });

  it('MS-8f: the erasure answer names what stays at PayPal (the account, orders and captures) and why', async () => {
    const { subjectId } = await f.paid();
    const result = await erase(subjectId);
    const kept = result.kept.filter((k) => k.module === 'gateways/paypal');
    expect(kept).toHaveLength(1);
    expect(kept[0].what).toMatch(/PayPal account/);
    expect(kept[0].what).toMatch(/orders and captures/);
    expect(kept[0].what).toMatch(/independent controller/);
    expect(kept[0].what).toMatch(/legal duties/);
    expect(kept[0].what).toMatch(/ask PayPal directly/);
    // Without a vault token nothing is sent to PayPal.
    expect(result.processors.filter((p) => p.recipient === 'paypal')).toEqual([]);
  });

  it('a subject who never paid through PayPal gets no PayPal sentence', async () => {
    const { subjectId } = await f.invoice();
    const result = await erase(subjectId);
    expect(result.kept.filter((k) => k.module === 'gateways/paypal')).toEqual([]);
  });

  it('MS-5.1: the vault delete is in the disclosure log (recipient paypal, purpose legal, payment-token, the field name only)', async () => {
    const { subjectId, brand } = await f.paid({ vault: true });
    await erase(subjectId);
    const rows = (await f.disclosures(brand.id)).filter((r) => r.subject_id === subjectId && r.purpose === 'legal');
    expect(rows.map((r) => ({ categories: JSON.parse(String(r.categories)), fields: JSON.parse(String(r.fields)) }))).toEqual([{ categories: ['payment-token'], fields: ['vaultTokenId'] }]);
  });

  it('ESM-2: a third-party payer is erased on their own; their vault token goes, the client keeps nothing of it', async () => {
    const { brand, invoiceId, subjectId, link } = await f.paid({ payer: { given: 'Grace', surname: 'Hopper', email: 'grace.h@example.net' }, vault: true });
    const vaultId = f.pp.orders.get(link.reference)!.vaultId!;
    const payer = await f.kernel.subjects.findByExternal(brand.id, 'payer', (await f.platform.invoice(invoiceId)).payerId!);
    const result = await erase(payer!.id);
    expect(result.kept.some((k) => k.module === 'gateways/paypal')).toBe(true);
    await drainOutbox(f.t.suite);
    expect(f.pp.deletedTokens).toContain(vaultId);
    expect((await f.kernel.subjects.get(subjectId)).status).not.toBe('erased');
  });
});

describe('PayPal export and rectification', () => {
  it('the export holds the payment-token (payer and vault ids) and the payments, no payer name or e-mail', async () => {
    const { subjectId, link } = await f.paid({ vault: true });
    const out = await f.kernel.modules.get('gateways/paypal')!.personalData!.export(subjectId, { kernel: f.kernel });
    expect(out).toEqual({
      paymentTokens: [{ payerId: expect.stringMatching(/^PAYER/), vaultTokenId: expect.stringMatching(/^VT/), savedAt: expect.any(String) }],
      payments: [expect.objectContaining({ reference: link.reference, status: 'paid', amount: 19.5, currency: 'eur' })],
    });
  });

  it('MS-8e: a correction has nothing to send to PayPal (no customer record there)', async () => {
    const { subjectId, brand } = await f.paid();
    const pd = f.kernel.modules.get('gateways/paypal')!.personalData!;
    const before = f.pp.requests.length;
    const out = await f.kernel.db.transaction(async (trx) => pd.rectify!(subjectId, { email: 'new@example.org' }, { kernel: f.kernel, trx, brand, profile: await f.kernel.brands.profile(brand) }));
    expect(out).toEqual({ updated: [], propagated: [] });
    expect(f.pp.requests.length).toBe(before);
  });
});
