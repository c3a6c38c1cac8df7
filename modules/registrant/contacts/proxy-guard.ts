/**
 * A privacy (proxy) contact coming back from WHMCS is never stored as the customer's data (WSM-17). With ID protection
 * on, the registrar's GetContactDetails shows the customer the privacy service's contacts; a form saved with them
 * reaches the suite (SaveContactDetails through the wrapper, AfterRegistrarSaveContactDetails, ClientEdit). A set of
 * params (the registrant set or the admin set) that is the privacy contact is replaced by the set stored before, so
 * the real data held for escrow and the reveal workflow stays the customer's own.
 */
import type { PrivacyService } from '../settings';
import { REDACTED } from './erased-contact';
import { personOf } from './whmcs-person';

/** The WHMCS contact sections a set stands for, as the answer names what was ignored. */
export type ContactSection = 'Registrant' | 'Admin';

const SET_FIELDS = ['firstname', 'lastname', 'fullname', 'companyname', 'email', 'address1', 'address2', 'address3', 'city', 'state', 'fullstate',
  'postcode', 'countrycode', 'country', 'countryname', 'phonenumber', 'phonecc', 'fullphonenumber'] as const;

const SETS: { section: ContactSection; source: 'registrant' | 'admin'; prefix: '' | 'admin' }[] = [
  { section: 'Registrant', source: 'registrant', prefix: '' },
  { section: 'Admin', source: 'admin', prefix: 'admin' },
];

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whether one set of params is the privacy service's contact (its forwarding address, or its name with its organisation) or an erased holder's placeholder. */
export function isProxySet(params: Record<string, unknown>, source: 'registrant' | 'admin', svc: PrivacyService | undefined): boolean {
  const p = personOf(params, source);
  if (!p) return false;
  const name = `${p.firstname} ${p.lastname}`.trim();
  if (same(name, REDACTED) || same(p.firstname, REDACTED)) return true;
  if (!svc) return false;
  const at = p.email.lastIndexOf('@');
  if (at > 0 && same(p.email.slice(at + 1), svc.emailDomain)) return true;
  return same(name, svc.name) && same(p.companyname, svc.org);
}

/** The params with every proxy set replaced by the set of `previous` (the stored params; without one an admin set is dropped), and the sections ignored. */
export function keepRealContacts(params: Record<string, unknown>, previous: Record<string, unknown>, svc: PrivacyService | undefined): { params: Record<string, unknown>; ignored: ContactSection[] } {
  const out = { ...params };
  const ignored: ContactSection[] = [];
  for (const s of SETS) {
    if (!isProxySet(params, s.source, svc)) continue;
    // The registrant set with nothing stored before has no real data to keep: it is left as it came (a domain the suite never saw).
    const before = personOf(previous, s.source);
    if (s.source === 'registrant' && (!before || isProxySet(previous, s.source, svc))) continue;
    for (const f of SET_FIELDS) delete out[`${s.prefix}${f}`];
    if (before && !isProxySet(previous, s.source, svc)) {
      for (const f of SET_FIELDS) if (previous[`${s.prefix}${f}`] !== undefined) out[`${s.prefix}${f}`] = previous[`${s.prefix}${f}`];
    }
    ignored.push(s.section);
  }
  return { params: out, ignored };
}
