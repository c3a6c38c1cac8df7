/** Refuse checkout without terms acceptance where the brand requires it, or below the minimum age (WSM-22). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'consent-shopping-cart-validate-checkout-check-terms-and-age',
  hook: 'ShoppingCartValidateCheckout',
  module: 'consent',
  action: 'validateCheckoutConsent',
  priority: 20,
  enabledByDefault: true,
  description: 'Refuse checkout without terms acceptance where the brand requires it, or below the minimum age (WSM-22).',
});
