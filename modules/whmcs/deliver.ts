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
import { expectEcho } from './echo-marks';
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

/** 'whmcs.erase-client': the client anonymised (UpdateClient, skipvalidation), then its contacts and its own users, then CloseClient. Never DeleteClient. */
const deliverEraseClient: OutboxDeliverer = async (msg, kernel) => {
  const { brand, settings, api } = await apiOf(kernel, msg.brandId);
  const { clientid, ...values } = msg.payload as Record<string, string | number | boolean>;
  let details: Record<string, unknown>;
  try {
    details = await callWhmcs(api, 'GetClientsDetails', { clientid, stats: false });
  } catch (err) {
    if (!notFound(err)) throw err;
    kernel.log.info({ outboxId: msg.id }, 'WHMCS client already gone: nothing to anonymise');
    return;
  }
  const done = { client: 0, contacts: 0, users: 0, usersShared: 0, closed: 0 };
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
    await callWhmcs(api, 'UpdateContact', { contactid: c.id, ...erased });
    done.contacts += 1;
  }
  // A user (login, WHMCS 8+) is anonymised only when this client is the only account it reaches.
  const linked = ((details.client as { users?: { user?: { id: number | string }[] } } | undefined)?.users?.user ?? []).map((u) => String(u.id));
  if (linked.length) {
    const users = await listAll<UserRow>(api, 'GetUsers', {}, (a) => (Array.isArray(a.users) ? (a.users as UserRow[]) : []));
    for (const u of users.filter((x) => linked.includes(String(x.id)))) {
      if ((u.clients ?? []).some((c) => String(c.id) !== String(clientid))) { done.usersShared += 1; continue; }
      const erased = erasedUser(kernel, brand.id, u.id);
      if (String(u.email ?? '').toLowerCase() === erased.email) continue;
      await callWhmcs(api, 'UpdateUser', { user_id: u.id, ...erased });
      done.users += 1;
    }
  }
  if (String(details.status ?? '') !== 'Closed') {
    await callWhmcs(api, 'CloseClient', { clientid });
    done.closed = 1;
  }
  await kernel.audit.record({ brandId: brand.id, actor: { type: 'system', id: 'outbox' }, action: 'whmcs.client.anonymised', targetType: 'outbox', targetId: msg.id, details: { attempt: msg.attempt, ...done } });
};

/** 'whmcs.erase-contact': a contact erased on its own, anonymised with UpdateContact (one already gone is done). */
const deliverEraseContact: OutboxDeliverer = async (msg, kernel) => {
  const { api } = await apiOf(kernel, msg.brandId);
  try {
    await callWhmcs(api, 'UpdateContact', msg.payload as Record<string, string | number>);
  } catch (err) {
    if (!notFound(err)) throw err;
  }
};

/** 'whmcs.rectify': the corrected fields with UpdateClient (its echo expected) or UpdateContact. */
const deliverRectify: OutboxDeliverer = async (msg, kernel) => {
  const { brand, settings, api } = await apiOf(kernel, msg.brandId);
  const { clientid, contactid, ...fields } = msg.payload as Record<string, string | number>;
  if (contactid !== undefined) {
    await callWhmcs(api, 'UpdateContact', { contactid, ...fields });
    return;
  }
  await expectEcho(kernel, brand.id, clientid, fields, settings.echoSeconds * 1000);
  await callWhmcs(api, 'UpdateClient', { clientid, ...fields });
};

export const whmcsOutbox = { [ERASE_CLIENT]: deliverEraseClient, [ERASE_CONTACT]: deliverEraseContact, [RECTIFY]: deliverRectify };
