/** The PayPal tests' suite: the installed modules, the real SDK routed to the stand-in, a captured log. */
import { Writable } from 'node:stream';
import { createLogger } from '../../../../core/logger';
import type { PlatformService } from '../../../../modules/platform';
import { setPaypalTransport, type PaypalService } from '../../../../modules/gateways/paypal';
import { clearCertCache } from '../../../../modules/gateways/paypal/webhook-signature';
import { PaypalStandin } from '../../../helpers/paypal-standin';
import { createBrand, PROVIDER_PROFILE, startTestSuite, type TestSuite } from '../../../helpers/test-suite';
import { person, platformOf, seen, withRecorder } from '../../platform/fixtures';

type Row = Record<string, unknown>;

export class PaypalFixture {
  t!: TestSuite;
  pp!: PaypalStandin;
  /** Every log line the suite wrote (pino JSON), for the tests that grep it. */
  readonly logs: string[] = [];
  readonly seen = seen;
  private n = 0;

  /** Starts the stand-in and the suite with two brands: `pp-shop`, and `pp-vault` whose orders ask PayPal to vault the wallet. */
  async start(): Promise<void> {
    this.pp = await PaypalStandin.start();
    setPaypalTransport(this.pp.agent());
    clearCertCache();
    Object.assign(process.env, this.pp.env());
    const logs = this.logs;
    const destination = new Writable({ write(chunk: Buffer, _enc, cb) { logs.push(chunk.toString('utf8')); cb(); } });
    const recorder = withRecorder();
    this.t = await startTestSuite({ ...recorder, logger: createLogger('debug', destination) });
    for (const [slug, vault] of [['pp-shop', false], ['pp-vault', true]] as const) {
      await createBrand(this.t.suite, slug, { profile: { ...PROVIDER_PROFILE, modules: { 'gateways/paypal': { enabled: true, webhookId: this.pp.webhookId, currency: 'EUR', vault } } } });
    }
  }

  async stop(): Promise<void> {
    setPaypalTransport(undefined);
    for (const name of Object.keys(this.pp?.env() ?? {})) delete process.env[name];
    await this.t?.close();
    await this.pp?.close();
  }

  get kernel() { return this.t.suite.kernel; }
  get service(): PaypalService { return this.kernel.service<PaypalService>('gateways/paypal'); }
  get platform(): PlatformService { return platformOf(this.t.suite); }
  brand(slug = 'pp-shop') { return this.kernel.brands.get(slug); }

  /** A new client with an unpaid invoice (19.50 EUR). */
  async invoice(slug = 'pp-shop'): Promise<{ clientId: number; subjectId: number; invoiceId: number; email: string }> {
    const n = ++this.n;
    const details = person(1000 + n);
    const { clientId, subjectId } = await this.platform.signUp(slug, details);
    const { invoiceId } = await this.platform.order(clientId, [{ type: 'hosting', product: 'Shared Hosting', amount: 19.5 }]);
    return { clientId, subjectId: subjectId!, invoiceId, email: String(details.email) };
  }

  /** Checkout, approval on PayPal's page (by the client unless told), and the customer's return (capture). `vault`: on brand pp-vault. */
  async paid(opts: { payer?: { given: string; surname: string; email: string }; vault?: boolean } = {}) {
    const slug = opts.vault ? 'pp-vault' : 'pp-shop';
    const inv = await this.invoice(slug);
    const brand = await this.brand(slug);
    const link = await this.service.checkout(inv.invoiceId, { returnUrl: 'https://shop.example/return', cancelUrl: 'https://shop.example/cancel' });
    const payer = opts.payer ?? { given: 'Ada', surname: 'Lovelace', email: inv.email };
    this.pp.approve(link.reference, { payer: { name: { given: payer.given, surname: payer.surname }, email: payer.email }, vault: opts.vault });
    const result = await this.service.capture(brand, link.reference);
    return { ...inv, brand, link, result };
  }

  /** The brand's disclosure log rows to PayPal. */
  async disclosures(brandId: number): Promise<Row[]> {
    return (await this.kernel.db('disclosure_log').where({ brand_id: brandId, recipient: 'paypal' }).orderBy('id')) as Row[];
  }

  /** POSTs a webhook to the brand's route. */
  async postWebhook(ev: { body: string; headers: Record<string, string> }, slug = 'pp-shop'): Promise<{ status: number; body: Row }> {
    const res = await fetch(`${this.t.baseUrl}/b/${slug}/gateways/paypal/webhook`, { method: 'POST', headers: ev.headers, body: ev.body });
    return { status: res.status, body: (await res.json()) as Row };
  }
}
