/**
 * The outbox deliverers: each runs its steps against WHMCS's API and throws on any failure, so the outbox retries the
 * message with backoff until WHMCS answers (then dead-letters it with the error, which names the action and WHMCS's
 * answer, never a value or the secret). Steps are safe to run again: a record already holding the anonymous values is
 * skipped, so a retry after a partial run finishes the job without writing twice.
 */
import type { Brand } from '../../core/brands/brand';
import type { Kernel } from '../../core/kernel';
import type { OutboxDeliverer } from '../../core/modules/define-module';
import { moduleSettings } from '../../core/profile/module-settings';
import { callWhmcs, listAll, WhmcsApiError, type WhmcsApi } from './api-client';
import { expectContactEcho, expectEcho } from './echo-marks';
import { anonymiseTickets, eraseThroughAddon } from './erase-steps';
import { EXPIRE, type ExpirePayload } from './expire';
import { erasedRecord, erasedUser } from './placeholder';
import { apiSecret, WhmcsSettings, writesBack } from './settings';
import { ERASE_CLIENT, ERASE_CONTACT, RECTIFY } from './write-back';

/** The brand's API access; throws (naming the settings or the variable) when the brand cannot write back. */
async function apiOf(kernel: Kernel, brandId: number): Promise<{ brand: Brand; settings: WhmcsSettings; api: WhmcsApi }> {
  const brand = await kernel.brands.getById(brandId);
  const settings = moduleSettings(WhmcsSettings, await kernel.brands.profile(brand), 'whmcs');
  if (!writesBack(settings)) throw new Error(`WHMCS write-back is not configured for brand ${brand.slug} (profile modules.whmcs: enabled, apiUrl, identifier)`);
  return { brand, settings, api: { apiUrl: settings.apiUrl, identifier: settings.identifier, secret: apiSecret(brand.slug), timeoutMs: settings.timeoutSeconds * 1000 } };
}

const notFound = (err: unknown): boolean => err instanceof WhmcsApiError && err.refused && /not found/i.test(err.whmcsMessage);

interface UserRow { id: number | string; email?: string; clients?: { id: number | string }[] }

/** The fields of a WHMCS user (login) a rectification of its client corrects. */
const USER_FIELDS = ['firstname', 'lastname', 'email'];

type Access = Awaited<ReturnType<typeof apiOf>>;

/**
 * The users (logins) linked to a client (GetClientsDetails' `client.users.user`), each looked up with GetUsers'
 * search by its e-mail to see which clients it reaches: `own` reach this client alone, `shared` counts the others.
 */
async function usersOf(api: WhmcsApi, details: Record<string, unknown>, clientid: string | number): Promise<{ own: UserRow[]; shared: number }> {
  const linked = (details.client as { users?: { user?: UserRow[] } } | undefined)?.users?.user ?? [];
  const out = { own: [] as UserRow[], shared: 0 };
  for (const l of linked) {
    const found = await listAll<UserRow>(api, 'GetUsers', { search: String(l.email ?? '') }, (a) => (Array.isArray(a.users) ? (a.users as UserRow[]) : []));
    const u = found.find((x) => String(x.id) === String(l.id));
    if (!u) continue;
    if ((u.clients ?? []).some((c) => String(c.id) !== String(clientid))) out.shared += 1;
    else out.own.push(u);
  }
  return out;
}

/**
 * The client anonymised (UpdateClient, skipvalidation, its echo expected), then its contacts and the users that log
 * into it alone; answers WHMCS's client details and what was written, or null when WHMCS no longer has the client.
 */
async function anonymiseClient(kernel: Kernel, { brand, settings, api }: Access, clientid: string | number, values: Record<string, string | number | boolean>): Promise<{ details: Record<string, unknown>; done: Record<string, number> } | null> {
  let details: Record<string, unknown>;
  try {
    details = await callWhmcs(api, 'GetClientsDetails', { clientid, stats: false });
  } catch (err) {
    if (!notFound(err)) throw err;
    return null;
  }
  const done = { client: 0, contacts: 0, users: 0, usersShared: 0 };
  if (String(details.email ?? '').toLowerCase() !== String(values.email).toLowerCase()) {
    await expectEcho(kernel, brand.id, String(clientid), { ...values, marketing_emails_opt_in: false }, settings.echoSeconds * 1000);
    await callWhmcs(api, 'UpdateClient', { clientid, skipvalidation: true, ...values });
    done.client = 1;
  }
  type ContactRow = { id: number | string; email?: string };
  const contacts = await listAll<ContactRow>(api, 'GetContacts', { userid: clientid }, (a) => ((a.contacts as { contact?: ContactRow[] } | undefined)?.contact ?? []));
  for (const c of contacts) {
    const erased = erasedRecord(kernel, brand.id, 'contact', c.id);
    if (String(c.email ?? '').toLowerCase() === erased.email) continue;
    await expectContactEcho(kernel, brand.id, c.id, erased, settings.echoSeconds * 1000);
    await callWhmcs(api, 'UpdateContact', { contactid: c.id, ...erased });
    done.contacts += 1;
  }
  // A user (login, WHMCS 8+) is anonymised only when this client is the only account it reaches.
  const users = await usersOf(api, details, clientid);
  done.usersShared = users.shared;
  for (const u of users.own) {
    const erased = erasedUser(kernel, brand.id, u.id);
    if (String(u.email ?? '').toLowerCase() === erased.email) continue;
    await callWhmcs(api, 'UpdateUser', { user_id: u.id, ...erased });
    done.users += 1;
  }
  return { details, done };
}

