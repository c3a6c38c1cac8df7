/** Update the client's inventory record when the profile changes. */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'client-edit-update-subject',
  hook: 'ClientEdit',
  module: 'inventory',
  action: 'recordClientChange',
  priority: 10,
  enabledByDefault: true,
  description: "Update the client's inventory record when the profile changes.",
});
