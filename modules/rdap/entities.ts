/** The registrant and tech entities (jCard, RFC 7095) with the profile's redactions applied; the privacy service's in full. */
import type { RegistrationData } from '../registrant/registrant-service';
import type { ContactRole, RegistryContact } from '../registrars/contract';
import { emptyValue, entityPath, removal, replacement, telPath, vcardPath, type Redaction } from './redaction';

type VcardProperty = [string, Record<string, unknown>, string, unknown];

/** An RDAP entity as this module answers it. */
export interface RdapEntity { objectClassName: 'entity'; handle?: string; roles: string[]; vcardArray: ['vcard', VcardProperty[]] }

/** How a redacted email is replaced for one role: an anonymised address, or a contact-uri to a web form. */
export type EmailReplacement = { kind: 'email'; email: string } | { kind: 'form'; uri: string };

const ROLE_NAME: Record<'registrant' | 'tech', string> = { registrant: 'Registrant', tech: 'Tech' };
export const RDAP_ROLE: Record<'registrant' | 'tech', string> = { registrant: 'registrant', tech: 'technical' };

function tel(type: 'voice' | 'fax', number: string): VcardProperty {
  return ['tel', { type }, 'uri', `tel:${number}`];
}

function adr(c: RegistryContact, street: unknown, city: string, pc: string): VcardProperty {
  return ['adr', { cc: c.cc }, 'text', ['', '', street, city, c.sp ?? '', pc, '']];
}

function streetOf(c: RegistryContact): unknown {
  return c.street.length === 1 ? c.street[0] : [...c.street];
}

/** The privacy service's contact, published as it is (nothing personal in it). */
export function privacyEntity(role: 'registrant' | 'tech', c: RegistryContact): RdapEntity {
  const props: VcardProperty[] = [['version', {}, 'text', '4.0'], ['fn', {}, 'text', c.name]];
  if (c.org) props.push(['org', {}, 'text', c.org]);
  props.push(['kind', {}, 'text', 'org'], adr(c, streetOf(c), c.city, c.pc ?? ''));
  if (c.voice) props.push(tel('voice', c.voice));
  props.push(['email', {}, 'text', c.email]);
  return { objectClassName: 'entity', handle: c.id, roles: [RDAP_ROLE[role]], vcardArray: ['vcard', props] };
}

/**
 * The customer's own contact, redacted per the profile: ID removed, name emptied, organisation removed, street, city
 * and postal code emptied (registrant), phone and fax removed, email replaced — except exactly the consented fields.
 * State/Province and Country stay published. Returns the entity and its `redacted` entries.
 */
export function ownEntity(role: 'registrant' | 'tech', c: RegistryContact, consented: readonly string[], email: EmailReplacement): { entity: RdapEntity; redacted: Redaction[] } {
  const R = ROLE_NAME[role];
  const at = RDAP_ROLE[role];
  const shows = (f: string) => consented.includes(f);
  const redacted: Redaction[] = [removal(`Registry ${R} ID`, `${entityPath(at)}.handle`)];
  const props: VcardProperty[] = [['version', {}, 'text', '4.0']];

  props.push(['fn', {}, 'text', shows('name') ? c.name : '']);
  if (!shows('name')) redacted.push(emptyValue(`${R} Name`, `${vcardPath(at, 'fn')}[3]`));

  if (role === 'registrant') {
    if (c.org && shows('org')) props.push(['org', {}, 'text', c.org]);
    else if (c.org) redacted.push(removal('Registrant Organization', vcardPath(at, 'org')));
    props.push(['kind', {}, 'text', c.org ? 'org' : 'individual']);
    if (shows('addr')) {
      props.push(adr(c, streetOf(c), c.city, c.pc ?? ''));
    } else {
      props.push(adr(c, '', '', ''));
      redacted.push(
        emptyValue('Registrant Street', `${vcardPath(at, 'adr')}[3][2]`),
        emptyValue('Registrant City', `${vcardPath(at, 'adr')}[3][3]`),
        emptyValue('Registrant Postal Code', `${vcardPath(at, 'adr')}[3][5]`),
      );
    }
  }

  if (shows('voice') && c.voice) props.push(tel('voice', c.voice));
  else if (!shows('voice')) redacted.push(removal(`${R} Phone`, telPath(at, 'voice')), removal(`${R} Phone Ext`, telPath(at, 'voice')));
  // Fax is never consented to publish (the registrant module's publishable fields have none).
  if (role === 'registrant') redacted.push(removal('Registrant Fax', telPath(at, 'fax')), removal('Registrant Fax Ext', telPath(at, 'fax')));

  if (shows('email')) {
    props.push(['email', {}, 'text', c.email]);
  } else if (email.kind === 'email') {
    props.push(['email', {}, 'text', email.email]);
    redacted.push(replacement(`${R} Email`, { postPath: `${vcardPath(at, 'email')}[3]` }));
  } else {
    props.push(['contact-uri', {}, 'uri', email.uri]);
    redacted.push(replacement(`${R} Email`, { prePath: vcardPath(at, 'email'), replacementPath: vcardPath(at, 'contact-uri') }));
  }
  return { entity: { objectClassName: 'entity', roles: [at], vcardArray: ['vcard', props] }, redacted };
}

/** The roles an RDAP answer shows under the Registration Data Policy. */
export function shownRoles(data: RegistrationData): ('registrant' | 'tech')[] {
  return (['registrant', 'tech'] as const).filter((r: ContactRole) => data.contacts[r]);
}
