/** Builds the registrar module `params` WHMCS passes (spec/whmcs/registrar-params.json) from a platform domain and its client. */
import type { PersonalDetails } from './schemas';
import type { DomainRecord } from './store';

/** Country calling codes for the countries the demo and tests use; others fall back to a `+CC.` prefix in the number. */
const CALLING_CODES: Record<string, string> = {
  GB: '44', US: '1', CA: '1', DE: '49', FR: '33', ES: '34', IT: '39', NL: '31', BE: '32', AT: '43', CH: '41', IE: '353', PT: '351',
  SE: '46', NO: '47', DK: '45', FI: '358', PL: '48', CZ: '420', RU: '7', UA: '380', AU: '61', NZ: '64', JP: '81', IN: '91', BR: '55', AE: '971', SA: '966', EG: '20',
};

function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Splits a phone number into WHMCS's phonecc and `+CC.NUMBER` fullphonenumber. */
export function phoneParts(phone: string | undefined, country: string | undefined): { phonecc: string; fullphonenumber: string } {
  if (!phone) return { phonecc: CALLING_CODES[country ?? ''] ?? '', fullphonenumber: '' };
  const explicit = /^\+(\d{1,3})[.\s-]?(.*)$/.exec(phone.trim());
  const cc = explicit ? explicit[1] : CALLING_CODES[country ?? ''] ?? '';
  const digits = (explicit ? explicit[2] : phone).replace(/\D/g, '').replace(/^0+/, '');
  return { phonecc: cc, fullphonenumber: cc ? `+${cc}.${digits}` : digits };
}

/** The registrant and admin contact block for `params` (WHMCS fills admin from the client unless told otherwise). */
function contactBlock(c: PersonalDetails, prefix: '' | 'admin'): Record<string, unknown> {
  const { phonecc, fullphonenumber } = phoneParts(c.phonenumber, c.country);
  const block: Record<string, unknown> = {
    firstname: c.firstname, lastname: c.lastname, fullname: `${c.firstname} ${c.lastname}`, companyname: c.companyname ?? '', email: c.email,
    address1: c.address1 ?? '', address2: c.address2 ?? '', city: c.city ?? '', state: c.state ?? '', fullstate: c.state ?? '', postcode: c.postcode ?? '',
    phonenumber: c.phonenumber ?? '', fullphonenumber,
  };
  if (prefix === '') Object.assign(block, { countrycode: c.country ?? '', countryname: c.country ? countryName(c.country) : '', phonecc, additionalfields: {} });
  else block.country = c.country ?? '';
  return Object.fromEntries(Object.entries(block).map(([k, v]) => [`${prefix}${k}`, v]));
}

/** The full `params` array for a registration of `domain` owned by a client with `details`. */
export function registrarParams(domain: DomainRecord, details: PersonalDetails, nameservers: string[]): Record<string, unknown> {
  const dot = domain.name.indexOf('.');
  const sld = domain.name.slice(0, dot);
  const tld = domain.name.slice(dot + 1);
  const ns = Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`ns${i}`, nameservers[i - 1] ?? '']));
  const isIdn = /(^|\.)xn--/.test(domain.name);
  return {
    userid: domain.clientId, domainid: domain.id, sld, tld, regperiod: domain.regperiod,
    ...ns,
    ...contactBlock(details, ''),
    ...contactBlock(details, 'admin'),
    dnsmanagement: false, emailforwarding: false, idprotection: domain.idprotection,
    premiumEnabled: false,
    idnlanguage: '', domain_punycode: domain.name, sld_punycode: sld, tld_punycode: tld, is_idn: isIdn,
  };
}
