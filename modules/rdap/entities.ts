/** The registrant and tech entities (jCard, RFC 7095) formatted from the published view, with RFC 9537 `redacted` entries. */
import type { ContactView, Shown } from './registration-view';
import { emptyValue, entityPath, removal, replacement, telPath, vcardPath, type Redaction } from './redaction';

type VcardProperty = [string, Record<string, unknown>, string, unknown];

/** An RDAP entity as this module answers it. */
export interface RdapEntity { objectClassName: 'entity'; handle?: string; roles: string[]; vcardArray: ['vcard', VcardProperty[]] }

const ROLE_NAME: Record<'registrant' | 'tech', string> = { registrant: 'Registrant', tech: 'Tech' };
export const RDAP_ROLE: Record<'registrant' | 'tech', string> = { registrant: 'registrant', tech: 'technical' };

function tel(type: 'voice' | 'fax', number: string): VcardProperty {
  return ['tel', { type }, 'uri', `tel:${number}`];
}

const valueOr = <T>(s: Shown<T>, empty: T): T => (s.redacted ? empty : s.value);

/**
 * One contact as an entity: published values in place; redacted ones removed (handle, organisation, phone, fax),
 * emptied (name, street, city, postal code) or replaced (email), each named in the returned `redacted` entries.
 */
export function contactEntity(v: ContactView): { entity: RdapEntity; redacted: Redaction[] } {
  const R = ROLE_NAME[v.role];
  const at = RDAP_ROLE[v.role];
  const redacted: Redaction[] = [];
  const entity: RdapEntity = { objectClassName: 'entity', roles: [at], vcardArray: ['vcard', []] };
  if (v.handle.redacted) redacted.push(removal(`Registry ${R} ID`, `${entityPath(at)}.handle`));
  else entity.handle = v.handle.value;
  const props: VcardProperty[] = [['version', {}, 'text', '4.0']];

  props.push(['fn', {}, 'text', valueOr(v.name, '')]);
  if (v.name.redacted) redacted.push(emptyValue(`${R} Name`, `${vcardPath(at, 'fn')}[3]`));

  if (v.org && !v.org.redacted) props.push(['org', {}, 'text', v.org.value]);
  else if (v.org) redacted.push(removal(`${R} Organization`, vcardPath(at, 'org')));
  if (v.kind) props.push(['kind', {}, 'text', v.kind]);
  if (v.address) {
    const a = v.address;
    const street = valueOr(a.street, ['']);
    props.push(['adr', { cc: a.cc }, 'text', ['', '', street.length === 1 ? street[0] : street, valueOr(a.city, ''), a.sp, valueOr(a.pc, ''), '']]);
    if (a.street.redacted) redacted.push(emptyValue(`${R} Street`, `${vcardPath(at, 'adr')}[3][2]`));
    if (a.city.redacted) redacted.push(emptyValue(`${R} City`, `${vcardPath(at, 'adr')}[3][3]`));
    if (a.pc.redacted) redacted.push(emptyValue(`${R} Postal Code`, `${vcardPath(at, 'adr')}[3][5]`));
  }

  for (const [type, label, value] of [['voice', 'Phone', v.voice], ['fax', 'Fax', v.fax]] as const) {
    if (!value) continue;
    if (value.redacted) redacted.push(removal(`${R} ${label}`, telPath(at, type)), removal(`${R} ${label} Ext`, telPath(at, type)));
    else props.push(tel(type, value.value));
  }

  const e = v.email;
  if (e.kind === 'own') {
    props.push(['email', {}, 'text', e.email]);
  } else if (e.kind === 'email') {
    props.push(['email', {}, 'text', e.email]);
    redacted.push(replacement(`${R} Email`, { postPath: `${vcardPath(at, 'email')}[3]` }));
  } else {
    props.push(['contact-uri', {}, 'uri', e.uri]);
    redacted.push(replacement(`${R} Email`, { prePath: vcardPath(at, 'email'), replacementPath: vcardPath(at, 'contact-uri') }));
  }
  entity.vcardArray[1] = props;
  return { entity, redacted };
}
