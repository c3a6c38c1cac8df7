/** Validate and build the registry contacts for a transfer; abort naming the fields at fault; log the disclosure. */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'registrant-pre-registrar-transfer-domain-check-contacts',
  hook: 'PreRegistrarTransferDomain',
  module: 'registrant',
  action: 'checkTransferContacts',
  priority: 30,
  enabledByDefault: true,
  description: 'Validate and build the registry contacts for a transfer; abort naming the fields at fault; log the disclosure.',
});
