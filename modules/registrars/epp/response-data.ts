/** Reads the resData of domain and contact responses into the contract's shapes. */
import type { ContactRole, RegistryContact } from '../contract';
import { at, attr, list, text, type XmlValue } from './xml-parse';

/** What <domain:infData> says. */
export interface DomainInfData {
  name: string;
  status: string[];
  registrant?: string;
  contacts: Partial<Record<ContactRole, string>>;
  nameservers: string[];
  clID?: string;
  exDate?: string;
  authPw?: string;
}

/** Parses <domain:infData>. */
export function readDomainInfo(resData: XmlValue | undefined): DomainInfData {
  const inf = at(resData, 'infData');
  const contacts: Partial<Record<ContactRole, string>> = {};
  const registrant = text(at(inf, 'registrant'));
  if (registrant) contacts.registrant = registrant;
  for (const c of list(at(inf, 'contact'))) {
    const type = attr(c, 'type') as ContactRole | undefined;
    const id = text(c);
    if (type && id && ['admin', 'tech', 'billing'].includes(type)) contacts[type] = id;
  }
  const ns = at(inf, 'ns');
  const nameservers = [...list(at(ns, 'hostObj')).map((h) => text(h)), ...list(at(ns, 'hostAttr')).map((h) => text(at(h, 'hostName')))]
    .filter((h): h is string => Boolean(h)).map((h) => h.toLowerCase());
  return {
    name: text(at(inf, 'name')) ?? '',
    status: list(at(inf, 'status')).map((s) => attr(s, 's')).filter((s): s is string => Boolean(s)),
    registrant,
    contacts,
    nameservers,
    clID: text(at(inf, 'clID')),
    exDate: text(at(inf, 'exDate')),
    authPw: text(at(inf, 'authInfo', 'pw')) || undefined,
  };
}

/** Parses <contact:infData> (the int postal info preferred, loc otherwise). */
export function readContactInfo(resData: XmlValue | undefined): RegistryContact {
  const inf = at(resData, 'infData');
  const infos = list(at(inf, 'postalInfo'));
  const pi = infos.find((p) => attr(p, 'type') === 'int') ?? infos[0];
  const addr = at(pi, 'addr');
  const flagOf = (v: XmlValue | undefined) => attr(v, 'flag');
  const disclose = at(inf, 'disclose');
  const contact: RegistryContact = {
    id: text(at(inf, 'id')) ?? '',
    name: text(at(pi, 'name')) ?? '',
    org: text(at(pi, 'org')) || undefined,
    street: list(at(addr, 'street')).map((s) => text(s) ?? '').filter(Boolean),
    city: text(at(addr, 'city')) ?? '',
    sp: text(at(addr, 'sp')) || undefined,
    pc: text(at(addr, 'pc')) || undefined,
    cc: text(at(addr, 'cc')) ?? '',
    voice: text(at(inf, 'voice')) || undefined,
    fax: text(at(inf, 'fax')) || undefined,
    email: text(at(inf, 'email')) ?? '',
    postalType: attr(pi, 'type') === 'loc' ? 'loc' : 'int',
  };
  if (disclose !== undefined) {
    const flag = flagOf(disclose) === '1' || flagOf(disclose) === 'true';
    contact.disclose = {};
    for (const k of ['name', 'org', 'addr', 'voice', 'fax', 'email'] as const) if (at(disclose, k) !== undefined) contact.disclose[k] = flag;
  }
  return contact;
}

/** Reads exDate from creData/renData. */
export function readExDate(resData: XmlValue | undefined, kind: 'creData' | 'renData'): string | undefined {
  return text(at(resData, kind, 'exDate'));
}

/** Reads trStatus from trnData. */
export function readTransferStatus(resData: XmlValue | undefined): string | undefined {
  return text(at(resData, 'trnData', 'trStatus'));
}
