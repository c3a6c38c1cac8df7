/** Send a rectified contact's details to the registrar for the domains it is the admin contact of (MS-8e). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'registrant-contact-edit-rectify-contacts',
  hook: 'ContactEdit',
  module: 'registrant',
  action: 'rectifyContactContacts',
  priority: 30,
  enabledByDefault: true,
  description: "Send a rectified contact's details to the registrar for the domains it is the admin contact of (MS-8e).",
});
