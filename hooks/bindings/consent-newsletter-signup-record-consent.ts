/** Record marketing consent at a newsletter sign-up, bound to the privacy policy version shown (MS-2 / SP-3). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'consent-newsletter-signup-record-consent',
  hook: 'NewsletterSignup',
  module: 'consent',
  action: 'recordNewsletterSignup',
  priority: 20,
  enabledByDefault: true,
  description: 'Record marketing consent per channel when a client signs up for the newsletter, bound to the exact privacy policy version shown in their language, with IP and user agent; double opt-in where the brand asks (MS-2/SP-3).',
});
