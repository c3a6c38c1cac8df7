/**
 * Rights over what Stripe holds (issue 16): an erasure deletes the person's Stripe customers through the outbox, retried
 * while Stripe is down and done exactly once (MS-8f), and says what Stripe keeps; a correction reaches the customer
 * (MS-8e); a WHMCS client's customers created by WHMCS's own Stripe gateway are found through GetPayMethods and removed
 * there too; a third-party payer is their own subject, exported and erased apart from the client (ESM-2).
 */
import type { Brand } from '../../../../core/brands/brand';
import { PaymentTokens } from '../../../../modules/gateways/kit/tokens';
import { WhmcsApiStandin } from '../../../helpers/whmcs-api-standin';
import { postHook } from '../../../helpers/test-suite';
import { StripeFixture, type Json } from './fixtures';

const f = new StripeFixture();
const whmcs = new WhmcsApiStandin();
const SHOP = 'sr-shop';
const WHMCS_SHOP = 'sr-whmcs';
const WHMCS_RECIPIENT = { code: 'whmcs', name: 'WHMCS billing panel', kind: 'hosting', purposes: ['legal'], categories: ['contact', 'billing', 'usage', 'correspondence'] };

beforeAll(async () => {
  await whmcs.start();
  process.env.SUITE_WHMCS_API_SECRET = whmcs.secret;
  await f.start();
  await f.brand(SHOP, { saveCards: true });
  await f.brand(WHMCS_SHOP, {}, {
    recipients: [{ code: 'email', name: 'Mail relay', kind: 'email', purposes: ['service', 'marketing', 'legal'], categories: ['contact'] }, WHMCS_RECIPIENT, { code: 'stripe', name: 'Stripe', kind: 'payment', purposes: ['billing', 'legal'], categories: ['contact', 'billing', 'payment-token'] }],
    modules: { whmcs: { enabled: true, apiUrl: whmcs.url, identifier: whmcs.identifier, timeoutSeconds: 5 } },
  });
}, 30_000);
afterAll(async () => {
  delete process.env.SUITE_WHMCS_API_SECRET;
  await f.stop();
  await whmcs.stop();
});

const tokens = (subjectId: number) => new PaymentTokens('stripe', f.kernel.keyring).ofSubjects(f.kernel.db, [subjectId]);
const stripeKept = (request: Json): string[] => request.result.kept.filter((k: Json) => k.module === 'gateways/stripe').map((k: Json) => k.what);

/** A checkout paid on Stripe's page (by the client, or by `payer`), then the return page (capture). */
async function paid(slug = SHOP, payer?: { email: string; name: string | null }) {
  const inv = await f.invoice(slug, 30);
  const link = await f.checkout(slug, inv.invoiceId);
  f.stripe.completeSession(link.reference, { email: payer?.email ?? inv.email, name: payer ? payer.name : 'Ada Lovelace' });
  const brand: Brand = await f.kernel.brands.get(slug);
  await f.gateway.capture(brand, link.reference);
  return { ...inv, brand, link, session: f.stripe.sessions.get(link.reference)! };
}

