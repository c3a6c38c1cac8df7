/** Record terms acceptance (the exact version shown) and the marketing choice at registration, or the brand's opt-out default (MS-2/SP-3, WSM-19). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'consent-client-add-record-consent',
  hook: 'ClientAdd',
  module: 'consent',
  action: 'recordRegistrationConsent',
  priority: 20,
  enabledByDefault: true,
  description: "Record terms acceptance (the exact version shown) and the marketing choice at registration, or the brand's opt-out default (MS-2/SP-3, WSM-19).",
});
