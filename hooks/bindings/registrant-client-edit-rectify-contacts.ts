/** Send a rectified client's contacts to the registrar for each of their domains, through the outbox (MS-8e). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'registrant-client-edit-rectify-contacts',
  hook: 'ClientEdit',
  module: 'registrant',
  action: 'rectifyClientContacts',
  priority: 30,
  enabledByDefault: true,
  description: "Send a rectified client's contacts to the registrar for each of their domains, through the outbox (MS-8e).",
});
