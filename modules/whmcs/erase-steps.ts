/**
 * WHMCS-side steps an erasure (whmcs.erase-client) and the retention sweep (whmcs.expire) share: a client's support
 * tickets and their replies anonymised through WHMCS's API, and what that API cannot reach — the email log and the
 * opt-in history's IP addresses — through the connector addon's endpoint. Each step skips what already holds the
 * anonymous values, so a retry after a partial run finishes without writing twice.
 */
import type { Brand } from '../../core/brands/brand';
import type { Kernel } from '../../core/kernel';
import { addonTarget, callAddon } from './addon-api';
import { callWhmcs, WhmcsApiError, type WhmcsApi } from './api-client';
import { pagesOf } from './export/pages';
import { wrapped } from './import/api-pages';
import { ERASED_TICKET, erasedRequester } from './placeholder';
import { whmcsTime } from './whmcs-time';

type Row = Record<string, unknown>;

/**
 * Each ticket of the client (with `until`: only those whose last activity is at or before it; an undated one stays)
 * gets the placeholder subject and opening message (UpdateTicket, with a placeholder requester), and every reply
 * the placeholder message (UpdateTicketReply). Read a page at a time.
 */
export async function anonymiseTickets(kernel: Kernel, brandId: number, api: WhmcsApi, clientid: number, until?: number): Promise<{ tickets: number; replies: number }> {
  const done = { tickets: 0, replies: 0 };
  for await (const row of pagesOf<Row>(api, 'GetTickets', { clientid }, wrapped('tickets', 'ticket'))) {
    const at = whmcsTime(row.lastreply || row.date);
    if (until !== undefined && (at === null || at > until)) continue;
    const ticket = await callWhmcs(api, 'GetTicket', { ticketid: String(row.id), repliessort: 'ASC' });
    const replies = wrapped<Row>('replies', 'reply')(ticket);
    const opening = replies.find((r) => Number(r.replyid) === 0);
    if (ticket.subject !== ERASED_TICKET.subject || (opening && opening.message !== ERASED_TICKET.message)) {
      await callWhmcs(api, 'UpdateTicket', { ticketid: String(row.id), ...ERASED_TICKET, ...erasedRequester(kernel, brandId, String(row.id)) });
      done.tickets += 1;
    }
    for (const r of replies) {
      if (Number(r.replyid) === 0 || r.message === ERASED_TICKET.message) continue;
      await callWhmcs(api, 'UpdateTicketReply', { replyid: String(r.replyid), message: ERASED_TICKET.message });
      done.replies += 1;
    }
  }
  return done;
}

/** What the addon did, or why it could not be reached (a sentence without personal data). */
export interface AddonOutcome { emails?: number; consentIps?: number; notReached?: string }

/**
 * A failure that will not change by itself: the addon not installed (WHMCS answers a page, or 404 "Not found"), it
 * refusing the signature or the action, or no target to call. Anything else (unreachable, down, a 5xx) is retried.
 */
const permanent = (err: unknown): boolean => !(err instanceof WhmcsApiError)
  || (err.refused && /not found|unknown action|required|must be/i.test(err.whmcsMessage))
  || (!err.refused && /signature|HTTP [24]\d\d, no JSON/.test(err.whmcsMessage));

/**
 * Through the connector addon: the client's email log deleted and/or its opt-in history's IPs blanked (with `before`,
 * epoch ms: only rows dated before it). Throws (so the outbox retries) while the addon is unreachable or down; when it
 * is not installed or refuses, answers `notReached`, so the API-side erasure is not held back by what only the addon can do.
 */
export async function eraseThroughAddon(kernel: Kernel, brand: Brand, clientid: number, what: { emailLog: boolean; consentIps: boolean; before?: number }): Promise<AddonOutcome> {
  const out: AddonOutcome = {};
  const params = { userid: clientid, ...(what.before === undefined ? {} : { before: new Date(what.before).toISOString() }) };
  try {
    const target = await addonTarget(kernel, brand);
    if (what.emailLog) out.emails = Number((await callAddon(target, 'erase-email-log', params)).erased ?? 0);
    if (what.consentIps) out.consentIps = Number((await callAddon(target, 'anonymise-consent-history', params)).anonymised ?? 0);
  } catch (err) {
    if (!permanent(err)) throw err;
    out.notReached = (err instanceof Error ? err.message : String(err)).slice(0, 300);
  }
  return out;
}
