/** Keep the domain's name servers for RDAP nameserver look-ups. */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'rdap-after-registrar-registration-record-nameservers',
  hook: 'AfterRegistrarRegistration',
  module: 'rdap',
  action: 'recordRegisteredNameservers',
  priority: 40,
  enabledByDefault: true,
  description: "Keep the domain's name servers for RDAP nameserver look-ups.",
});
