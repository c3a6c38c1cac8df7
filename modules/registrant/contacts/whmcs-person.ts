/** Reads one person (the registrant set or the admin* set) out of WHMCS registrar `$params`. */

/** A person as WHMCS describes them, with the `params.*` name of each field for error messages. */
export interface WhmcsPerson {
  source: 'registrant' | 'admin';
  firstname: string; lastname: string; companyname: string; email: string;
  address1: string; address2: string; address3: string; city: string; state: string; postcode: string;
  country: string; phone: string;
  /** Field → the WHMCS parameter it came from (e.g. phone → params.adminfullphonenumber). */
  names: Record<string, string>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** WHMCS parameter names per field, for the registrant set ('') and the admin set ('admin'). */
function paramNames(prefix: '' | 'admin'): Record<string, string> {
  const n = (f: string) => `params.${prefix}${f}`;
  return {
    firstname: n('firstname'), lastname: n('lastname'), companyname: n('companyname'), email: n('email'), address1: n('address1'),
    address2: n('address2'), address3: n('address3'), city: n('city'), state: n('state'), postcode: n('postcode'),
    country: prefix ? 'params.admincountry' : 'params.countrycode', phone: n('fullphonenumber'),
  };
}

/** The person of one set; `undefined` for the admin set when WHMCS sent none of it. */
export function personOf(params: Record<string, unknown>, source: 'registrant' | 'admin'): WhmcsPerson | undefined {
  const prefix = source === 'admin' ? 'admin' : '';
  const get = (f: string) => str(params[`${prefix}${f}`]);
  if (source === 'admin' && !get('firstname') && !get('lastname') && !get('email')) return undefined;
  return {
    source, firstname: get('firstname'), lastname: get('lastname'), companyname: get('companyname'), email: get('email'),
    address1: get('address1'), address2: get('address2'), address3: get('address3'), city: get('city'), state: get('state'), postcode: get('postcode'),
    country: (source === 'admin' ? get('country') || str(params.admincountrycode) : get('countrycode') || str(params.country)).toUpperCase(),
    phone: get('fullphonenumber'), names: paramNames(prefix),
  };
}

/** Whether two sets describe the same person (the consent of the registrant then covers both). */
export function samePerson(a: WhmcsPerson, b: WhmcsPerson): boolean {
  const keys: (keyof WhmcsPerson)[] = ['firstname', 'lastname', 'companyname', 'email', 'address1', 'city', 'postcode', 'country', 'phone'];
  return keys.every((k) => String(a[k]).toLowerCase() === String(b[k]).toLowerCase());
}
