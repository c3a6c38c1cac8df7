/**
 * PayPal checkout, capture and refund with the real SDK against the stand-in (issue 16): a paid order fires InvoicePaid,
 * a declined one leaves the invoice unpaid, retries carry the same PayPal-Request-Id and never charge or refund twice,
 * only opaque ids and the amount go to PayPal (TOS-1.2, SP-8), every transfer is in the disclosure log, a third-party
 * payer is its own subject (ESM-2), and the bearer token never reaches the log.
 */
import { PaymentTokens } from '../../../../modules/gateways/kit/tokens';
import { createBrand, PROVIDER_PROFILE } from '../../../helpers/test-suite';
import { PaypalFixture } from './fixture';

const f = new PaypalFixture();
beforeAll(() => f.start(), 30_000);
afterAll(() => f.stop());

type Json = Record<string, unknown>;

/** Every key path of a JSON value (arrays as []). */
function keyPaths(v: unknown, at = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x) => keyPaths(x, `${at}[]`));
  if (v === null || typeof v !== 'object') return [at];
  return Object.entries(v as Json).flatMap(([k, x]) => keyPaths(x, at ? `${at}.${k}` : k));
}

describe('PayPal checkout and capture', () => {
  it('TOS-1.2 / SP-8: a paid checkout (create → approve → capture) marks the invoice paid through InvoicePaid, sending only opaque ids and the amount', async () => {
    const before = f.pp.requests.length;
    const { invoiceId, subjectId, brand, link, result, email } = await f.paid();
    expect(link.url).toBe(`https://www.sandbox.paypal.com/checkoutnow?token=${link.reference}`);
    expect(result).toEqual({ status: 'paid', reference: link.reference, transactionId: expect.stringMatching(/^3C/) });
    expect((await f.platform.invoice(invoiceId)).status).toBe('paid');
    expect(f.seen.filter((h) => h.hook === 'InvoicePaid' && h.vars.invoiceid === invoiceId)).toHaveLength(1);

    const sent = f.pp.requests.slice(before).filter((r) => r.path !== '/v1/oauth2/token');
    const create = sent.find((r) => r.method === 'POST' && r.path === '/v2/checkout/orders')!;
    expect(keyPaths(create.body).sort()).toEqual([
      'intent',
      'payment_source.paypal.experience_context.cancel_url', 'payment_source.paypal.experience_context.return_url',
      'payment_source.paypal.experience_context.shipping_preference', 'payment_source.paypal.experience_context.user_action',
      'purchase_units[].amount.currency_code', 'purchase_units[].amount.value',
      'purchase_units[].custom_id', 'purchase_units[].invoice_id', 'purchase_units[].reference_id',
    ]);
    expect(create.body).toMatchObject({ intent: 'CAPTURE', purchase_units: [{ reference_id: String(invoiceId), invoice_id: `${brand.id}-${invoiceId}`, custom_id: `${brand.id}:${invoiceId}`, amount: { currency_code: 'EUR', value: '19.50' } }] });
    expect((create.body as Json).payment_source).toEqual({ paypal: { experience_context: { return_url: 'https://shop.example/return', cancel_url: 'https://shop.example/cancel', shipping_preference: 'NO_SHIPPING', user_action: 'PAY_NOW' } } });
    // No payer data, no card fields anywhere in what was sent.
    const everything = JSON.stringify(sent.map((r) => r.body));
    expect(everything).not.toContain(email);
    expect(everything).not.toMatch(/Lovelace|Analytical|NW1|020 7946|"card"|number|cvv|security_code|expiry|given_name|email_address|address/);
    // Every write carries its PayPal-Request-Id.
    expect(create.headers['paypal-request-id']).toBe(`ppc-${brand.id}-${invoiceId}-1950`);
    const capture = sent.find((r) => r.path.endsWith('/capture'))!;
    expect(capture.headers['paypal-request-id']).toBe(`cap-${link.reference}`);
    expect(capture.body === '' || JSON.stringify(capture.body) === '{}').toBe(true);

    // TOS-1.2: what is kept of how they paid is the payer id, sealed as payment-token.
    const [token] = await new PaymentTokens('paypal', f.kernel.keyring).ofSubjects(f.kernel.db, [subjectId]);
    expect(token.token).toEqual({ payerId: expect.stringMatching(/^PAYER/) });
    const payment = await f.kernel.db('paypal_payments').where({ reference: link.reference }).first();
    expect(payment).toMatchObject({ invoice_id: invoiceId, subject_id: subjectId, status: 'paid', currency: 'eur', mode: 'test' });
  });

  it('MS-5.1: the order and the capture are in the disclosure log with recipient paypal, purpose billing and the field names sent', async () => {
    const { brand, subjectId, invoiceId, link } = await f.paid();
    const rows = (await f.disclosures(brand.id)).filter((r) => r.subject_id === subjectId);
    expect(rows.map((r) => ({ purpose: r.purpose, categories: JSON.parse(String(r.categories)), fields: JSON.parse(String(r.fields)), reference: r.reference }))).toEqual([
      { purpose: 'billing', categories: ['billing'], fields: ['experience_context.cancel_url', 'experience_context.return_url', 'purchase_units.amount', 'purchase_units.custom_id', 'purchase_units.invoice_id', 'purchase_units.reference_id'], reference: `ppc-${brand.id}-${invoiceId}-1950` },
      { purpose: 'billing', categories: ['billing'], fields: ['order_id'], reference: `cap-${link.reference}` },
    ]);
  });

  it('a declined checkout (INSTRUMENT_DECLINED) leaves the invoice unpaid and fires no InvoicePaid', async () => {
    const inv = await f.invoice();
    const brand = await f.brand();
    const link = await f.service.checkout(inv.invoiceId, { returnUrl: 'https://shop.example/r', cancelUrl: 'https://shop.example/c' });
    f.pp.approve(link.reference, { payer: { name: { given: 'Ada', surname: 'L' }, email: inv.email }, declined: true });
    expect(await f.service.capture(brand, link.reference)).toEqual({ status: 'declined', reference: link.reference, transactionId: null });
    expect((await f.platform.invoice(inv.invoiceId)).status).toBe('unpaid');
    expect(f.seen.filter((h) => h.hook === 'InvoicePaid' && h.vars.invoiceid === inv.invoiceId)).toHaveLength(0);
    expect(await f.kernel.db('paypal_payments').where({ reference: link.reference }).first()).toMatchObject({ status: 'declined', failure_code: 'INSTRUMENT_DECLINED' });
  });

  it('after a decline the customer may pay the same order with another funding source: the retry has its own request id', async () => {
    const inv = await f.invoice();
    const brand = await f.brand();
    const link = await f.service.checkout(inv.invoiceId, { returnUrl: 'https://shop.example/r', cancelUrl: 'https://shop.example/c' });
    const payer = { name: { given: 'Ada', surname: 'L' }, email: inv.email };
    f.pp.approve(link.reference, { payer, declined: true });
    expect((await f.service.capture(brand, link.reference)).status).toBe('declined');
    f.pp.approve(link.reference, { payer });
    expect((await f.service.capture(brand, link.reference)).status).toBe('paid');
    const ids = f.pp.calls('POST', `/v2/checkout/orders/${link.reference}/capture`).map((r) => r.headers['paypal-request-id']);
    expect(ids).toEqual([`cap-${link.reference}`, expect.stringMatching(new RegExp(`^cap-${link.reference}-r\\d+$`))]);
    expect((await f.platform.invoice(inv.invoiceId)).status).toBe('paid');
  });

  it('a DECLINED capture leaves the invoice unpaid', async () => {
    const inv = await f.invoice();
    const link = await f.service.checkout(inv.invoiceId, { returnUrl: 'https://shop.example/r', cancelUrl: 'https://shop.example/c' });
    f.pp.approve(link.reference, { payer: { name: { given: 'Ada', surname: 'L' }, email: inv.email }, declined: 'capture' });
    expect((await f.service.capture(await f.brand(), link.reference)).status).toBe('declined');
    expect((await f.platform.invoice(inv.invoiceId)).status).toBe('unpaid');
  });

  it('a 500 then a 200 on create sends the same PayPal-Request-Id and makes one order', async () => {
    const inv = await f.invoice();
    const urls = { returnUrl: 'https://shop.example/r', cancelUrl: 'https://shop.example/c' };
    const ordersBefore = f.pp.orders.size;
    f.pp.failNext(1, 500);
    await expect(f.service.checkout(inv.invoiceId, urls)).rejects.toMatchObject({ code: 'SUITE_PAYPAL_PROCESSOR_FAILED', params: { code: 'INTERNAL_SERVER_ERROR', status: 500 } });
    const first = await f.service.checkout(inv.invoiceId, urls);
    const again = await f.service.checkout(inv.invoiceId, urls);
    expect(again).toEqual(first);
    const creates = f.pp.calls('POST', '/v2/checkout/orders').filter((r) => r.headers['paypal-request-id']?.endsWith(`-${inv.invoiceId}-1950`));
    expect(creates.map((r) => [r.status, r.headers['paypal-request-id']])).toEqual([[500, expect.any(String)], [201, creates[0].headers['paypal-request-id']], [201, creates[0].headers['paypal-request-id']]]);
    expect(f.pp.orders.size).toBe(ordersBefore + 1);
    expect(await f.kernel.db('paypal_payments').where({ invoice_id: inv.invoiceId })).toHaveLength(1);
  });

  it('a paid invoice cannot be checked out again', async () => {
    const { invoiceId } = await f.paid();
    await expect(f.service.checkout(invoiceId, { returnUrl: 'https://a.example', cancelUrl: 'https://a.example' })).rejects.toMatchObject({ code: 'SUITE_PAYPAL_INVOICE_NOT_PAYABLE' });
  });

  it('ESM-2: a payer whose PayPal e-mail is not the client\'s becomes their own subject, linked to the invoice, and holds the token', async () => {
    const { invoiceId, subjectId, link, brand } = await f.paid({ payer: { given: 'Grace', surname: 'Hopper', email: 'grace.hopper@example.net' }, vault: true });
    // Brand pp-vault asks PayPal to vault the wallet; still nothing about the payer is sent.
    expect((f.pp.orders.get(link.reference)!.requestBody.payment_source as Json).paypal).toEqual({
      experience_context: expect.any(Object), attributes: { vault: { store_in_vault: 'ON_SUCCESS', usage_type: 'MERCHANT' } },
    });
    const invoice = await f.platform.invoice(invoiceId);
    expect(invoice).toMatchObject({ status: 'paid', payerId: expect.any(Number) });
    const payer = await f.kernel.subjects.findByExternal(brand.id, 'payer', invoice.payerId!);
    expect(payer).toBeDefined();
    expect(payer!.id).not.toBe(subjectId);
    const payment = await f.kernel.db('paypal_payments').where({ reference: link.reference }).first();
    expect(Number(payment.subject_id)).toBe(payer!.id);
    const tokens = new PaymentTokens('paypal', f.kernel.keyring);
    expect(await tokens.ofSubjects(f.kernel.db, [subjectId])).toEqual([]);
    const [own] = await tokens.ofSubjects(f.kernel.db, [payer!.id]);
    expect(own.token).toEqual({ payerId: expect.stringMatching(/^PAYER/), vaultTokenId: expect.stringMatching(/^VT/) });
    const fields = await f.kernel.subjects.fields(payer!.id);
    expect(Object.fromEntries(fields.map((x) => [x.name, x.value]))).toMatchObject({ firstname: 'Grace', lastname: 'Hopper', email: 'grace.hopper@example.net' });
  });

  it('the customer returning twice (or the webhook first) captures once and pays once', async () => {
    const { invoiceId, brand, link } = await f.paid();
    const captures = f.pp.calls('POST', `/v2/checkout/orders/${link.reference}/capture`).length;
    expect((await f.service.capture(brand, link.reference)).status).toBe('paid');
    expect(f.pp.calls('POST', `/v2/checkout/orders/${link.reference}/capture`)).toHaveLength(captures);
    expect(f.seen.filter((h) => h.hook === 'InvoicePaid' && h.vars.invoiceid === invoiceId)).toHaveLength(1);
  });
});

