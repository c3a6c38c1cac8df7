/** Abort a marketing email without consent, GPC opt-out or on the suppression list; add its unsubscribe link (MS-7.2, TOS-1). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'consent-email-pre-send-gate-marketing',
  hook: 'EmailPreSend',
  module: 'consent',
  action: 'gateMarketingEmail',
  priority: 20,
  enabledByDefault: true,
  description: 'Abort a marketing email without consent, GPC opt-out or on the suppression list; add its unsubscribe link (MS-7.2, TOS-1).',
});
