/** Validate and build the registry contacts (WSM-2); abort naming the fields at fault; log the disclosure. */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'registrant-pre-registrar-register-domain-check-contacts',
  hook: 'PreRegistrarRegisterDomain',
  module: 'registrant',
  action: 'checkRegistrationContacts',
  priority: 30,
  enabledByDefault: true,
  description: 'Validate and build the registry contacts (WSM-2); abort naming the fields at fault; log the disclosure.',
});