describe('erasure at Stripe', () => {
  it('MS-8f: the customer is deleted through the outbox; while Stripe is down the notice is retried, then exactly one DELETE succeeds', async () => {
    const { subjectId, session, brand, link } = await paid();
    const customer = String(session.customer);
    expect(customer).toMatch(/^cus_/);
    expect((await tokens(subjectId)).map((t) => t.token.customerId)).toEqual([customer]);

    f.stripe.down = true;
    const request = await f.fulfil(SHOP, { type: 'erase', subjectId });
    expect(request.status).toBe('fulfilled');
    expect(stripeKept(request)).toEqual([expect.stringMatching(/^at Stripe, the charges, Checkout Sessions and refunds/), expect.stringMatching(/payment records .* kept as billing records/)]);
    const [msg] = await f.rows('outbox', { topic: 'stripe.customer.delete', subject_id: subjectId });
    expect(msg).toMatchObject({ recipient: 'stripe', purpose: 'legal', state: 'pending' });
    expect(request.result.processors).toContainEqual({ outboxId: msg.id, recipient: 'stripe', topic: 'stripe.customer.delete' });
    // Local: the token is gone, the payment row (ids and amounts) stays as a billing record.
    expect(await tokens(subjectId)).toEqual([]);
    expect(await f.rows('stripe_payments', { reference: link.reference })).toHaveLength(1);

    for (let i = 0; i < 2; i++) {
      await f.t.suite.worker.drain();
      await new Promise((r) => setTimeout(r, 25));
    }
    expect((await f.rows('outbox', { id: msg.id }))[0]).toMatchObject({ state: 'pending', last_error: expect.stringContaining('Stripe customers.del failed') });
    f.stripe.down = false;
    await f.drain(SHOP);
    const deletes = f.stripe.requestsTo('DELETE', `/v1/customers/${customer}`);
    expect(deletes.length).toBeGreaterThanOrEqual(2);
    expect(deletes.filter((r) => r.status === 200)).toHaveLength(1);
    expect(f.stripe.customers.get(customer)!.deleted).toBe(true);
    expect((await f.rows('outbox', { id: msg.id }))[0].state).toBe('delivered');

    // MS-5.1: the erasure notice is a disclosure of the customer id only, for a legal duty.
    const [logged] = await f.kernel.db('disclosure_log').where({ brand_id: brand.id, recipient: 'stripe', purpose: 'legal', subject_id: subjectId });
    expect([JSON.parse(logged.categories), JSON.parse(logged.fields)]).toEqual([['payment-token'], ['customerId']]);
  });

  it('MS-8f: a customer Stripe no longer has (404 resource_missing) counts as deleted', async () => {
    const { subjectId, session } = await paid();
    f.stripe.customers.get(String(session.customer))!.deleted = true;
    await f.fulfil(SHOP, { type: 'erase', subjectId });
    await f.drain(SHOP);
    const [msg] = await f.rows('outbox', { topic: 'stripe.customer.delete', subject_id: subjectId });
    expect(msg).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(f.stripe.requestsTo('DELETE', `/v1/customers/${String(session.customer)}`).map((r) => r.status)).toEqual([404]);
  });

  it('MS-8e: a corrected e-mail and name reach the Stripe customer (customers.update)', async () => {
    const { subjectId, session } = await paid();
    const customer = String(session.customer);
    const request = await f.fulfil(SHOP, { type: 'rectify', subjectId, changes: { email: 'ada.king@example.org', lastname: 'King' } });
    expect(request.status).toBe('fulfilled');
    await f.drain(SHOP);
    const [update] = f.stripe.requestsTo('POST', `/v1/customers/${customer}`);
    expect(update).toMatchObject({ status: 200, body: { email: 'ada.king@example.org', name: 'Ada King' }, idempotencyKey: expect.any(String) });
    expect(f.stripe.customers.get(customer)).toMatchObject({ email: 'ada.king@example.org', name: 'Ada King' });
  });

  it('TOS-1.2: with saveCards, a second checkout reuses the subject\'s customer and creates none', async () => {
    const first = await paid();
    const o = await f.platform.order(first.clientId, [{ type: 'hosting', product: 'Another', amount: 5 }]);
    await f.checkout(SHOP, o.invoiceId);
    const create = f.stripe.requestsTo('POST', '/v1/checkout/sessions').at(-1)!;
    expect(create.body).toMatchObject({ customer: String(first.session.customer), payment_intent_data: { setup_future_usage: 'off_session' } });
    expect(create.body).not.toHaveProperty('customer_creation');
  });
});

