/** Record that WHMCS holds correspondence of the client who replied to a ticket (MS-9: retention reaches its tickets there). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'ticket-user-reply-record-whmcs-holding',
  hook: 'TicketUserReply',
  module: 'whmcs',
  action: 'recordTicketReply',
  priority: 10,
  enabledByDefault: true,
  description: "For brands that write back to WHMCS: record that WHMCS holds the client's correspondence (a ticket reply) since now, so a correspondence retention rule selects the client again and anonymises its tickets in WHMCS (MS-9). The connector forwards the ids only: the reply's message never leaves WHMCS.",
});
