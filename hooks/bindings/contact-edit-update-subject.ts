/** Update a contact's inventory record. */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'contact-edit-update-subject',
  hook: 'ContactEdit',
  module: 'inventory',
  action: 'recordContactChange',
  priority: 10,
  enabledByDefault: true,
  description: "Update a contact's inventory record.",
});
