/** Keep the domain's name servers for RDAP nameserver look-ups. */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'rdap-after-registrar-transfer-record-nameservers',
  hook: 'AfterRegistrarTransfer',
  module: 'rdap',
  action: 'recordTransferredNameservers',
  priority: 40,
  enabledByDefault: true,
  description: "Keep the domain's name servers for RDAP nameserver look-ups.",
});
