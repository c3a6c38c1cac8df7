/**
 * PayPal webhooks, verified by the suite itself (CRC32 of the raw body, RSA-SHA256 with the certificate fetched from a
 * PayPal host through the module's transport, 300 s tolerance) and applied once; and the client routes: the signed pay
 * link, the return (capture, result page) and the cancel page.
 */
import { payLink } from '../../../../modules/gateways/kit/client-pages';
import { clearCertCache } from '../../../../modules/gateways/paypal/webhook-signature';
import { CERT_PATH } from '../../../helpers/paypal-standin';
import { count } from '../../../helpers/test-suite';
import { PaypalFixture } from './fixture';

const f = new PaypalFixture();
beforeAll(() => f.start(), 30_000);
afterAll(() => f.stop());

/** An order approved on PayPal's page whose customer never came back. */
async function approvedOrder() {
  const inv = await f.invoice();
  const link = await f.service.checkout(inv.invoiceId, { returnUrl: 'https://shop.example/r', cancelUrl: 'https://shop.example/c' });
  f.pp.approve(link.reference, { payer: { name: { given: 'Ada', surname: 'Lovelace' }, email: inv.email } });
  return { ...inv, orderId: link.reference };
}

const paidHooks = (invoiceId: number) => f.seen.filter((h) => h.hook === 'InvoicePaid' && h.vars.invoiceid === invoiceId).length;

describe('PayPal webhook signatures', () => {
  it('a body changed after signing is refused with 400 and nothing is recorded', async () => {
    const { orderId } = await approvedOrder();
    const events = await count(f.t.suite, 'paypal_events');
    const res = await f.postWebhook(f.pp.event('CHECKOUT.ORDER.APPROVED', { id: orderId, status: 'APPROVED' }, { tamper: true }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ ok: false, code: 'SUITE_PAYPAL_WEBHOOK_REFUSED' });
    expect(await count(f.t.suite, 'paypal_events')).toBe(events);
    expect(f.pp.calls('POST', `/v2/checkout/orders/${orderId}/capture`)).toEqual([]);
  });

  it('a webhook signed for another webhook id is refused', async () => {
    const { orderId } = await approvedOrder();
    const res = await f.postWebhook(f.pp.event('CHECKOUT.ORDER.APPROVED', { id: orderId }, { webhookId: 'WH-SOMEONE-ELSE' }));
    expect(res.status).toBe(400);
    expect(f.pp.calls('POST', `/v2/checkout/orders/${orderId}/capture`)).toEqual([]);
  });

  it('a stale webhook (transmission time 301 s ago) is refused before any certificate is fetched', async () => {
    clearCertCache();
    const { orderId } = await approvedOrder();
    const before = f.pp.requests.length;
    const events = await count(f.t.suite, 'paypal_events');
    const res = await f.postWebhook(f.pp.event('CHECKOUT.ORDER.APPROVED', { id: orderId }, { time: new Date(Date.now() - 301_000) }));
    expect(res.status).toBe(400);
    expect(f.pp.requests.slice(before)).toEqual([]);
    expect(await count(f.t.suite, 'paypal_events')).toBe(events);
    // Within the tolerance it is accepted.
    expect((await f.postWebhook(f.pp.event('CHECKOUT.ORDER.APPROVED', { id: orderId }, { time: new Date(Date.now() - 290_000) }))).status).toBe(200);
  });

  it.each([
    'https://evil.example/v1/notifications/certs/CERT-1',
    'http://api.paypal.com/v1/notifications/certs/CERT-1',
    'https://api.sandbox.paypal.com.evil.example/certs/CERT-1',
    'https://api.sandbox.paypal.com:8443/certs/CERT-1',
    'https://user@api.paypal.com/certs/CERT-1',
  ])('a certificate URL not on a PayPal API host over https (%s) is refused and never fetched', async (certUrl) => {
    clearCertCache();
    const before = f.pp.requests.length;
    const res = await f.postWebhook(f.pp.event('PAYMENT.CAPTURE.COMPLETED', { id: '3CNOPE' }, { certUrl }));
    expect(res.status).toBe(400);
    expect(f.pp.requests.slice(before)).toEqual([]);
  });

  it('the certificate is fetched once through the module transport and cached', async () => {
    clearCertCache();
    const before = f.pp.calls('GET', CERT_PATH).length;
    for (let i = 0; i < 3; i++) expect((await f.postWebhook(f.pp.event('BILLING.SUBSCRIPTION.CREATED', { id: `I-${i}` }))).status).toBe(200);
    expect(f.pp.calls('GET', CERT_PATH).length - before).toBe(1);
  });
});

