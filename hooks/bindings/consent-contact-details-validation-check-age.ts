/** Refuse a contact below the brand's minimum age where the form posts a date of birth (WSM-22). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'consent-contact-details-validation-check-age',
  hook: 'ContactDetailsValidation',
  module: 'consent',
  action: 'validateContactDetailsConsent',
  priority: 20,
  enabledByDefault: true,
  description: "Refuse a contact below the brand's minimum age where the form posts a date of birth (WSM-22).",
});
