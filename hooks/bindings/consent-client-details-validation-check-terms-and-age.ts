/** Refuse a registration without terms acceptance where the brand requires it, or below the minimum age (WSM-22). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'consent-client-details-validation-check-terms-and-age',
  hook: 'ClientDetailsValidation',
  module: 'consent',
  action: 'validateDetailsConsent',
  priority: 20,
  enabledByDefault: true,
  description: 'Refuse a registration without terms acceptance where the brand requires it, or below the minimum age (WSM-22).',
});
