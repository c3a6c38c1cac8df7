/** Open a rights request when a customer asks from the billing panel (MS-8; verified when asked from the logged-in session, MS-8d). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'rights-data-subject-request-open-request',
  hook: 'DataSubjectRequest',
  module: 'rights',
  action: 'openFromPanel',
  priority: 50,
  enabledByDefault: true,
  description: 'Open a rights request (access, export, rectify, erase, restrict, object, withdraw consent) that a customer made in the billing panel; a request from the logged-in client area is recorded as verified (MS-8, MS-8d).',
});
