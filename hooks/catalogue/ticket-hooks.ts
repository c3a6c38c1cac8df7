/** Support ticket hooks: a client opened a ticket or replied to one; WHMCS holds that correspondence (MS-9 holdings). */
import { z } from 'zod';
import { whmcsHook } from './hook-spec';
import { wInt, wStr } from './whmcs-types';

/** What the connector drops before forwarding (minimisation): the ticket's subject, message, department name, priority and status. */
const dropped = { deptname: wStr.optional(), subject: z.unknown().optional(), message: z.unknown().optional(), priority: wStr.optional() };

export const ticketHooks = {
  TicketOpen: whmcsHook({
    kind: 'after', answer: 'none', group: 'ticket',
    description: "A client opened a support ticket: WHMCS now holds correspondence of it, recorded as a holding (MS-9) so correspondence retention reaches the client's tickets in WHMCS. The connector forwards the ids only (ticketid, ticketmask, userid, deptid): the subject and message never leave WHMCS.",
    whmcs: { ticketid: wInt, ticketmask: wStr.optional(), userid: wInt.optional(), deptid: wInt.optional(), ...dropped },
  }),
  TicketUserReply: whmcsHook({
    kind: 'after', answer: 'none', group: 'ticket',
    description: "A client replied to a support ticket: WHMCS holds correspondence of it again, recorded as a holding (MS-9). The connector forwards the ids only (ticketid, replyid, userid, deptid): the subject and message never leave WHMCS.",
    whmcs: { ticketid: wInt, replyid: wInt.optional(), userid: wInt.optional(), deptid: wInt.optional(), ...dropped, status: wStr.optional() },
  }),
};
