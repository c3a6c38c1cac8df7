/**
 * gateways/stripe: invoices paid on Stripe's Checkout page, so card data never reaches the suite (TOS-1.2); kept is
 * only the `payment-token` category (customer and payment-method ids, card brand, last four, expiry), sealed. Webhooks
 * verified by signature and applied once; refunds and every write keyed so a retry never charges or refunds twice;
 * Stripe gets opaque ids only, each transfer in the disclosure log; erasure and rectification reach Stripe (and
 * WHMCS's saved Stripe cards) through the outbox (docs/gateway-stripe.md).
 */
import { defineModule } from '../../../core/modules/define-module';
import { gatewayAdminApi } from '../kit/admin-api';
import { gatewayAdminNav, gatewayAdminPages } from '../kit/admin-pages';
import { STRIPE_ERRORS } from '../kit/errors';
import { PaymentTokens } from '../kit/tokens';
import { stripeOutbox } from './deliver';
import { createStripeTables } from './migrations/202612240100-create-stripe-tables';
import { stripePersonalData } from './personal-data';
import { stripeClientRoutes } from './routes';
import { StripeGateway } from './service';
import { StripeSettings } from './settings';

export default defineModule({
  name: 'gateways/stripe',
  version: '0.1.0',
  type: 'gateway',
  description: "Takes invoice payments through Stripe Checkout (card data stays on Stripe's page), applies verified webhooks once, refunds, and reaches Stripe with erasures and corrections through the outbox.",
  settings: StripeSettings,
  migrations: [createStripeTables],
  errors: STRIPE_ERRORS,
  requires: ['platform'],
  // Client: pay link, return, cancel, webhook; admin: overview, transactions (refund), webhook failures (the kit's).
  routes: { client: stripeClientRoutes, admin: gatewayAdminApi('stripe', StripeSettings), pages: gatewayAdminPages('stripe', StripeSettings) },
  adminNav: gatewayAdminNav('stripe'),
  outbox: stripeOutbox,
  storesPersonalData: true,
  personalData: stripePersonalData,
  encryptedColumns: [PaymentTokens.encryptedColumns('stripe')],
  service: (kernel) => new StripeGateway(kernel),
});
