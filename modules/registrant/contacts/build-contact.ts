/** Turns a validated WHMCS person into a registry contact (`int` postal info for 7-bit ASCII, else `loc`). */
import type { RegistryContact } from '../../registrars/contract';
import type { WhmcsPerson } from './whmcs-person';

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7F]*$/;

/** The registry contact for `p` under handle `id` (disclose flags are set by the caller). */
export function buildContact(p: WhmcsPerson, id: string): RegistryContact {
  const street = [p.address1, p.address2, p.address3].filter((s) => s !== '');
  const c: RegistryContact = {
    id, name: `${p.firstname} ${p.lastname}`, street, city: p.city, cc: p.country, voice: p.phone, email: p.email, postalType: 'int',
  };
  if (p.companyname) c.org = p.companyname;
  if (p.state) c.sp = p.state;
  if (p.postcode) c.pc = p.postcode;
  const postal = [c.name, c.org ?? '', ...street, c.city, c.sp ?? '', c.pc ?? ''].join('');
  c.postalType = ASCII.test(postal) ? 'int' : 'loc';
  return c;
}
