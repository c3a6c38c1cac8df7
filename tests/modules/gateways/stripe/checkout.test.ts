/**
 * Stripe Checkout, capture, webhooks and refunds with the real SDK against the stand-in (issue 16): card data stays on
 * Stripe's page and only opaque ids and the amount are sent (TOS-1.2, SP-8), the card's token is kept sealed, webhooks
 * are refused without a fresh valid signature and applied once, every write carries an Idempotency-Key so a retry never
 * charges or refunds twice, and each transfer is in the disclosure log (MS-5.1).
 */
import { PaymentTokens } from '../../../../modules/gateways/kit/tokens';
import { StripeFixture, type Json } from './fixtures';

const f = new StripeFixture();
const SLUG = 'st-shop';
beforeAll(async () => {
  await f.start();
  await f.brand(SLUG);
}, 30_000);
afterAll(() => f.stop());

/** Every key path of a JSON value (arrays as []). */
function keyPaths(v: unknown, at = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x) => keyPaths(x, `${at}[]`));
  if (v === null || typeof v !== 'object') return [at];
  return Object.entries(v as Json).flatMap(([k, x]) => keyPaths(x, at ? `${at}.${k}` : k));
}

const paidInvoice = (invoiceId: number) => f.seen.filter((h) => h.hook === 'InvoicePaid' && h.vars.invoiceid === invoiceId);

/** A checkout the client paid on Stripe's page, then came back from (capture). */
async function paid(amount = 42.5) {
  const inv = await f.invoice(SLUG, amount);
  const link = await f.checkout(SLUG, inv.invoiceId);
  f.stripe.completeSession(link.reference, { email: inv.email, name: 'Ada Lovelace', card: { brand: 'mastercard', last4: '4444', exp_month: 3, exp_year: 2031 } });
  const brand = await f.kernel.brands.get(SLUG);
  const result = await f.gateway.capture(brand, link.reference);
  return { ...inv, brand, link, result };
}

