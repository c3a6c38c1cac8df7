/** EPP limits (RFC 5733) checked before anything is sent, each failure named by its WHMCS parameter. */
import { fieldIssue, type FieldIssue } from '../../../core/errors';
import type { WhmcsPerson } from './whmcs-person';

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
const PHONE = /^\+\d{1,3}\.\d{1,14}$/;

/** Problems with one person; empty when it can be sent. */
export function validatePerson(p: WhmcsPerson): FieldIssue[] {
  const out: FieldIssue[] = [];
  const need = (field: keyof WhmcsPerson, key: string) => { if (!String(p[field])) out.push(fieldIssue(p.names[field], key)); };
  need('firstname', 'validation.registrant.required');
  need('lastname', 'validation.registrant.required');
  if (`${p.firstname} ${p.lastname}`.length > 255) out.push(fieldIssue(p.names.lastname, 'validation.registrant.nameTooLong'));
  if (!EMAIL.test(p.email)) out.push(fieldIssue(p.names.email, 'validation.registrant.emailRequired'));
  need('address1', 'validation.registrant.addressRequired');
  for (const f of ['address1', 'address2', 'address3', 'city', 'state'] as const) {
    if (p[f].length > 255) out.push(fieldIssue(p.names[f], 'validation.registrant.tooLong'));
  }
  need('city', 'validation.registrant.required');
  if (p.postcode.length > 16) out.push(fieldIssue(p.names.postcode, 'validation.registrant.postcodeTooLong'));
  if (!/^[A-Z]{2}$/.test(p.country)) out.push(fieldIssue(p.names.country, 'validation.registrant.countryRequired'));
  if (!PHONE.test(p.phone)) out.push(fieldIssue(p.names.phone, 'validation.registrant.phoneRequired'));
  return out;
}

/** Problems with a contact handle (3–16 characters, RFC 5730 clIDType). */
export function validateContactId(id: string, field: string): FieldIssue[] {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{2,15}$/.test(id) ? [] : [fieldIssue(field, 'validation.registrant.contactId')];
}
