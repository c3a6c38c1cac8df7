/** Suspend the service an abuse (spam) complaint is about, and audit it (ESM-4). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'abuse-complaint-suspend-service',
  hook: 'AbuseComplaint',
  module: 'platform',
  action: 'suspendOnAbuse',
  priority: 10,
  enabledByDefault: true,
  description: 'Suspend the service an abuse (spam) complaint is about, and audit it (ESM-4).',
});
