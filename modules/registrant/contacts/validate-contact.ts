/** EPP limits (RFC 5733) checked before anything is sent, each failure named by its WHMCS parameter. */
import type { FieldIssue } from '../../../core/errors';
import type { WhmcsPerson } from './whmcs-person';

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
const PHONE = /^\+\d{1,3}\.\d{1,14}$/;

/** Problems with one person; empty when it can be sent. */
export function validatePerson(p: WhmcsPerson): FieldIssue[] {
  const out: FieldIssue[] = [];
  const need = (field: keyof WhmcsPerson, message: string) => { if (!String(p[field])) out.push({ field: p.names[field], message }); };
  need('firstname', 'required');
  need('lastname', 'required');
  if (`${p.firstname} ${p.lastname}`.length > 255) out.push({ field: p.names.lastname, message: 'the name is longer than 255 characters' });
  if (!EMAIL.test(p.email)) out.push({ field: p.names.email, message: 'a valid email address is required' });
  need('address1', 'required (street line 1)');
  for (const f of ['address1', 'address2', 'address3', 'city', 'state'] as const) {
    if (p[f].length > 255) out.push({ field: p.names[f], message: 'longer than 255 characters' });
  }
  need('city', 'required');
  if (p.postcode.length > 16) out.push({ field: p.names.postcode, message: 'at most 16 characters (EPP pc)' });
  if (!/^[A-Z]{2}$/.test(p.country)) out.push({ field: p.names.country, message: 'a two-letter ISO 3166 country code is required' });
  if (!PHONE.test(p.phone)) out.push({ field: p.names.phone, message: 'a phone number in the form +CC.NUMBER is required' });
  return out;
}

/** Problems with a contact handle (3–16 characters, RFC 5730 clIDType). */
export function validateContactId(id: string, field: string): FieldIssue[] {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{2,15}$/.test(id) ? [] : [{ field, message: 'a contact id has 3 to 16 characters' }];
}
