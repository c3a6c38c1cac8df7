/** Record the end of the client's last service when it cancels its last running one (MS-9: service-ended retention rules). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'cancellation-request-record-service-ended',
  hook: 'CancellationRequest',
  module: 'inventory',
  action: 'recordServiceEnded',
  priority: 10,
  enabledByDefault: true,
  description: "When a client cancels its last running service, record when that service ends (the service-ended event, MS-9): now for an Immediate cancellation, its next due date at the End of Billing Period. Nothing while another service runs; the reason is not stored.",
});
