/** Record the registered domain and the contacts it was registered with. */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'registrant-after-registrar-registration-record-domain',
  hook: 'AfterRegistrarRegistration',
  module: 'registrant',
  action: 'recordRegistration',
  priority: 30,
  enabledByDefault: true,
  description: 'Record the registered domain and the contacts it was registered with.',
});
