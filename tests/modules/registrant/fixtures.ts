/** Shared fixtures for the registrant tests: a brand profile with per-TLD rules and a privacy service, WHMCS params, a fake registrar. */
import type { Suite } from '../../../core/suite';
import { signHook } from '../../../core/http/signature';
import type { DomainContacts, DomainRequest, RegistrarModule, RegistrarResult } from '../../../modules/registrars/contract';
import { createBrand } from '../../helpers/test-suite';

/** The brand's registrant settings: .com takes all four contacts, .example-thin none, everything else registrant + tech. */
export const REGISTRANT_SETTINGS = {
  tlds: { '.com': { contacts: ['registrant', 'admin', 'tech', 'billing'] }, '.example-thin': { contacts: [] } },
  privacyService: { name: 'Domain Privacy Service', org: 'Test Hosting Privacy Ltd', street: ['1 Proxy Lane'], city: 'London', pc: 'EC1A 1AA', cc: 'GB', voice: '+44.2070000000', emailDomain: 'privacy.test-hosting.example' },
  reveal: { responseDays: 14 },
};

/** A provider profile with the registrar, an email provider allowed to send legal notices, and an authority for disclosures. */
export function registrantProfile(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    controller: { name: 'Test Hosting Ltd', email: 'privacy@test-hosting.example', country: 'GB' },
    recipients: [
      { code: 'registrar', name: 'Domain registrar', kind: 'registrar', purposes: ['domain-registration'], categories: ['contact', 'registration'] },
      { code: 'email', name: 'Transactional email provider', kind: 'email', purposes: ['service', 'billing', 'support', 'legal'], categories: ['contact'] },
      { code: 'authority', name: 'Complainants with a legal claim', kind: 'authority', purposes: ['legal'], categories: ['contact', 'registration'] },
    ],
    modules: { registrant: REGISTRANT_SETTINGS },
    ...extra,
  };
}

/** Creates a brand with the registrant profile; returns its hook secret. */
export function registrantBrand(suite: Suite, slug: string, extra: Record<string, unknown> = {}): Promise<string> {
  return createBrand(suite, slug, { profile: registrantProfile(extra) });
}

/** WHMCS registrar params for a domain of client `userid` (the admin set is the client's own, as WHMCS fills it). */
export function whmcsParams(userid: number, sld: string, tld: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const person = { firstname: 'Ada', lastname: 'Lovelace', companyname: '', email: `ada${userid}@example.org`, address1: '12 Analytical Row', address2: 'Flat 3', city: 'London', state: 'Greater London', postcode: 'NW1 6XE', phonenumber: '020 7946 0018', fullphonenumber: '+44.2079460018' };
  const admin = Object.fromEntries(Object.entries(person).map(([k, v]) => [`admin${k}`, v]));
  return { userid, domainid: userid * 10, sld, tld, regperiod: 1, ...person, countrycode: 'GB', phonecc: '44', ...admin, admincountry: 'GB', idprotection: false, ...extra };
}

/** POSTs a signed body to the registrant contacts endpoint. */
export async function postContacts(baseUrl: string, secret: string, body: Record<string, unknown>, signature?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const raw = JSON.stringify(body);
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${baseUrl}/api/v1/registrant/contacts`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-suite-timestamp': String(ts), 'x-suite-signature': signature ?? signHook(secret, ts, raw) }, body: raw,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A call the fake registrar received. */
export interface RegistrarCall { fn: string; domain: string; contacts?: DomainContacts; enabled?: boolean; requestId?: string }

/** The suite's own registrar interface, in memory: records calls; `failures` makes the next calls throw (registrar unreachable). */
export class FakeRegistrar implements RegistrarModule {
  readonly name = 'fake';
  readonly calls: RegistrarCall[] = [];
  readonly attempts: RegistrarCall[] = [];
  failures = 0;

  private async take<T>(call: RegistrarCall, data: T): Promise<RegistrarResult<T>> {
    this.attempts.push(call);
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('connect ECONNREFUSED registrar.test:700');
    }
    this.calls.push(call);
    return { ok: true, data };
  }

  registerDomain(req: DomainRequest) { return this.take({ fn: 'registerDomain', domain: req.domain, contacts: req.contacts }, {}); }
  transferDomain(req: DomainRequest & { authInfo: string }) { return this.take({ fn: 'transferDomain', domain: req.domain }, { status: 'pending' }); }
  renewDomain(req: { domain: string }) { return this.take({ fn: 'renewDomain', domain: req.domain }, {}); }
  getContactDetails(domain: string) { return this.take({ fn: 'getContactDetails', domain }, { contacts: {} as DomainContacts }); }
  saveContactDetails(req: { domain: string; contacts: DomainContacts; requestId?: string }) { return this.take({ fn: 'saveContactDetails', domain: req.domain, contacts: req.contacts, requestId: req.requestId }, {}); }
  idProtectToggle(req: { domain: string; enabled: boolean; contacts: DomainContacts; requestId?: string }) { return this.take({ fn: 'idProtectToggle', domain: req.domain, enabled: req.enabled, contacts: req.contacts, requestId: req.requestId }, {}); }
  getNameservers(domain: string) { return this.take({ fn: 'getNameservers', domain }, { nameservers: [] as string[] }); }
  saveNameservers(req: { domain: string }) { return this.take({ fn: 'saveNameservers', domain: req.domain }, {}); }
  setRegistrarLock(req: { domain: string }) { return this.take({ fn: 'setRegistrarLock', domain: req.domain }, {}); }
  getEppCode(domain: string) { return this.take({ fn: 'getEppCode', domain }, { eppCode: 'x' }); }
  sync(domain: string) { return this.take({ fn: 'sync', domain }, { domain, status: ['ok'] }); }
}

/** Disclosure log rows of a brand, fields parsed. */
export async function disclosures(suite: Suite, brandId: number): Promise<{ subject_id: number | null; recipient: string; purpose: string; fields: string[]; reference: string; categories: string[] }[]> {
  const rows = (await suite.kernel.db('disclosure_log').where({ brand_id: brandId }).orderBy('seq')) as Record<string, unknown>[];
  return rows.map((r) => ({ subject_id: r.subject_id === null ? null : Number(r.subject_id), recipient: String(r.recipient), purpose: String(r.purpose), fields: JSON.parse(String(r.fields)) as string[], reference: String(r.reference), categories: JSON.parse(String(r.categories)) as string[] }));
}
