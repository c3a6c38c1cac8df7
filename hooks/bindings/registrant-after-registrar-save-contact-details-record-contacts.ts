/** Record contacts saved at the registrar and log them as a disclosure, once per contact set. */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'registrant-after-registrar-save-contact-details-record-contacts',
  hook: 'AfterRegistrarSaveContactDetails',
  module: 'registrant',
  action: 'recordContactsSaved',
  priority: 10,
  enabledByDefault: true,
  description: "Record contacts saved at the registrar and log them as a disclosure, once per contact set.",
});
