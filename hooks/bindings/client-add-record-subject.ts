/** Record the new client in the data inventory (category-tagged, encrypted fields). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'client-add-record-subject',
  hook: 'ClientAdd',
  module: 'inventory',
  action: 'recordNewClient',
  priority: 10,
  enabledByDefault: true,
  description: "Record the new client in the data inventory (category-tagged, encrypted fields).",
});
