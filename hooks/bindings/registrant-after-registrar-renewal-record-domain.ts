/** Record the renewal of a domain. */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'registrant-after-registrar-renewal-record-domain',
  hook: 'AfterRegistrarRenewal',
  module: 'registrant',
  action: 'recordRenewal',
  priority: 30,
  enabledByDefault: true,
  description: 'Record the renewal of a domain.',
});