describe('PayPal capture, already captured elsewhere', () => {
  it('an order captured under another request id (422 ORDER_ALREADY_CAPTURED) is read back with GET and settled once', async () => {
    const inv = await f.invoice();
    const link = await f.service.checkout(inv.invoiceId, { returnUrl: 'https://shop.example/r', cancelUrl: 'https://shop.example/c' });
    f.pp.approve(link.reference, { payer: { name: { given: 'Ada', surname: 'L' }, email: inv.email } });
    const other = await fetch(`http://127.0.0.1:${f.pp.port}/v2/checkout/orders/${link.reference}/capture`, {
      method: 'POST', headers: { authorization: `Bearer ${f.pp.issuedTokens.at(-1)}`, 'paypal-request-id': 'someone-else', 'content-type': 'application/json' }, body: '{}',
    });
    expect(other.status).toBe(201);
    const result = await f.service.capture(await f.brand(), link.reference);
    expect(result).toEqual({ status: 'paid', reference: link.reference, transactionId: f.pp.orders.get(link.reference)!.captureId });
    expect(f.pp.calls('GET', `/v2/checkout/orders/${link.reference}`)).toHaveLength(1);
    expect((await f.platform.invoice(inv.invoiceId)).status).toBe('paid');
  });
});

describe('PayPal refunds', () => {
  it('a partial then a full refund: amounts and request ids from the capture and what was refunded before', async () => {
    const { invoiceId, brand, link, result } = await f.paid();
    const partial = await f.service.refund(brand, invoiceId, 5);
    expect(partial).toMatchObject({ status: 'success', transid: expect.stringMatching(/^RF/), rawdata: { amount: '5.00', status: 'COMPLETED' } });
    expect(await f.kernel.db('paypal_payments').where({ reference: link.reference }).first()).toMatchObject({ status: 'partially-refunded' });
    const full = await f.service.refund(brand, invoiceId);
    expect(full).toMatchObject({ status: 'success', rawdata: { amount: '14.50' } });
    const row = await f.kernel.db('paypal_payments').where({ reference: link.reference }).first();
    expect({ status: row.status, refunded: Number(row.refunded) }).toEqual({ status: 'refunded', refunded: 19.5 });
    const sent = f.pp.calls('POST', `/v2/payments/captures/${result.transactionId}/refund`);
    expect(sent.map((r) => [r.headers['paypal-request-id'], r.body])).toEqual([
      [`ref-${result.transactionId}-500-0`, { amount: { currency_code: 'EUR', value: '5.00' } }],
      [`ref-${result.transactionId}-1450-500`, { amount: { currency_code: 'EUR', value: '14.50' } }],
    ]);
    await expect(f.service.refund(brand, invoiceId, 1)).rejects.toMatchObject({ code: 'SUITE_PAYPAL_NOT_REFUNDABLE' });
    const rows = (await f.disclosures(brand.id)).filter((r) => JSON.parse(String(r.fields)).includes('capture_id'));
    expect(rows.map((r) => r.reference)).toEqual([`ref-${result.transactionId}-500-0`, `ref-${result.transactionId}-1450-500`]);
  });

  it('a refund retried after a 500 sends the same PayPal-Request-Id and refunds once', async () => {
    const { invoiceId, brand, result } = await f.paid();
    f.pp.failNext(1, 500);
    expect(await f.service.refund(brand, invoiceId, 7)).toMatchObject({ status: 'error', rawdata: { status: 500, code: 'INTERNAL_SERVER_ERROR' } });
    expect(await f.service.refund(brand, invoiceId, 7)).toMatchObject({ status: 'success' });
    const sent = f.pp.calls('POST', `/v2/payments/captures/${result.transactionId}/refund`);
    expect(sent.map((r) => [r.status, r.headers['paypal-request-id']])).toEqual([[500, `ref-${result.transactionId}-700-0`], [201, `ref-${result.transactionId}-700-0`]]);
    expect(f.pp.captures.get(result.transactionId!)!.refundedCents).toBe(700);
    expect(Number((await f.kernel.db('paypal_payments').where({ transaction_id: result.transactionId }).first()).refunded)).toBe(7);
  });

  it('a refund of more than is left is refused before PayPal is called', async () => {
    const { invoiceId, brand, result } = await f.paid();
    await expect(f.service.refund(brand, invoiceId, 20)).rejects.toMatchObject({ code: 'SUITE_PAYPAL_NOT_REFUNDABLE' });
    expect(f.pp.calls('POST', `/v2/payments/captures/${result.transactionId}/refund`)).toEqual([]);
  });
});

