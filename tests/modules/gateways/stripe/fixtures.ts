/** Shared by the Stripe gateway tests: a suite with the module, the Stripe stand-in, a brand paying through it, clients and invoices. */
import type { Brand } from '../../../../core/brands/brand';
import type { GatewayService } from '../../../../modules/gateways/kit/contract';
import type { PlatformService } from '../../../../modules/platform';
import { StripeStandin } from '../../../helpers/stripe-standin';
import { drainOutbox, startTestSuite, type TestSuite } from '../../../helpers/test-suite';
import { platformOf, seen, withRecorder } from '../../platform/fixtures';
import { adminKey, RIGHTS_PROFILE, fulfilRequest, rightsBrand, signUp, type Json } from '../../rights/fixtures';


export const STRIPE_RECIPIENT = { code: 'stripe', name: 'Stripe', kind: 'payment', purposes: ['billing', 'legal'], categories: ['contact', 'billing', 'payment-token'] };

/** A running suite and Stripe stand-in; brands made with `brand()` pay through it. */
export class StripeFixture {
  readonly stripe = new StripeStandin();
  t!: TestSuite;
  key = '';
  readonly secrets: Record<string, string> = {};
  private n = 0;

  async start(opts: { config?: Record<string, unknown> } = {}): Promise<void> {
    await this.stripe.start();
    process.env.SUITE_STRIPE_SECRET_KEY = this.stripe.secretKey;
    process.env.SUITE_STRIPE_WEBHOOK_SECRET = this.stripe.webhookSecret;
    const recorder = withRecorder();
    this.t = await startTestSuite({ ...recorder, config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 6, ...opts.config } });
    this.key = await adminKey(this.t.suite);
  }

  async stop(): Promise<void> {
    delete process.env.SUITE_STRIPE_SECRET_KEY;
    delete process.env.SUITE_STRIPE_WEBHOOK_SECRET;
    await this.t?.close();
    await this.stripe.stop();
  }

  /** A brand paying through the stand-in (`stripe` merged over its Stripe settings, `profile` over its profile). */
  async brand(slug: string, stripe: Record<string, unknown> = {}, profile: Record<string, unknown> = {}): Promise<Brand> {
    this.secrets[slug] = await rightsBrand(this.t.suite, slug, {
      recipients: [...RIGHTS_PROFILE.recipients, STRIPE_RECIPIENT],
      ...profile,
      modules: { 'gateways/stripe': { enabled: true, mode: 'test', currency: 'EUR', timeoutSeconds: 5, ...this.stripe.settings(), ...stripe }, ...(profile.modules as object | undefined) },
    });
    return this.t.suite.kernel.brands.get(slug);
  }

  get kernel() { return this.t.suite.kernel; }
  get platform(): PlatformService { return platformOf(this.t.suite); }
  /** The hooks fired so far (the platform tests' recorder). */
  readonly seen = seen;
  get gateway(): GatewayService { return this.kernel.service<GatewayService>('gateways/stripe'); }

  /** A signed-up client with an unpaid invoice of `amount`. */
  async invoice(slug: string, amount = 42.5): Promise<{ clientId: number; subjectId: number; invoiceId: number; email: string }> {
    this.n += 1;
    const c = await signUp(this.t.suite, slug, 1000 + this.n + Math.floor(Math.random() * 100000));
    const email = (await this.platform.client(c.clientId)).details!.email;
    const o = await this.platform.order(c.clientId, [{ type: 'hosting', product: 'Web hosting', amount }]);
    return { ...c, invoiceId: o.invoiceId, email };
  }

  /** Opens a checkout for an invoice through the service (URLs as the pay route makes them). */
  checkout(slug: string, invoiceId: number) {
    const base = `${this.t.baseUrl}/b/${slug}/gateways/stripe`;
    return this.gateway.checkout(invoiceId, { returnUrl: `${base}/return?session_id={CHECKOUT_SESSION_ID}`, cancelUrl: `${base}/cancel?invoice=${invoiceId}` });
  }

  /** Posts a webhook body with its signature header. */
  async webhook(slug: string, w: { body: string; header: string | null }): Promise<{ status: number; body: Json }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (w.header !== null) headers['stripe-signature'] = w.header;
    const res = await fetch(`${this.t.baseUrl}/b/${slug}/gateways/stripe/webhook`, { method: 'POST', headers, body: w.body });
    return { status: res.status, body: (await res.json()) as Json };
  }

  /** Opens a verified rights request of `type` and fulfils it; answers the fulfilled request. */
  fulfil(slug: string, body: Json): Promise<Json> {
    return fulfilRequest(this.t.baseUrl, this.key, slug, body);
  }

  drain = async (slug: string): Promise<void> => drainOutbox(this.t.suite, { brandId: (await this.kernel.brands.get(slug)).id });

  /** Rows of a table as plain objects. */
  rows = (table: string, where: Record<string, unknown> = {}): Promise<Json[]> => this.kernel.db(table).where(where).orderBy('id');
}

export type { Json };
