/**
 * Writing back with UpdateClient (UpdateContact) makes WHMCS fire ClientEdit (ContactEdit), which its hook file
 * forwards to the suite. Before each such call the deliverer leaves a mark (the fields it writes, as keyed hashes, for
 * `echoSeconds`); an edit is the suite's own echo when an unexpired mark of that client (contact) matches every field
 * it wrote and, where WHMCS sends `olddata`, nothing else changed. A later edit by the customer or an admin changes
 * something else and is not one. A contact's marks are keyed `contact:<id>` beside the clients' plain ids.
 */
import type { Knex } from 'knex';
import type { Kernel } from '../../core/kernel';

/** The client fields WHMCS reports on ClientEdit that a mark can cover; a change outside them is never an echo. */
export const ECHO_FIELDS = ['firstname', 'lastname', 'companyname', 'email', 'address1', 'address2', 'city', 'state', 'postcode', 'country', 'phonenumber', 'marketing_emails_opt_in'] as const;

const BOOLEAN_FIELDS = new Set(['marketing_emails_opt_in']);

/** One value as compared: booleans as 1/0, the rest as trimmed text (e-mail lower-cased). */
function normalised(field: string, v: unknown): string {
  if (BOOLEAN_FIELDS.has(field)) return v === true || v === 1 || (typeof v === 'string' && ['1', 'true', 'on', 'yes'].includes(v.toLowerCase())) ? '1' : '0';
  const s = v === undefined || v === null ? '' : String(v).trim();
  return field === 'email' ? s.toLowerCase() : s;
}

/** Whether two reported values are the same (a boolean against WHMCS's 1/0/'' form too). */
function same(field: string, a: unknown, b: unknown): boolean {
  if (typeof a === 'boolean' || typeof b === 'boolean') return normalised('marketing_emails_opt_in', a) === normalised('marketing_emails_opt_in', b);
  return normalised(field, a) === normalised(field, b);
}

/** Variables WHMCS derives from others (a name, an alias of the opt-in): never a change of their own. */
const DERIVED = new Set(['olddata', 'fullname', 'isOptedInToMarketingEmails', 'email_preferences', 'customfields']);

const hashOf = (kernel: Kernel, field: string, v: unknown): string => kernel.keyring.blindIndex(`${field}=${normalised(field, v)}`, 'whmcs-echo');

/** The record a mark is about: a client, or a contact (ContactEdit's `contactid`). */
export type EchoKind = 'client' | 'contact';
const markKey = (kind: EchoKind, id: unknown): string => (kind === 'contact' ? `contact:${String(id)}` : String(id));

/** Leaves a mark before an UpdateClient of `values` (WHMCS field names); expired marks of the brand go at the same time. */
export async function expectEcho(kernel: Kernel, brandId: number, clientId: string | number, values: Record<string, unknown>, ttlMs: number): Promise<void> {
  await leaveMark(kernel, brandId, markKey('client', clientId), values, ttlMs);
}

/** Leaves a mark before an UpdateContact of `values`: the ContactEdit it makes WHMCS fire is recognised like ClientEdit's. */
export async function expectContactEcho(kernel: Kernel, brandId: number, contactId: string | number, values: Record<string, unknown>, ttlMs: number): Promise<void> {
  await leaveMark(kernel, brandId, markKey('contact', contactId), values, ttlMs);
}

async function leaveMark(kernel: Kernel, brandId: number, key: string, values: Record<string, unknown>, ttlMs: number): Promise<void> {
  const fields = Object.fromEntries(Object.entries(values).filter(([k]) => (ECHO_FIELDS as readonly string[]).includes(k)).map(([k, v]) => [k, hashOf(kernel, k, v)]));
  if (!Object.keys(fields).length) return;
  const now = Date.now();
  await kernel.db('whmcs_echo_marks').where({ brand_id: brandId }).andWhere('expires_at', '<', now).delete();
  await kernel.db('whmcs_echo_marks').insert({ brand_id: brandId, client_id: key, fields: JSON.stringify(fields), expires_at: now + ttlMs });
}

/** Whether a ClientEdit's (kind client) or ContactEdit's (kind contact) variables are the echo of one of the suite's own updates of that record. */
export async function isOwnEcho(kernel: Kernel, trx: Knex | Knex.Transaction, brandId: number, vars: Record<string, unknown>, kind: EchoKind = 'client'): Promise<boolean> {
  const id = kind === 'contact' ? vars.contactid : vars.userid;
  if (id === undefined) return false;
  const marks = (await trx('whmcs_echo_marks').where({ brand_id: brandId, client_id: markKey(kind, id) }).andWhere('expires_at', '>=', Date.now()).select('fields')) as { fields: string }[];
  if (!marks.length) return false;
  const old = vars.olddata && typeof vars.olddata === 'object' && !Array.isArray(vars.olddata) ? (vars.olddata as Record<string, unknown>) : null;
  const changed = old ? ECHO_FIELDS.filter((f) => f in vars && f in old && !same(f, vars[f], old[f])) : [];
  const otherChange = old ? Object.keys(vars).some((k) => !DERIVED.has(k) && !(ECHO_FIELDS as readonly string[]).includes(k) && k in old && typeof vars[k] !== 'object' && !same(k, vars[k], old[k])) : false;
  if (otherChange) return false;
  return marks.some((m) => {
    const fields = JSON.parse(m.fields) as Record<string, string>;
    const matches = Object.entries(fields).every(([k, h]) => hashOf(kernel, k, vars[k]) === h);
    return matches && changed.every((f) => f in fields);
  });
}
