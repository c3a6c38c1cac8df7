/**
 * An access request's copy of what WHMCS holds (issue 15 point 11, MS-8b): for a subject of kind client (external id
 * = WHMCS client id) its details, contacts, users, services, domains, invoices, tickets with their replies, email log
 * and, through the connector addon, its marketing opt-in history; for a contact its own record. Each set is read from
 * WHMCS page by page while the zip is written (never a whole set in memory). Only for brands that write back (the
 * same settings give the API access); otherwise nothing, and no call.
 *
 * What could not be read is said, never hidden and never fatal to the export: the summary (written before any set)
 * probes WHMCS and the addon and lists `notReached: [{ what, why }]`; a set that fails while it streams (WHMCS went
 * down after the probe) ends with one last row `{ notReached: why }` after the rows read so far. WHMCS that does not
 * answer at all (connection refused, timeout) is remembered for a minute, so the sets of the same export say so at
 * once instead of each waiting for its own timeout.
 */
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { ExportRecordSet } from '../../../core/modules/define-module';
import { moduleSettings } from '../../../core/profile/module-settings';
import type { DataCategory } from '../../../core/profile/schema';
import { addonTarget, callAddon, consentHistory } from '../addon-api';
import { callWhmcs, WhmcsApiError, type WhmcsApi } from '../api-client';
import { apiSecret, WhmcsSettings, writesBack } from '../settings';
import { wrapped } from '../import/api-pages';
import { PAGE_SIZE, pagesOf } from './pages';

type Row = Record<string, unknown>;

/** Whose data to read, and where. `api` throws (naming the variable) when the brand's API secret is missing. */
interface ExportTarget { brand: Brand; apiUrl: string; api: () => WhmcsApi; clientId: number; contactId: number | null }

/** Credentials and secret links WHMCS answers with (service passwords, the ticket's access key `c`): never exported. */
const CREDENTIAL = /pass(word)?$|password|secret|hash|token|securityq|^c$/i;

/** A row without credentials, nested values included. */
function withoutCredentials(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutCredentials);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !CREDENTIAL.test(k)).map(([k, x]) => [k, withoutCredentials(x)]));
}
const clean = (r: Row): Row => withoutCredentials(r) as Row;

/** Why a read failed, in words that carry no personal data (WHMCS's answer or the missing setting). */
const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 300);

/** WHMCS URLs that did not answer at all, since when and why (a minute: the rest of an export, not the next one). */
const silent = new Map<string, { at: number; why: string }>();
const SILENT_MS = 60_000;

/** Why `apiUrl` is known not to answer, or null. */
function knownSilent(apiUrl: string): string | null {
  const s = silent.get(apiUrl);
  if (s && Date.now() - s.at < SILENT_MS) return s.why;
  silent.delete(apiUrl);
  return null;
}

/** Remembers a failure that means WHMCS does not answer at all (not a refusal, not an error page). */
function noteFailure(apiUrl: string, err: unknown): void {
  if (err instanceof WhmcsApiError && !err.refused && /unreachable/.test(err.whmcsMessage)) silent.set(apiUrl, { at: Date.now(), why: reason(err) });
}

async function exportTarget(kernel: Kernel, subjectId: number): Promise<ExportTarget | null> {
  const s = await kernel.subjects.get(subjectId);
  if ((s.kind !== 'client' && s.kind !== 'contact') || !/^\d+$/.test(s.externalId)) return null;
  const brand = await kernel.brands.getById(s.brandId);
  const settings = moduleSettings(WhmcsSettings, await kernel.brands.profile(brand), 'whmcs');
  if (!writesBack(settings)) return null;
  let clientId = Number(s.externalId);
  let contactId: number | null = null;
  if (s.kind === 'contact') {
    if (s.parentId === null) return null;
    const parent = await kernel.subjects.get(s.parentId);
    if (!/^\d+$/.test(parent.externalId)) return null;
    contactId = clientId;
    clientId = Number(parent.externalId);
  }
  const { apiUrl, identifier } = settings;
  const api = (): WhmcsApi => ({ apiUrl, identifier, secret: apiSecret(brand.slug), timeoutMs: settings.timeoutSeconds * 1000 });
  return { brand, apiUrl, api, clientId, contactId };
}

/** A set's rows, ending with a `notReached` row if reading fails part-way (at once when WHMCS is known not to answer). */
async function* guarded(apiUrl: string, rows: () => AsyncIterable<Row>): AsyncGenerator<Row> {
  const known = knownSilent(apiUrl);
  if (known) {
    yield { notReached: `${known} (the rows above are all that could be read)` };
    return;
  }
  try {
    for await (const r of rows()) yield clean(r);
  } catch (err) {
    noteFailure(apiUrl, err);
    yield { notReached: `${reason(err)} (the rows above are all that could be read)` };
  }
}