describe('the WHMCS path', () => {
  it("MS-8f: a WHMCS client's Stripe customers (from GetPayMethods, JSON and bare tokens) are deleted, then those pay methods in WHMCS", async () => {
    const c = whmcs.addClient();
    const add = await postHook(f.t.baseUrl, 'ClientAdd', f.secrets[WHMCS_SHOP], { brand: WHMCS_SHOP, vars: { client_id: c.id, userid: c.id, firstname: c.firstname, lastname: c.lastname, email: c.email } });
    expect(add.status).toBe(200);
    const brand = await f.kernel.brands.get(WHMCS_SHOP);
    const subject = (await f.kernel.subjects.findByExternal(brand.id, 'client', c.id))!;
    const json = whmcs.addPayMethod(c.id);
    const bare = whmcs.addPayMethod(c.id, { remote_token: 'cus_olderinstall1' });
    const paypal = whmcs.addPayMethod(c.id, { gateway_name: 'paypal', type: 'RemoteBankAccount', remote_token: 'B-123' });
    const other = whmcs.addClient();
    const notTheirs = whmcs.addPayMethod(other.id);
    for (const id of [`cus_whmcs${c.id}`, 'cus_olderinstall1', `cus_whmcs${other.id}`]) f.stripe.addCustomer(id);

    const request = await f.fulfil(WHMCS_SHOP, { type: 'erase', subjectId: subject.id });
    expect(request.status).toBe('fulfilled');
    expect(stripeKept(request)).toHaveLength(2);
    const [msg] = await f.rows('outbox', { topic: 'stripe.customer.delete', subject_id: subject.id });
    await f.drain(WHMCS_SHOP);
    expect((await f.rows('outbox', { id: msg.id }))[0].state).toBe('delivered');

    expect(whmcs.callsOf('GetPayMethods').map((x) => x.params)).toEqual([{ clientid: String(c.id) }]);
    expect(f.stripe.customers.get(`cus_whmcs${c.id}`)!.deleted).toBe(true);
    expect(f.stripe.customers.get('cus_olderinstall1')!.deleted).toBe(true);
    expect(f.stripe.customers.get(`cus_whmcs${other.id}`)!.deleted).toBeUndefined();
    expect(whmcs.callsOf('DeletePayMethod').map((x) => x.params)).toEqual([{ clientid: String(c.id), paymethodid: String(json.id) }, { clientid: String(c.id), paymethodid: String(bare.id) }]);
    expect(whmcs.payMethods.map((m) => m.id).sort()).toEqual([paypal.id, notTheirs.id].sort());
    // Stripe first, then WHMCS: a pay method is removed only after its customer is gone.
    const order = f.stripe.requestsTo('DELETE', '/v1/customers/').map((r) => r.path);
    expect(order).toEqual(expect.arrayContaining([`/v1/customers/cus_whmcs${c.id}`, '/v1/customers/cus_olderinstall1']));
    // The payload named only the WHMCS client id.
    const [logged] = await f.kernel.db('disclosure_log').where({ brand_id: brand.id, recipient: 'stripe', subject_id: subject.id });
    expect(JSON.parse(logged.fields)).toEqual(['whmcsClientId']);
  });
});

describe('the WHMCS path, without Stripe', () => {
  it('MS-8f: a brand that writes back to WHMCS but does not use Stripe queues nothing for Stripe and says nothing of it', async () => {
    await f.brand('sr-nostripe', { enabled: false, secretKeyVar: 'SUITE_STRIPE_NOT_SET_ANYWHERE' }, {
      recipients: [WHMCS_RECIPIENT, { code: 'stripe', name: 'Stripe', kind: 'payment', purposes: ['billing', 'legal'], categories: ['payment-token'] }],
      modules: { whmcs: { enabled: true, apiUrl: whmcs.url, identifier: whmcs.identifier, timeoutSeconds: 5 } },
    });
    const c = whmcs.addClient();
    await postHook(f.t.baseUrl, 'ClientAdd', f.secrets['sr-nostripe'], { brand: 'sr-nostripe', vars: { client_id: c.id, userid: c.id, firstname: c.firstname, lastname: c.lastname, email: c.email } });
    const subject = (await f.kernel.subjects.findByExternal((await f.kernel.brands.get('sr-nostripe')).id, 'client', c.id))!;
    const request = await f.fulfil('sr-nostripe', { type: 'erase', subjectId: subject.id });
    expect(request.status).toBe('fulfilled');
    expect(stripeKept(request)).toEqual([]);
    expect(await f.rows('outbox', { topic: 'stripe.customer.delete', subject_id: subject.id })).toEqual([]);
  });
});