describe('PayPal and the log', () => {
  it('the bearer token and the client secret never reach the log; a failure is logged with status, name and debug_id only', async () => {
    const inv = await f.invoice();
    f.pp.failNext(1, 500);
    await expect(f.service.checkout(inv.invoiceId, { returnUrl: 'https://a.example', cancelUrl: 'https://a.example' })).rejects.toThrow();
    const log = f.logs.join('');
    expect(f.pp.issuedTokens.length).toBeGreaterThan(0);
    for (const token of f.pp.issuedTokens) expect(log).not.toContain(token);
    expect(log).not.toContain(f.pp.clientSecret);
    expect(log).not.toMatch(/Bearer|Authorization/i);
    const failure = f.logs.map((l) => JSON.parse(l) as Json).find((l) => l.msg === 'PayPal call failed' && l.op === 'orders.create');
    expect(failure).toMatchObject({ gateway: 'paypal', status: 500, code: 'INTERNAL_SERVER_ERROR', debugId: expect.any(String) });
    expect(Object.keys(failure!).sort()).toEqual(['app', 'code', 'debugId', 'gateway', 'issue', 'level', 'msg', 'op', 'status', 'time'].sort());
  });
});

describe('PayPal through the admin API', () => {
  it('GET settings names the credential variables (never their values); POST refunds refunds through PayPal and GET transactions shows it', async () => {
    const key = (await f.t.suite.apiKeys.create({ role: 'owner', label: 'test' }, { type: 'cli', id: 'test' })).key;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${f.t.baseUrl}/api/v1/admin/brands/pp-shop/modules/gateways/paypal${path}`, {
        method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, text: await res.text() };
    };
    const settings = await call('GET', '/settings');
    expect(settings.status).toBe(200);
    expect(JSON.parse(settings.text)).toMatchObject({ gateway: 'paypal', enabled: true, mode: 'test', recipient: 'paypal', keys: [
      { setting: 'clientIdVar', variable: 'SUITE_PAYPAL_CLIENT_ID', set: true }, { setting: 'clientSecretVar', variable: 'SUITE_PAYPAL_CLIENT_SECRET', set: true },
    ] });
    expect(settings.text).not.toContain(f.pp.clientSecret);
    expect(settings.text).not.toContain(f.pp.clientId);

    const { invoiceId, result } = await f.paid();
    const refund = await call('POST', '/refunds', { invoiceId, amount: 2.5 });
    expect(JSON.parse(refund.text)).toEqual({ ok: true, refund: { invoiceId, amount: 2.5, status: 'success', transactionId: expect.stringMatching(/^RF/), fees: null } });
    expect(f.pp.captures.get(result.transactionId!)!.refundedCents).toBe(250);
    const list = JSON.parse((await call('GET', '/transactions?status=partially-refunded')).text) as { transactions: Json[] };
    expect(list.transactions.find((x) => x.invoiceId === invoiceId)).toMatchObject({ refunded: 2.5, transactionId: result.transactionId });
  });
});

describe('PayPal settings', () => {
  it('a missing credential variable is refused naming the setting and the variable, and nothing is sent', async () => {
    const inv = await f.invoice();
    const before = f.pp.requests.length;
    const secret = process.env.SUITE_PAYPAL_CLIENT_SECRET;
    delete process.env.SUITE_PAYPAL_CLIENT_SECRET;
    try {
      const err = await f.service.checkout(inv.invoiceId, { returnUrl: 'https://a.example', cancelUrl: 'https://a.example' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'SUITE_PAYPAL_NOT_CONFIGURED', params: { field: 'modules.gateways/paypal.clientSecretVar', variable: 'SUITE_PAYPAL_CLIENT_SECRET' } });
    } finally {
      process.env.SUITE_PAYPAL_CLIENT_SECRET = secret;
    }
    expect(f.pp.requests.length).toBe(before);
  });

  it('a brand with PayPal switched off in its settings takes no checkout', async () => {
    await createBrand(f.t.suite, 'pp-off', { profile: { ...PROVIDER_PROFILE, modules: { 'gateways/paypal': { enabled: false } } } });
    const inv = await f.invoice('pp-off');
    await expect(f.service.checkout(inv.invoiceId, { returnUrl: 'https://a.example', cancelUrl: 'https://a.example' })).rejects.toMatchObject({ code: 'SUITE_PAYPAL_NOT_CONFIGURED', params: { field: 'modules.gateways/paypal.enabled' } });
  });
});
