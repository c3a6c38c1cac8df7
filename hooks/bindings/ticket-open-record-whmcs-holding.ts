/** Record that WHMCS holds correspondence of the client who opened a ticket (MS-9: retention reaches its tickets there). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'ticket-open-record-whmcs-holding',
  hook: 'TicketOpen',
  module: 'whmcs',
  action: 'recordTicketOpened',
  priority: 10,
  enabledByDefault: true,
  description: "For brands that write back to WHMCS: record that WHMCS holds the client's correspondence (a support ticket) since now, so a correspondence retention rule selects the client again and anonymises its tickets in WHMCS (MS-9). The connector forwards the ids only: the ticket's subject and message never leave WHMCS.",
});
