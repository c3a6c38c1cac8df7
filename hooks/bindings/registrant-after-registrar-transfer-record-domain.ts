/** Record a transferred domain and log the contacts handed to the registrar as a disclosure, once. */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'registrant-after-registrar-transfer-record-domain',
  hook: 'AfterRegistrarTransfer',
  module: 'registrant',
  action: 'recordTransfer',
  priority: 10,
  enabledByDefault: true,
  description: "Record a transferred domain and log the contacts handed to the registrar as a disclosure, once.",
});
