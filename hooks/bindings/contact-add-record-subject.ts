/** Record a new contact as its own data subject, linked to the client. */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'contact-add-record-subject',
  hook: 'ContactAdd',
  module: 'inventory',
  action: 'recordContact',
  priority: 10,
  enabledByDefault: true,
  description: "Record a new contact as its own data subject, linked to the client.",
});