/** Logs (without personal data) what only the connector addon could have erased and it did not. */
function addonNotReached(kernel: Kernel, outboxId: number, reason: string | undefined): void {
  if (reason) kernel.log.warn({ outboxId, reason }, 'WHMCS connector addon not reached: the email log and the opt-in history IPs stay in WHMCS');
}

/**
 * 'whmcs.erase-client': the client, its contacts and users anonymised; its tickets and their replies; then CloseClient
 * (never DeleteClient); then, through the connector addon, its email log erased and its opt-in history's IPs blanked.
 */
const deliverEraseClient: OutboxDeliverer = async (msg, kernel) => {
  const access = await apiOf(kernel, msg.brandId);
  const { brand, api } = access;
  const { clientid, ...values } = msg.payload as Record<string, string | number | boolean> & { clientid: number };
  const client = await anonymiseClient(kernel, access, clientid, values);
  if (!client) {
    kernel.log.info({ outboxId: msg.id }, 'WHMCS client already gone: nothing to anonymise');
    return;
  }
  const tickets = await anonymiseTickets(kernel, brand.id, api, Number(clientid));
  let closed = 0;
  if (String(client.details.status ?? '') !== 'Closed') {
    await callWhmcs(api, 'CloseClient', { clientid });
    closed = 1;
  }
  const addon = await eraseThroughAddon(kernel, brand, Number(clientid), { emailLog: true, consentIps: true });
  addonNotReached(kernel, msg.id, addon.notReached);
  await kernel.audit.record({ brandId: brand.id, actor: { type: 'system', id: 'outbox' }, action: 'whmcs.client.anonymised', targetType: 'outbox', targetId: msg.id, details: { attempt: msg.attempt, ...client.done, ...tickets, closed, ...addon } });
};

/**
 * The addon's `before` for a rule's `until`: the addon compares WHMCS's dates (whole seconds) strictly, so a row dated in
 * the same second as `until` is collected "at or before" it, as tickets are judged.
 */
const addonBefore = (until: number | null | undefined): number | undefined => (until == null ? undefined : Math.floor(until / 1000) * 1000 + 1000);

/** 'whmcs.expire': one data category of a client expired on the WHMCS side by the retention sweep (expire.ts says what each means). */
const deliverExpire: OutboxDeliverer = async (msg, kernel) => {
  const { brand, api } = await apiOf(kernel, msg.brandId);
  const { clientid, category, until } = msg.payload as unknown as ExpirePayload;
  let done: Record<string, unknown> = {};
  if (category === 'correspondence') {
    done = await anonymiseTickets(kernel, brand.id, api, clientid, until ?? undefined);
    done = { ...done, ...(await eraseThroughAddon(kernel, brand, clientid, { emailLog: true, consentIps: false, before: addonBefore(until) })) };
  }
  if (category === 'usage') done = { ...(await eraseThroughAddon(kernel, brand, clientid, { emailLog: false, consentIps: true, before: addonBefore(until) })) };
  addonNotReached(kernel, msg.id, typeof done.notReached === 'string' ? done.notReached : undefined);
  await kernel.audit.record({ brandId: brand.id, actor: { type: 'system', id: 'outbox' }, action: 'whmcs.retention.expired', targetType: 'outbox', targetId: msg.id, details: { attempt: msg.attempt, category, ...done } });
};

/** 'whmcs.erase-contact': a contact erased on its own, anonymised with UpdateContact, its echo expected (one already gone is done). */
const deliverEraseContact: OutboxDeliverer = async (msg, kernel) => {
  const { brand, settings, api } = await apiOf(kernel, msg.brandId);
  const { contactid, ...erased } = msg.payload as Record<string, string | number>;
  try {
    await expectContactEcho(kernel, brand.id, contactid, erased, settings.echoSeconds * 1000);
    await callWhmcs(api, 'UpdateContact', { contactid, ...erased });
  } catch (err) {
    if (!notFound(err)) throw err;
  }
};

/** 'whmcs.rectify': the corrected fields with UpdateClient (its echo expected), and the client's own logins' with UpdateUser; or UpdateContact (its echo expected too). */
const deliverRectify: OutboxDeliverer = async (msg, kernel) => {
  const { brand, settings, api } = await apiOf(kernel, msg.brandId);
  const { clientid, contactid, ...fields } = msg.payload as Record<string, string | number>;
  if (contactid !== undefined) {
    await expectContactEcho(kernel, brand.id, contactid, fields, settings.echoSeconds * 1000);
    await callWhmcs(api, 'UpdateContact', { contactid, ...fields });
    return;
  }
  await expectEcho(kernel, brand.id, clientid, fields, settings.echoSeconds * 1000);
  await callWhmcs(api, 'UpdateClient', { clientid, ...fields });
  // The logins that reach this client alone are the same person's: their name and e-mail corrected too. A refusal
  // (the e-mail is another login's) leaves them, logged: the client record, which WHMCS bills, is corrected.
  const userFields = Object.fromEntries(Object.entries(fields).filter(([k]) => USER_FIELDS.includes(k)));
  if (!Object.keys(userFields).length) return;
  const { own } = await usersOf(api, await callWhmcs(api, 'GetClientsDetails', { clientid, stats: false }), clientid);
  for (const u of own) {
    try {
      await callWhmcs(api, 'UpdateUser', { user_id: u.id, ...userFields });
    } catch (err) {
      if (!(err instanceof WhmcsApiError && err.refused)) throw err;
      kernel.log.warn({ outboxId: msg.id, reason: err.message }, 'WHMCS user not corrected');
    }
  }
};

export const whmcsOutbox = { [ERASE_CLIENT]: deliverEraseClient, [ERASE_CONTACT]: deliverEraseContact, [RECTIFY]: deliverRectify, [EXPIRE]: deliverExpire };
