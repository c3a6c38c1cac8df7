/** Rectification (MS-8e): a client's or contact's changed details written into a domain's stored WHMCS params. */
import { personOf, samePerson } from './whmcs-person';

/** The changed details as WHMCS's ClientEdit / ContactEdit send them. */
export type DetailChanges = Partial<Record<'firstname' | 'lastname' | 'companyname' | 'email' | 'address1' | 'address2' | 'city' | 'state' | 'postcode' | 'country' | 'phonenumber', unknown>>;

/** `+CC.NUMBER` from a phone number as typed, with the calling code it gives or `phonecc`; the input unchanged when neither exists. */
export function fullPhone(phone: string, phonecc: string): string {
  const explicit = /^\+(\d{1,3})[.\s-]?(.*)$/.exec(phone.trim());
  const cc = explicit ? explicit[1] : phonecc.replace(/\D/g, '');
  const digits = (explicit ? explicit[2] : phone).replace(/\D/g, '').replace(/^0+/, '');
  return cc ? `+${cc}.${digits}` : phone;
}

function applySet(params: Record<string, unknown>, prefix: '' | 'admin', c: DetailChanges): void {
  const set = (k: string, v: unknown) => { if (v !== undefined && v !== null) params[`${prefix}${k}`] = String(v); };
  for (const k of ['firstname', 'lastname', 'companyname', 'email', 'address1', 'address2', 'city', 'state', 'postcode'] as const) set(k, c[k]);
  if (c.firstname !== undefined || c.lastname !== undefined) params[`${prefix}fullname`] = `${params[`${prefix}firstname`] ?? ''} ${params[`${prefix}lastname`] ?? ''}`.trim();
  if (c.country) params[prefix ? 'admincountry' : 'countrycode'] = String(c.country).toUpperCase();
  if (c.phonenumber !== undefined && c.phonenumber !== null) {
    params[`${prefix}phonenumber`] = String(c.phonenumber);
    params[`${prefix}fullphonenumber`] = fullPhone(String(c.phonenumber), String(params.phonecc ?? ''));
  }
}

/** The params with the client's changes: the registrant set, and the admin set too where it was the client's own details. */
export function applyClientChanges(params: Record<string, unknown>, c: DetailChanges): Record<string, unknown> {
  const out = { ...params };
  const reg = personOf(params, 'registrant')!;
  const admin = personOf(params, 'admin');
  applySet(out, '', c);
  if (admin && samePerson(admin, reg)) applySet(out, 'admin', c);
  return out;
}

/** The params with a contact's changes applied to the admin set, when that set is this contact (matched by its old email). */
export function applyContactChanges(params: Record<string, unknown>, oldEmail: string, c: DetailChanges): Record<string, unknown> | undefined {
  const admin = personOf(params, 'admin');
  if (!admin || admin.email.toLowerCase() !== oldEmail.trim().toLowerCase()) return undefined;
  const out = { ...params };
  applySet(out, 'admin', c);
  return out;
}
