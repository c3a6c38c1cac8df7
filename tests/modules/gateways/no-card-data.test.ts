/**
 * TOS-1.2 / SP-8: after every payment flow of both gateways — paid, declined, refunded, a third party paying, a saved
 * card, an erasure — a scan of every table of the database (sealed values decrypted) finds no card number (a
 * Luhn-valid run of 13–19 digits) and no CVC field. The processors' answers here even carry a card number and a CVC
 * where a careless module might copy them (an extra `card` object on the event): only the whitelisted token fields
 * are kept. The scan itself is checked first: a planted card number and CVC are found.
 */
import { scanForCardData } from '../../helpers/card-scan';
import { drainOutbox } from '../../helpers/test-suite';
import { eraseSubject } from '../../../modules/rights/erase/erase-subject';
import { StripeFixture } from './stripe/fixtures';
import { PaypalFixture } from './paypal/fixture';

const CARD_NUMBER = '4111111111111111';
const ACTOR = { type: 'cli' as const, id: 'test' };

describe('Stripe flows', () => {
  const f = new StripeFixture();
  beforeAll(async () => { await f.start(); await f.brand('shop'); await f.brand('saver', { saveCards: true }); }, 30_000);
  afterAll(() => f.stop());

  it('the scan finds a planted card number and CVC, so a clean scan means something', async () => {
    const db = f.kernel.db;
    await db.schema.createTable('card_scan_probe', (t) => { t.increments('id'); t.string('note', 200); t.string('cvc', 4); });
    try {
      await db('card_scan_probe').insert({ note: f.kernel.keyring.encryptSync(JSON.stringify({ number: CARD_NUMBER })), cvc: null });
      const hits = await scanForCardData(f.t.suite);
      expect(hits).toEqual(expect.arrayContaining([
        expect.objectContaining({ table: 'card_scan_probe', column: 'note', kind: 'card-number' }),
        expect.objectContaining({ table: 'card_scan_probe', column: 'cvc', kind: 'cvc' }),
      ]));
    } finally {
      await db.schema.dropTable('card_scan_probe');
    }
  });

  it('TOS-1.2 / SP-8: paid, declined, refunded, third-party and saved-card payments and an erasure leave no card number or CVC in any table', async () => {
    const brand = await f.kernel.brands.get('shop');
    const leaky = { number: CARD_NUMBER, cvc: '123', exp_month: 4, exp_year: 2031 };
    // Paid by the client, the event carrying a full card object a module must not copy.
    const a = await f.invoice('shop');
    const la = await f.checkout('shop', a.invoiceId);
    const { session } = f.stripe.completeSession(la.reference, { email: a.email, name: 'Ada Lovelace', card: { brand: 'visa', last4: '1111', exp_month: 4, exp_year: 2031 } });
    expect((await f.webhook('shop', f.stripe.event('checkout.session.completed', { ...session, card: leaky }))).status).toBe(200);
    // Declined.
    const b = await f.invoice('shop');
    const lb = await f.checkout('shop', b.invoiceId);
    const { paymentIntent } = f.stripe.completeSession(lb.reference, { email: b.email, name: 'Ada Lovelace', declined: 'card_declined' });
    expect((await f.webhook('shop', f.stripe.event('payment_intent.payment_failed', { ...paymentIntent, card: leaky }))).status).toBe(200);
    // Paid by a third party, then refunded in part and in full.
    const c = await f.invoice('shop');
    const lc = await f.checkout('shop', c.invoiceId);
    f.stripe.completeSession(lc.reference, { email: 'payer@elsewhere.example', name: 'Grace Hopper', card: { brand: 'amex', last4: '0005', exp_month: 1, exp_year: 2030 } });
    expect((await f.gateway.capture(brand, lc.reference)).status).toBe('paid');
    expect((await f.gateway.refund(brand, c.invoiceId, 10)).status).toBe('success');
    expect((await f.gateway.refund(brand, c.invoiceId)).status).toBe('success');
    // A saved card (a Stripe customer), then the client erased.
    const saver = await f.kernel.brands.get('saver');
    const d = await f.invoice('saver');
    const ld = await f.checkout('saver', d.invoiceId);
    f.stripe.completeSession(ld.reference, { email: d.email, name: 'Ada Lovelace', card: { brand: 'mastercard', last4: '4444', exp_month: 3, exp_year: 2031 } });
    expect((await f.gateway.capture(saver, ld.reference)).status).toBe('paid');
    await eraseSubject(f.kernel, { brand: saver, profile: await f.kernel.brands.profile(saver), subjectId: d.subjectId, actor: ACTOR });
    await drainOutbox(f.t.suite);

    expect(Number((await f.kernel.db('stripe_tokens').count({ n: '*' }).first())?.n)).toBeGreaterThan(0);
    expect(await scanForCardData(f.t.suite)).toEqual([]);
  });
});

describe('PayPal flows', () => {
  const f = new PaypalFixture();
  beforeAll(() => f.start(), 30_000);
  afterAll(() => f.stop());

  it('TOS-1.2 / SP-8: paid, vaulted, third-party, refunded and erased PayPal payments leave no card number or CVC in any table', async () => {
    const own = await f.paid();
    expect(own.result.status).toBe('paid');
    const vaulted = await f.paid({ vault: true, payer: { given: 'Grace', surname: 'Hopper', email: 'grace@elsewhere.example' } });
    expect(vaulted.result.status).toBe('paid');
    expect((await f.service.refund(own.brand, own.invoiceId, 5)).status).toBe('success');
    expect((await f.service.refund(own.brand, own.invoiceId)).status).toBe('success');
    await eraseSubject(f.kernel, { brand: vaulted.brand, profile: await f.kernel.brands.profile(vaulted.brand), subjectId: vaulted.subjectId, actor: ACTOR });
    await drainOutbox(f.t.suite);

    expect(Number((await f.kernel.db('paypal_tokens').count({ n: '*' }).first())?.n)).toBeGreaterThan(0);
    expect(await scanForCardData(f.t.suite)).toEqual([]);
  });
});