describe('a third-party payer (ESM-2)', () => {
  const payerOf = async (invoiceId: number) => {
    const invoice = await f.kernel.db('platform_invoices').where({ id: invoiceId }).first();
    expect(invoice.payer_id).not.toBeNull();
    return (await f.kernel.subjects.findByExternal((await f.kernel.brands.get(SHOP)).id, 'payer', Number(invoice.payer_id)))!;
  };

  it("ESM-2: a payer with another e-mail is their own subject linked to the invoice; their card is theirs (taken off the client's customer), exported and erased without touching the client", async () => {
    // The client paid an earlier invoice themselves: that token and customer are the client's.
    const own = await paid();
    const clientTokens = await tokens(own.subjectId);
    expect(clientTokens.map((t) => t.token.customerId)).toEqual([String(own.session.customer)]);

    // The next checkout reuses the client's customer; a third party pays it.
    const o = await f.platform.order(own.clientId, [{ type: 'hosting', product: 'Gift', amount: 9 }]);
    const link = await f.checkout(SHOP, o.invoiceId);
    const { paymentIntent } = f.stripe.completeSession(link.reference, { email: 'grace@example.net', name: 'Grace Brewster Hopper', card: { brand: 'amex', last4: '0005' } });
    await f.gateway.capture(own.brand, link.reference);

    const payer = await payerOf(o.invoiceId);
    expect(payer.id).not.toBe(own.subjectId);
    const fields = Object.fromEntries((await f.kernel.subjects.fields(payer.id)).map((x) => [x.name, x.value]));
    expect(fields).toMatchObject({ firstname: 'Grace Brewster', lastname: 'Hopper', email: 'grace@example.net' });
    expect(await f.rows('stripe_payments', { reference: link.reference })).toMatchObject([{ subject_id: payer.id, status: 'paid' }]);
    // Their token holds their card, not the client's customer; the card is detached from the client's customer at Stripe.
    const pm = String(paymentIntent.payment_method);
    expect((await tokens(payer.id)).map((t) => t.token)).toEqual([{ paymentMethodId: pm, cardBrand: 'amex', last4: '0005', expMonth: 12, expYear: 2030 }]);
    expect(await tokens(own.subjectId)).toEqual(clientTokens);
    await f.drain(SHOP);
    expect(f.stripe.requestsTo('POST', `/v1/payment_methods/${pm}/detach`).map((r) => r.status)).toEqual([200]);
    expect(f.stripe.paymentMethods.get(pm)!.customer).toBeNull();

    // Exportable on its own: the payer's export holds their token and payment, nothing of the client's.
    const provider = f.kernel.modules.get('gateways/stripe')!.personalData!;
    const exported = await provider.export(payer.id, { kernel: f.kernel });
    expect(exported).toMatchObject({ paymentTokens: [{ cardBrand: 'amex', last4: '0005' }], payments: [{ invoiceId: o.invoiceId, reference: link.reference }] });
    expect(JSON.stringify(exported)).not.toContain(String(own.session.customer));

    // Erasable on its own: the payer's token goes; the client's token and customer stay.
    const request = await f.fulfil(SHOP, { type: 'erase', subjectId: payer.id });
    expect(request.status).toBe('fulfilled');
    await f.drain(SHOP);
    expect(await tokens(payer.id)).toEqual([]);
    expect(await tokens(own.subjectId)).toEqual(clientTokens);
    expect(f.stripe.customers.get(String(own.session.customer))!.deleted).toBeUndefined();
    expect(f.stripe.requestsTo('DELETE', `/v1/customers/${String(own.session.customer)}`)).toEqual([]);
  });

  it("ESM-2: a payer's own Stripe customer (created at their checkout) is deleted with the payer, not with the client", async () => {
    const { subjectId, invoiceId, session } = await paid(SHOP, { email: 'lin@example.net', name: 'Lin Ada' });
    const payer = await payerOf(invoiceId);
    const customer = String(session.customer);
    expect((await tokens(payer.id)).map((t) => t.token.customerId)).toEqual([customer]);
    expect(await tokens(subjectId)).toEqual([]);
    await f.fulfil(SHOP, { type: 'erase', subjectId });
    await f.drain(SHOP);
    expect(f.stripe.customers.get(customer)!.deleted).toBeUndefined();
    await f.fulfil(SHOP, { type: 'erase', subjectId: payer.id });
    await f.drain(SHOP);
    expect(f.stripe.customers.get(customer)!.deleted).toBe(true);
  });

  it('ESM-2: a payer without a name on Stripe is recorded with the e-mail and "-" names', async () => {
    const { invoiceId } = await paid(SHOP, { email: 'no.name@example.net', name: null });
    const payer = await payerOf(invoiceId);
    const fields = Object.fromEntries((await f.kernel.subjects.fields(payer.id)).map((x) => [x.name, x.value]));
    expect(fields).toMatchObject({ firstname: '-', lastname: '-', email: 'no.name@example.net' });
  });
});
