/** Mark a deleted contact's record closed. */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'contact-delete-close-subject',
  hook: 'ContactDelete',
  module: 'inventory',
  action: 'closeContact',
  priority: 10,
  enabledByDefault: true,
  description: "Mark a deleted contact's record closed.",
});