async function clientDetails(api: WhmcsApi, clientid: number): Promise<Row> {
  const answer = await callWhmcs(api, 'GetClientsDetails', { clientid, stats: false });
  return (answer.client && typeof answer.client === 'object' ? answer.client : answer) as Row;
}

/** Each ticket of the client with its replies (GetTicket per ticket: one ticket's conversation in memory at a time). */
async function* tickets(api: WhmcsApi, clientid: number): AsyncGenerator<Row> {
  for await (const t of pagesOf<Row>(api, 'GetTickets', { clientid }, wrapped('tickets', 'ticket'))) {
    const { result, replies, ...ticket } = await callWhmcs(api, 'GetTicket', { ticketid: String(t.id), repliessort: 'ASC' });
    void result;
    yield { ...ticket, replies: wrapped('replies', 'reply')({ replies }) };
  }
}

function set(t: ExportTarget, name: string, category: DataCategory, rows: () => AsyncIterable<Row>): ExportRecordSet {
  return { name, category, rows: guarded(t.apiUrl, rows) };
}

/** The record sets of `subjectId` held in WHMCS (listed without a call: each set reads WHMCS when its rows are read). */
export async function* whmcsRecords(subjectId: number, kernel: Kernel): AsyncGenerator<ExportRecordSet> {
  const t = await exportTarget(kernel, subjectId);
  if (!t) return;
  const { clientId: clientid, contactId } = t;
  if (contactId !== null) {
    yield set(t, 'whmcs-contact', 'contact', async function* contact() {
      for await (const c of pagesOf<Row>(t.api(), 'GetContacts', { userid: clientid }, wrapped('contacts', 'contact'))) if (Number(c.id) === contactId) yield c;
    });
    return;
  }
  yield set(t, 'whmcs-client', 'contact', async function* client() {
    const { users, ...details } = await clientDetails(t.api(), clientid);
    void users;
    yield details;
  });
  yield set(t, 'whmcs-contacts', 'contact', () => pagesOf(t.api(), 'GetContacts', { userid: clientid }, wrapped('contacts', 'contact')));
  yield set(t, 'whmcs-users', 'contact', async function* users() {
    yield* wrapped<Row>('users', 'user')(await clientDetails(t.api(), clientid));
  });
  yield set(t, 'whmcs-services', 'billing', () => pagesOf(t.api(), 'GetClientsProducts', { clientid }, wrapped('products', 'product')));
  yield set(t, 'whmcs-domains', 'registration', () => pagesOf(t.api(), 'GetClientsDomains', { clientid }, wrapped('domains', 'domain')));
  yield set(t, 'whmcs-invoices', 'billing', () => pagesOf(t.api(), 'GetInvoices', { userid: clientid }, wrapped('invoices', 'invoice')));
  yield set(t, 'whmcs-tickets', 'correspondence', () => tickets(t.api(), clientid));
  yield set(t, 'whmcs-emails', 'correspondence', () => pagesOf(t.api(), 'GetEmails', { clientid }, wrapped('emails', 'email')));
  yield set(t, 'whmcs-marketing-history', 'usage', async function* history() {
    yield* consentHistory(await addonTarget(kernel, t.brand), clientid, PAGE_SIZE);
  });
}

/**
 * The summary: where the sets come from (WHMCS's host, when) and what could not be reached and why — WHMCS's API
 * and the connector addon are each probed once, so the answer says so before the sets are read.
 */
export async function whmcsExportSummary(subjectId: number, kernel: Kernel): Promise<Row> {
  const t = await exportTarget(kernel, subjectId);
  if (!t) return {};
  const notReached: { what: string; why: string }[] = [];
  const probe = async (call: () => Promise<unknown>): Promise<string | null> => {
    const known = knownSilent(t.apiUrl);
    if (known) return known;
    try {
      await call();
      return null;
    } catch (err) {
      noteFailure(t.apiUrl, err);
      return reason(err);
    }
  };
  const api = await probe(() => callWhmcs(t.api(), 'GetClientsDetails', { clientid: t.clientId, stats: false }));
  const what = t.contactId === null ? 'client details, contacts, users, services, domains, invoices, support tickets and the email log' : 'the contact record';
  if (api) notReached.push({ what: `WHMCS API: ${what}`, why: api });
  if (t.contactId === null) {
    const addon = await probe(async () => callAddon(await addonTarget(kernel, t.brand), 'consent-history', { userid: t.clientId, limitstart: 0, limitnum: 1 }));
    if (addon) notReached.push({ what: 'WHMCS connector addon: the marketing opt-in history', why: addon });
  }
  return { source: { whmcs: new URL(t.apiUrl).host, readAt: Date.now() }, notReached };
}
