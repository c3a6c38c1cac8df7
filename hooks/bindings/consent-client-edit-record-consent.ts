/** Record a changed marketing choice at once (MS-7.1) and acceptance of a newer terms version. */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'consent-client-edit-record-consent',
  hook: 'ClientEdit',
  module: 'consent',
  action: 'recordProfileConsent',
  priority: 20,
  enabledByDefault: true,
  description: 'Record a changed marketing choice at once (MS-7.1) and acceptance of a newer terms version.',
});
