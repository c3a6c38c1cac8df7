/** Before the panel deletes a client: keep the statutory invoice copies and erase the client in the suite (MS-8). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'rights-pre-delete-client-erase-subject',
  hook: 'PreDeleteClient',
  module: 'rights',
  action: 'eraseBeforeDelete',
  priority: 10,
  enabledByDefault: true,
  description: "Before the panel deletes a client: keep the statutory invoice copies and erase the client in the suite (MS-8).",
});
