/**
 * gateways/paypal: PayPal Checkout on Orders v2 through PayPal's own SDK (issue 16). The customer approves on PayPal's
 * page; the suite sends only opaque ids and the amount, keeps PayPal's payer and vault ids as `payment-token`, verifies
 * webhooks itself (CRC32 + RSA-SHA256 with PayPal's certificate), and deletes vault tokens on erasure through the outbox.
 * Manual: docs/gateway-paypal.md.
 */
import { defineModule } from '../../../core/modules/define-module';
import type { Kernel } from '../../../core/kernel';
import { gatewayAdminApi } from '../kit/admin-api';
import { gatewayAdminNav, gatewayAdminPages } from '../kit/admin-pages';
import { PAYPAL_ERRORS } from '../kit/errors';
import { gatewayPersonalData } from '../kit/personal-data';
import { PaymentTokens } from '../kit/tokens';
import { deliverVaultDelete, queuePaypalErasure, VAULT_DELETE } from './erasure';
import { createPaypalTables } from './migrations/202612240200-create-paypal-tables';
import { paypalClientRoutes } from './routes';
import { PaypalService } from './service';
import { PaypalSettings } from './settings';

export { setPaypalTransport } from './client';
export { PaypalService } from './service';

const personalData = gatewayPersonalData('paypal', queuePaypalErasure);

export default defineModule({
  name: 'gateways/paypal',
  version: '0.1.0',
  type: 'gateway',
  description: "PayPal Checkout (Orders v2): opens an order for an unpaid invoice, captures it on the customer's return or PayPal's webhook (verified, applied once), refunds, and deletes vault tokens at PayPal when a payer is erased.",
  settings: PaypalSettings,
  migrations: [createPaypalTables],
  errors: PAYPAL_ERRORS,
  requires: ['platform'],
  routes: { client: paypalClientRoutes, admin: gatewayAdminApi('paypal', PaypalSettings), pages: gatewayAdminPages('paypal', PaypalSettings) },
  adminNav: gatewayAdminNav('paypal'),
  outbox: { [VAULT_DELETE]: deliverVaultDelete },
  // PayPal holds no customer record of the suite's: a correction has nothing to send (MS-8e).
  storesPersonalData: true,
  personalData: { ...personalData, rectify: async () => ({ updated: [], propagated: [] }) },
  encryptedColumns: [PaymentTokens.encryptedColumns('paypal')],
  service: (kernel: Kernel) => new PaypalService(kernel),
});