describe('PayPal webhook events', () => {
  it('CHECKOUT.ORDER.APPROVED captures the order and pays the invoice; the same event twice is applied once', async () => {
    const { orderId, invoiceId } = await approvedOrder();
    const ev = f.pp.event('CHECKOUT.ORDER.APPROVED', { id: orderId, status: 'APPROVED' });
    const first = await f.postWebhook(ev);
    expect(first).toEqual({ status: 200, body: { ok: true, status: 'applied', eventId: expect.any(String), type: 'CHECKOUT.ORDER.APPROVED' } });
    const again = await f.postWebhook(ev);
    expect(again.body).toMatchObject({ status: 'duplicate' });
    expect((await f.platform.invoice(invoiceId)).status).toBe('paid');
    expect(paidHooks(invoiceId)).toBe(1);
    expect(f.pp.calls('POST', `/v2/checkout/orders/${orderId}/capture`)).toHaveLength(1);
    expect(await f.kernel.db('paypal_events').where({ event_id: first.body.eventId })).toHaveLength(1);
  });

  it('an event whose capture fails (PayPal answering 500) is kept as failed, answered 502 so PayPal sends it again, then applied', async () => {
    const { orderId, invoiceId } = await approvedOrder();
    const ev = f.pp.event('CHECKOUT.ORDER.APPROVED', { id: orderId });
    f.pp.failNext(1, 500);
    const first = await f.postWebhook(ev);
    expect(first).toMatchObject({ status: 502, body: { code: 'SUITE_PAYPAL_PROCESSOR_FAILED' } });
    const eventId = JSON.parse(ev.body).id as string;
    expect(await f.kernel.db('paypal_events').where({ event_id: eventId }).first()).toMatchObject({ outcome: 'failed', attempts: 1 });
    expect((await f.postWebhook(ev)).body).toMatchObject({ status: 'applied' });
    expect(await f.kernel.db('paypal_events').where({ event_id: eventId }).first()).toMatchObject({ outcome: 'applied', attempts: 2 });
    expect((await f.platform.invoice(invoiceId)).status).toBe('paid');
  });

  it('PAYMENT.CAPTURE.COMPLETED and then the customer returning change nothing more (idempotent with the capture)', async () => {
    const { orderId, invoiceId } = await approvedOrder();
    await f.postWebhook(f.pp.event('CHECKOUT.ORDER.APPROVED', { id: orderId }));
    const captureId = f.pp.orders.get(orderId)!.captureId!;
    const completed = await f.postWebhook(f.pp.event('PAYMENT.CAPTURE.COMPLETED', f.pp.captureResource(captureId)));
    expect(completed.body).toMatchObject({ status: 'applied' });
    const page = await fetch(`${f.t.baseUrl}/b/pp-shop/gateways/paypal/return?token=${orderId}&PayerID=PAYERX`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Payment received');
    expect(f.pp.calls('POST', `/v2/checkout/orders/${orderId}/capture`)).toHaveLength(1);
    expect(paidHooks(invoiceId)).toBe(1);
  });

  it('PAYMENT.CAPTURE.COMPLETED of a capture whose answer the suite never got settles the invoice (PayPal replays the capture by its request id)', async () => {
    const { orderId, invoiceId } = await approvedOrder();
    // The suite's capture reached PayPal, but its answer was lost on the way back.
    const lost = await fetch(`http://127.0.0.1:${f.pp.port}/v2/checkout/orders/${orderId}/capture`, {
      method: 'POST', headers: { authorization: `Bearer ${f.pp.issuedTokens.at(-1)}`, 'paypal-request-id': `cap-${orderId}`, 'content-type': 'application/json' }, body: '{}',
    });
    expect(lost.status).toBe(201);
    expect((await f.platform.invoice(invoiceId)).status).toBe('unpaid');
    const captureId = f.pp.orders.get(orderId)!.captureId!;
    const res = await f.postWebhook(f.pp.event('PAYMENT.CAPTURE.COMPLETED', f.pp.captureResource(captureId)));
    expect(res.body).toMatchObject({ status: 'applied' });
    expect(await f.kernel.db('paypal_payments').where({ reference: orderId }).first()).toMatchObject({ status: 'paid', transaction_id: captureId });
    expect((await f.platform.invoice(invoiceId)).status).toBe('paid');
    expect(paidHooks(invoiceId)).toBe(1);
    expect([...f.pp.captures.values()].filter((c) => c.orderId === orderId)).toHaveLength(1);
  });

  it('PAYMENT.CAPTURE.REFUNDED sets the refunded total; after the suite\'s own refund it counts once', async () => {
    const { invoiceId, brand, result } = await f.paid();
    await f.service.refund(brand, invoiceId, 4);
    const own = await f.postWebhook(f.pp.event('PAYMENT.CAPTURE.REFUNDED', f.pp.refundResource(result.transactionId!, 400, 400)));
    expect(own.body).toMatchObject({ status: 'applied' });
    let row = await f.kernel.db('paypal_payments').where({ transaction_id: result.transactionId }).first();
    expect({ status: row.status, refunded: Number(row.refunded) }).toEqual({ status: 'partially-refunded', refunded: 4 });
    // A refund made in PayPal's dashboard for the rest.
    await f.postWebhook(f.pp.event('PAYMENT.CAPTURE.REFUNDED', f.pp.refundResource(result.transactionId!, 1550, 1950)));
    row = await f.kernel.db('paypal_payments').where({ transaction_id: result.transactionId }).first();
    expect({ status: row.status, refunded: Number(row.refunded) }).toEqual({ status: 'refunded', refunded: 19.5 });
  });

  it('PAYMENT.CAPTURE.DENIED of a pending capture declines the payment; the invoice stays unpaid', async () => {
    const { orderId, invoiceId } = await approvedOrder();
    await f.kernel.db('paypal_payments').where({ reference: orderId }).update({ transaction_id: '3CPENDING1' });
    const res = await f.postWebhook(f.pp.event('PAYMENT.CAPTURE.DENIED', { id: '3CPENDING1', status: 'DECLINED', supplementary_data: { related_ids: { order_id: orderId } } }));
    expect(res.body).toMatchObject({ status: 'applied' });
    expect(await f.kernel.db('paypal_payments').where({ reference: orderId }).first()).toMatchObject({ status: 'declined', failure_code: 'DENIED' });
    expect((await f.platform.invoice(invoiceId)).status).toBe('unpaid');
  });

  it('an event type the module does not handle is recorded as ignored', async () => {
    const res = await f.postWebhook(f.pp.event('CUSTOMER.DISPUTE.CREATED', { dispute_id: 'PP-D-1' }));
    expect(res.body).toMatchObject({ status: 'ignored', type: 'CUSTOMER.DISPUTE.CREATED' });
  });
});

describe('PayPal client routes', () => {
  it('the signed pay link answers 303 to PayPal\'s approval page; a link for another invoice is refused', async () => {
    const inv = await f.invoice();
    const brand = await f.brand();
    const url = new URL(payLink(f.kernel, brand, 'paypal', inv.invoiceId, inv.subjectId));
    const res = await fetch(`${f.t.baseUrl}${url.pathname}${url.search}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^https:\/\/www\.sandbox\.paypal\.com\/checkoutnow\?token=5O/);
    const create = f.pp.calls('POST', '/v2/checkout/orders').at(-1)!;
    expect((create.body as { payment_source: { paypal: { experience_context: Record<string, string> } } }).payment_source.paypal.experience_context).toMatchObject({
      return_url: expect.stringMatching(/\/b\/pp-shop\/gateways\/paypal\/return$/), cancel_url: expect.stringMatching(/\/b\/pp-shop\/gateways\/paypal\/cancel$/),
    });
    const other = await fetch(`${f.t.baseUrl}${url.pathname.replace(String(inv.invoiceId), String(inv.invoiceId + 1000))}${url.search}`, { redirect: 'manual' });
    expect(other.status).toBe(401);
  });

  it('the cancel page says nothing was charged and the invoice stays unpaid', async () => {
    const { orderId, invoiceId } = await approvedOrder();
    const page = await fetch(`${f.t.baseUrl}/b/pp-shop/gateways/paypal/cancel?token=${orderId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Payment cancelled');
    expect(html).toContain(`#${invoiceId}`);
    expect((await f.platform.invoice(invoiceId)).status).toBe('unpaid');
  });

  it('the return page of a declined payment says so', async () => {
    const inv = await f.invoice();
    const link = await f.service.checkout(inv.invoiceId, { returnUrl: 'https://shop.example/r', cancelUrl: 'https://shop.example/c' });
    f.pp.approve(link.reference, { payer: { name: { given: 'Ada', surname: 'L' }, email: inv.email }, declined: true });
    const page = await fetch(`${f.t.baseUrl}/b/pp-shop/gateways/paypal/return?token=${link.reference}`);
    expect(await page.text()).toContain('Payment declined');
  });
});
