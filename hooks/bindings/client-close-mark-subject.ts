/** Mark the client's inventory record closed (starts retention clocks). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'client-close-mark-subject',
  hook: 'ClientClose',
  module: 'inventory',
  action: 'markClientClosed',
  priority: 10,
  enabledByDefault: true,
  description: "Mark the client's inventory record closed (starts retention clocks).",
});