describe('Stripe checkout', () => {
  it('TOS-1.2 / SP-8: a paid checkout fires InvoicePaid once, pays the invoice and keeps only the card token, sealed', async () => {
    const before = f.stripe.requests.length;
    const { invoiceId, subjectId, brand, link, result, email } = await paid();
    expect(link.url).toBe(`http://127.0.0.1:${f.stripe.port}/c/pay/${link.reference}`);
    expect(result).toEqual({ status: 'paid', reference: link.reference, transactionId: expect.stringMatching(/^pi_/) });
    expect((await f.platform.invoice(invoiceId)).status).toBe('paid');
    expect(paidInvoice(invoiceId)).toHaveLength(1);

    // Only what Stripe needs: the amount, opaque ids, the way back; no e-mail, no name, no card field, no customer.
    const create = f.stripe.requests.slice(before).find((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions')!;
    expect(keyPaths(create.body).sort()).toEqual([
      'cancel_url', 'client_reference_id', 'customer_creation',
      'line_items[].price_data.currency', 'line_items[].price_data.product_data.name', 'line_items[].price_data.unit_amount', 'line_items[].quantity',
      'metadata.brand', 'metadata.invoice_id', 'mode', 'payment_intent_data.metadata.brand', 'payment_intent_data.metadata.invoice_id', 'success_url',
    ]);
    expect(create.body).toMatchObject({
      mode: 'payment', client_reference_id: String(invoiceId), customer_creation: 'if_required', metadata: { invoice_id: String(invoiceId), brand: SLUG },
      line_items: [{ quantity: '1', price_data: { currency: 'eur', unit_amount: '4250', product_data: { name: `Invoice ${invoiceId}` } } }],
    });
    expect(create.idempotencyKey).toBe(`suite-checkout-${brand.id}-${invoiceId}-4250`);
    const everything = JSON.stringify(f.stripe.requests.slice(before).map((r) => r.body));
    expect(everything).not.toContain(email);
    expect(everything).not.toMatch(/Lovelace|Analytical|NW1|customer_email|"card"|number|cvc|exp_|billing_details|"name":"Ada/);

    // TOS-1.2: card brand, last four, expiry and the payment method id, sealed; the column is not readable JSON.
    const [token] = await new PaymentTokens('stripe', f.kernel.keyring).ofSubjects(f.kernel.db, [subjectId]);
    expect(token.token).toEqual({ paymentMethodId: expect.stringMatching(/^pm_/), cardBrand: 'mastercard', last4: '4444', expMonth: 3, expYear: 2031 });
    const raw = await f.kernel.db('stripe_tokens').where({ id: token.id }).first();
    expect(() => JSON.parse(raw.token_enc)).toThrow();
    expect(raw.token_enc).not.toMatch(/4444|mastercard|pm_/);
    expect(await f.kernel.db('stripe_payments').where({ reference: link.reference }).first()).toMatchObject({ invoice_id: invoiceId, subject_id: subjectId, status: 'paid', currency: 'eur', mode: 'test' });

    // The completed webhook arriving after the return page changes nothing: still one InvoicePaid.
    const session = f.stripe.sessions.get(link.reference)!;
    const w = f.stripe.event('checkout.session.completed', { ...session });
    expect(await f.webhook(SLUG, w)).toEqual({ status: 200, body: { received: true, status: 'applied' } });
    expect(paidInvoice(invoiceId)).toHaveLength(1);
    expect(await f.kernel.db('stripe_tokens').where({ subject_id: subjectId }).count({ n: '*' }).first()).toEqual({ n: 1 });
  });

  it('MS-5.1: the checkout is in the disclosure log once (recipient stripe, purpose billing, the field names sent)', async () => {
    const { invoiceId, subjectId, brand, link } = await paid();
    const rows = await f.kernel.db('disclosure_log').where({ brand_id: brand.id, recipient: 'stripe', reference: link.reference });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ subject_id: subjectId, purpose: 'billing', actor: 'gateways/stripe' });
    expect(JSON.parse(rows[0].categories)).toEqual(['billing']);
    expect(JSON.parse(rows[0].fields)).toEqual(['amount', 'client_reference_id', 'currency', 'metadata.brand', 'metadata.invoice_id']);
    // Paid now: another checkout of the invoice is refused before anything is sent.
    const sent = f.stripe.requests.length;
    await expect(f.checkout(SLUG, invoiceId)).rejects.toMatchObject({ code: 'SUITE_STRIPE_INVOICE_NOT_PAYABLE' });
    expect(f.stripe.requests.length).toBe(sent);
  });

  it('TOS-1.2: a declined card leaves the invoice unpaid and keeps only the decline code', async () => {
    const inv = await f.invoice(SLUG);
    const link = await f.checkout(SLUG, inv.invoiceId);
    const { paymentIntent } = f.stripe.completeSession(link.reference, { email: inv.email, name: 'Ada Lovelace', declined: 'insufficient_funds' });
    const w = f.stripe.event('payment_intent.payment_failed', paymentIntent);
    expect(await f.webhook(SLUG, w)).toEqual({ status: 200, body: { received: true, status: 'applied' } });
    expect((await f.platform.invoice(inv.invoiceId)).status).toBe('unpaid');
    expect(paidInvoice(inv.invoiceId)).toHaveLength(0);
    expect(await f.kernel.db('stripe_payments').where({ reference: link.reference }).first()).toMatchObject({ status: 'declined', failure_code: 'insufficient_funds', transaction_id: paymentIntent.id });
    expect(await f.kernel.db('stripe_tokens').where({ subject_id: inv.subjectId })).toEqual([]);
    // The customer comes back: the return page says declined.
    const res = await fetch(`${f.t.baseUrl}/b/${SLUG}/gateways/stripe/return?session_id=${link.reference}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data-state="declined"');
  });

  it('TOS-1.2: a 500 on session create, then a 200: the retry carries the same Idempotency-Key and Stripe makes one session', async () => {
    const inv = await f.invoice(SLUG, 10);
    const before = f.stripe.sessions.size;
    f.stripe.failNext(1, 500);
    await expect(f.checkout(SLUG, inv.invoiceId)).rejects.toMatchObject({ code: 'SUITE_STRIPE_PROCESSOR_FAILED' });
    const link = await f.checkout(SLUG, inv.invoiceId);
    const creates = f.stripe.requestsTo('POST', '/v1/checkout/sessions').slice(-2);
    expect(creates.map((r) => r.status)).toEqual([500, 200]);
    expect(creates[0].idempotencyKey).toBe(creates[1].idempotencyKey);
    expect(f.stripe.sessions.size).toBe(before + 1);
    // A second click: the same key again, Stripe replays the same session.
    expect((await f.checkout(SLUG, inv.invoiceId)).reference).toBe(link.reference);
    expect(f.stripe.requestsTo('POST', '/v1/checkout/sessions').at(-1)!.replayed).toBe(true);
    expect(f.stripe.sessions.size).toBe(before + 1);
    expect(await f.kernel.db('stripe_payments').where({ invoice_id: inv.invoiceId })).toHaveLength(1);
  });

  it('TOS-1.2: the same invoice opened with other parameters within the key\'s 24 h (a new public URL) gets a session of its own, not an error', async () => {
    const inv = await f.invoice(SLUG, 11);
    const first = await f.checkout(SLUG, inv.invoiceId);
    const second = await f.gateway.checkout(inv.invoiceId, { returnUrl: 'https://pay.shop.example/return?session_id={CHECKOUT_SESSION_ID}', cancelUrl: 'https://pay.shop.example/cancel' });
    expect(second.reference).not.toBe(first.reference);
    const creates = f.stripe.requestsTo('POST', '/v1/checkout/sessions').slice(-2);
    expect(creates.map((r) => r.status)).toEqual([400, 200]);
    expect(creates[1].idempotencyKey).toMatch(new RegExp(`^${creates[0].idempotencyKey}-[0-9a-f]{16}$`));
  });

  it('TOS-1.2: the signed pay link redirects to Checkout (303); a link for another invoice is refused', async () => {
    const { payLink } = await import('../../../../modules/gateways/kit/client-pages');
    const inv = await f.invoice(SLUG, 12);
    const other = await f.invoice(SLUG, 13);
    const brand = await f.kernel.brands.get(SLUG);
    const url = payLink(f.kernel, brand, 'stripe', inv.invoiceId, inv.subjectId).replace(/^http:\/\/[^/]+/, f.t.baseUrl);
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${f.stripe.port}/c/pay/cs_test_`));
    const create = f.stripe.requestsTo('POST', '/v1/checkout/sessions').at(-1)!;
    expect(create.body.success_url).toMatch(new RegExp(`^http://[^/]+/b/${SLUG}/gateways/stripe/return\\?session_id=\\{CHECKOUT_SESSION_ID\\}$`));
    const wrong = payLink(f.kernel, brand, 'stripe', inv.invoiceId, inv.subjectId).replace(/^http:\/\/[^/]+/, f.t.baseUrl).replace(`/pay/${inv.invoiceId}`, `/pay/${other.invoiceId}`);
    expect((await fetch(wrong, { redirect: 'manual' })).status).toBe(401);
    const cancel = await fetch(`${f.t.baseUrl}/b/${SLUG}/gateways/stripe/cancel?invoice=${inv.invoiceId}`);
    expect(await cancel.text()).toContain('data-state="cancelled"');
  });

  it('SP-8: a key of the other mode is refused, naming the setting and the variable, never the key', async () => {
    const brand = await f.brand('st-live', { mode: 'live' });
    const inv = await f.invoice('st-live');
    const err = await f.gateway.checkout(inv.invoiceId, { returnUrl: 'http://x/r', cancelUrl: 'http://x/c' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SUITE_STRIPE_NOT_CONFIGURED', params: { field: 'modules.gateways/stripe.secretKeyVar', variable: 'SUITE_STRIPE_SECRET_KEY' } });
    expect(JSON.stringify(err)).not.toContain(f.stripe.secretKey);
    expect((err as Error).message).not.toContain(f.stripe.secretKey);
    expect(brand.slug).toBe('st-live');
    process.env.SUITE_STRIPE_LIVE_KEY = 'sk_live_not_for_tests';
    await f.brand('st-mixed', { mode: 'test', secretKeyVar: 'SUITE_STRIPE_LIVE_KEY' });
    const mixed = await f.invoice('st-mixed');
    await expect(f.gateway.checkout(mixed.invoiceId, { returnUrl: 'http://x/r', cancelUrl: 'http://x/c' })).rejects.toMatchObject({ params: { field: 'modules.gateways/stripe.secretKeyVar', variable: 'SUITE_STRIPE_LIVE_KEY' } });
    delete process.env.SUITE_STRIPE_LIVE_KEY;
  });
});

describe('Stripe webhooks', () => {
  it('TOS-1.2: a webhook with a bad signature is refused (400) and nothing is recorded', async () => {
    const inv = await f.invoice(SLUG);
    const link = await f.checkout(SLUG, inv.invoiceId);
    const { session } = f.stripe.completeSession(link.reference, { email: inv.email, name: 'Ada Lovelace' });
    const counts = async () => Promise.all(['stripe_events', 'stripe_payments', 'stripe_tokens'].map(async (t) => JSON.stringify(await f.kernel.db(t).orderBy('id'))));
    const before = await counts();
    const wrongSecret = f.stripe.event('checkout.session.completed', session, { secret: 'whsec_someone_else' });
    expect(await f.webhook(SLUG, wrongSecret)).toMatchObject({ status: 400, body: { ok: false, code: 'SUITE_STRIPE_WEBHOOK_REFUSED' } });
    const tampered = f.stripe.event('checkout.session.completed', session);
    expect((await f.webhook(SLUG, { body: tampered.body.replace('"paid"', '"unpaid"'), header: tampered.header })).status).toBe(400);
    expect((await f.webhook(SLUG, { body: tampered.body, header: null })).status).toBe(400);
    expect(await counts()).toEqual(before);
    expect((await f.platform.invoice(inv.invoiceId)).status).toBe('unpaid');
  });

  it('TOS-1.2: a webhook signed 301 s ago is refused as stale; the same one signed now is applied', async () => {
    const inv = await f.invoice(SLUG);
    const link = await f.checkout(SLUG, inv.invoiceId);
    const { session } = f.stripe.completeSession(link.reference, { email: inv.email, name: 'Ada Lovelace' });
    const stale = f.stripe.event('checkout.session.completed', session, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect((await f.webhook(SLUG, stale)).status).toBe(400);
    expect(await f.kernel.db('stripe_events').where({ event_id: stale.id })).toEqual([]);
    expect((await f.platform.invoice(inv.invoiceId)).status).toBe('unpaid');
    const fresh = f.stripe.event('checkout.session.completed', session, { id: stale.id });
    expect((await f.webhook(SLUG, fresh)).body.status).toBe('applied');
    expect((await f.platform.invoice(inv.invoiceId)).status).toBe('paid');
  });

  it('TOS-1.2: the same webhook twice is applied once (one InvoicePaid, one event row)', async () => {
    const inv = await f.invoice(SLUG);
    const link = await f.checkout(SLUG, inv.invoiceId);
    const { session } = f.stripe.completeSession(link.reference, { email: inv.email, name: 'Ada Lovelace' });
    const w = f.stripe.event('checkout.session.completed', session);
    const [a, b] = [await f.webhook(SLUG, w), await f.webhook(SLUG, w)];
    expect([a.body.status, b.body.status]).toEqual(['applied', 'duplicate']);
    expect(paidInvoice(inv.invoiceId)).toHaveLength(1);
    expect(await f.kernel.db('stripe_events').where({ event_id: w.id })).toMatchObject([{ outcome: 'applied', attempts: 1 }]);
    // An event type the gateway does not act on is recorded as ignored.
    const other = f.stripe.event('customer.created', { id: 'cus_x', object: 'customer' });
    expect((await f.webhook(SLUG, other)).body.status).toBe('ignored');
  });
});

describe('Stripe delayed payment methods', () => {
  it('TOS-1.2: a session completed unpaid is pending until async_payment_succeeded pays it; async_payment_failed declines another', async () => {
    const inv = await f.invoice(SLUG);
    const link = await f.checkout(SLUG, inv.invoiceId);
    const { session } = f.stripe.completeSession(link.reference, { email: inv.email, name: 'Ada Lovelace' });
    // A bank debit: the session completes before the money arrives.
    const pending = { ...session, payment_status: 'unpaid' };
    expect((await f.webhook(SLUG, f.stripe.event('checkout.session.completed', pending))).body.status).toBe('ignored');
    expect((await f.platform.invoice(inv.invoiceId)).status).toBe('unpaid');
    expect((await f.webhook(SLUG, f.stripe.event('checkout.session.async_payment_succeeded', session))).body.status).toBe('applied');
    expect((await f.platform.invoice(inv.invoiceId)).status).toBe('paid');
    const page = await fetch(`${f.t.baseUrl}/b/${SLUG}/gateways/stripe/return?session_id=${link.reference}&lang=de`);
    expect(await page.text()).toMatch(/data-state="paid">Vielen Dank/);

    const other = await f.invoice(SLUG);
    const failed = await f.checkout(SLUG, other.invoiceId);
    const s2 = { ...f.stripe.sessions.get(failed.reference)!, status: 'complete', payment_status: 'unpaid', payment_intent: 'pi_async1' };
    expect((await f.webhook(SLUG, f.stripe.event('checkout.session.async_payment_failed', s2))).body.status).toBe('applied');
    expect(await f.kernel.db('stripe_payments').where({ reference: failed.reference }).first()).toMatchObject({ status: 'declined', failure_code: 'async_payment_failed' });
    expect((await f.platform.invoice(other.invoiceId)).status).toBe('unpaid');
  });
});

describe('Stripe refunds', () => {
  it('TOS-1.2: a partial then a full refund; a retry after a lost answer (500) sends the same key and refunds once', async () => {
    const { invoiceId, brand, result, subjectId } = await paid(40);
    const first = await f.gateway.refund(brand, invoiceId, 15);
    expect(first).toMatchObject({ status: 'success', transid: expect.stringMatching(/^re_/), rawdata: { amount: 1500, payment_intent: result.transactionId } });
    expect(await f.kernel.db('stripe_payments').where({ reference: result.reference }).first()).toMatchObject({ status: 'partially-refunded' });
    expect(Number((await f.kernel.db('stripe_payments').where({ reference: result.reference }).first()).refunded)).toBe(15);

    // Stripe refunds the rest but the answer is lost: the retry carries the same key and gets the same refund.
    f.stripe.failNext(1, 500, { after: true });
    await expect(f.gateway.refund(brand, invoiceId)).rejects.toMatchObject({ code: 'SUITE_STRIPE_PROCESSOR_FAILED' });
    const second = await f.gateway.refund(brand, invoiceId);
    const posts = f.stripe.requestsTo('POST', '/v1/refunds').slice(-3);
    expect(posts.map((r) => [r.status, r.replayed])).toEqual([[200, false], [500, false], [200, true]]);
    expect(posts[1].idempotencyKey).toBe(posts[2].idempotencyKey);
    expect(posts[1].idempotencyKey).toBe(`suite-refund-${brand.id}-${invoiceId}-2500-1500`);
    expect(posts.map((r) => r.body)).toEqual([
      { payment_intent: result.transactionId, amount: '1500', metadata: { invoice_id: String(invoiceId), brand: SLUG } },
      { payment_intent: result.transactionId, amount: '2500', metadata: { invoice_id: String(invoiceId), brand: SLUG } },
      { payment_intent: result.transactionId, amount: '2500', metadata: { invoice_id: String(invoiceId), brand: SLUG } },
    ]);
    expect([...f.stripe.refunds.values()].filter((r) => r.payment_intent === result.transactionId).map((r) => r.amount)).toEqual([1500, 2500]);
    expect(second.transid).not.toBe(first.transid);
    const row = await f.kernel.db('stripe_payments').where({ reference: result.reference }).first();
    expect([row.status, Number(row.refunded)]).toEqual(['refunded', 40]);
    await expect(f.gateway.refund(brand, invoiceId, 1)).rejects.toMatchObject({ code: 'SUITE_STRIPE_NOT_REFUNDABLE' });

    // The charge.refunded webhook reports the same total: nothing changes, nothing is counted twice.
    const w = f.stripe.event('charge.refunded', f.stripe.chargeOf(result.transactionId!));
    expect((await f.webhook(SLUG, w)).body.status).toBe('applied');
    expect(Number((await f.kernel.db('stripe_payments').where({ reference: result.reference }).first()).refunded)).toBe(40);

    // MS-5.1: each refund is in the disclosure log once.
    const logged = await f.kernel.db('disclosure_log').where({ brand_id: brand.id, recipient: 'stripe' }).whereIn('reference', [first.transid, second.transid]);
    expect(logged.map((r: Json) => [r.subject_id, r.purpose, JSON.parse(r.fields)])).toEqual([
      [subjectId, 'billing', ['amount', 'metadata.brand', 'metadata.invoice_id', 'payment_intent']],
      [subjectId, 'billing', ['amount', 'metadata.brand', 'metadata.invoice_id', 'payment_intent']],
    ]);
  });

  it('SP-8: the admin API names the key variables (set or not), never a key; a refund through it goes to Stripe', async () => {
    const { invoiceId, result } = await paid(8);
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${f.t.baseUrl}/api/v1/admin/brands/${SLUG}/modules/gateways/stripe${path}`, {
        method, headers: { authorization: `Bearer ${f.key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, text: await res.text() };
    };
    const settings = await call('GET', '/settings');
    expect(settings.status).toBe(200);
    expect(JSON.parse(settings.text)).toMatchObject({
      gateway: 'stripe', mode: 'test', recipient: 'stripe', webhookUrl: expect.stringMatching(new RegExp(`/b/${SLUG}/gateways/stripe/webhook$`)),
      keys: [{ setting: 'secretKeyVar', variable: 'SUITE_STRIPE_SECRET_KEY', set: true }, { setting: 'webhookSecretVar', variable: 'SUITE_STRIPE_WEBHOOK_SECRET', set: true }],
      other: { saveCards: false },
    });
    expect(settings.text).not.toContain(f.stripe.secretKey);
    expect(settings.text).not.toContain(f.stripe.webhookSecret);
    const refund = await call('POST', '/refunds', { invoiceId, amount: 3 });
    expect(JSON.parse(refund.text)).toMatchObject({ ok: true, refund: { status: 'success', transactionId: expect.stringMatching(/^re_/) } });
    expect(f.stripe.requestsTo('POST', '/v1/refunds').at(-1)!.body).toMatchObject({ payment_intent: result.transactionId, amount: '300' });
  });

  it('TOS-1.2: a refund reported only by webhook (made in Stripe\'s dashboard) records the refunded amount', async () => {
    const { result } = await paid(20);
    const charge = f.stripe.chargeOf(result.transactionId!);
    const w = f.stripe.event('charge.refunded', { ...charge, amount_refunded: 500, refunded: false });
    expect((await f.webhook(SLUG, w)).body.status).toBe('applied');
    const row = await f.kernel.db('stripe_payments').where({ reference: result.reference }).first();
    expect([row.status, Number(row.refunded)]).toEqual(['partially-refunded', 5]);
  });
});
