/** Record terms acceptance and the marketing choice given with an order (MS-2/SP-3). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'consent-after-shopping-cart-checkout-record-consent',
  hook: 'AfterShoppingCartCheckout',
  module: 'consent',
  action: 'recordCheckoutConsent',
  priority: 20,
  enabledByDefault: true,
  description: 'Record terms acceptance and the marketing choice given with an order (MS-2/SP-3).',
});
