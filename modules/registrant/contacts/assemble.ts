/**
 * Contact assembly (WSM-2): WHMCS registrar `$params` → the contacts a registry takes for the TLD, validated against
 * EPP limits, with privacy (WSM-17) and consent to publish applied. Throws SUITE_VALIDATION_FAILED naming the fields.
 */
import { validationError, fieldIssue, type FieldIssue } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { ContactRole, DomainContacts, RegistryContact } from '../../registrars/contract';
import type { RegistrantSettings } from '../settings';
import { buildContact } from './build-contact';
import { contactHandle } from './contact-id';
import { ownDisclose, type PublishField } from './disclose';
import { privacyContact } from './privacy-contact';
import { normaliseTld, rolesFor } from './tld-policy';
import { validateContactId, validatePerson } from './validate-contact';
import { personOf, samePerson, type WhmcsPerson } from './whmcs-person';

/** What assembly produced: the contacts to send, the customer's real ones (held for escrow), and how privacy applied. */
export interface AssembledContacts {
  domain: string;
  roles: ContactRole[];
  /** What the registry receives (privacy contacts when ID protection is on). */
  send: DomainContacts;
  /** The customer's own contacts (the same as `send` when privacy is off). */
  real: DomainContacts;
  idProtection: boolean;
  /** True when ID protection is on but the brand has no privacy-service contact: the own data goes with every flag 0. */
  privacyFallback: boolean;
}

/** Inputs besides the params: the brand, its settings and the fields the registrant consented to publish. */
export interface AssembleInput { kernel: Kernel; brandId: number; settings: RegistrantSettings; consented: readonly PublishField[]; idProtection?: boolean }

/** The domain name of the params (`sld` + `tld`), lower-cased. */
export function domainOf(params: Record<string, unknown>): string {
  return `${String(params.sld ?? '').trim().toLowerCase()}${normaliseTld(String(params.tld ?? ''))}`;
}

/** Whether WHMCS says ID protection is on (`idprotection` true/1/"on"). */
export function idProtectionOf(params: Record<string, unknown>): boolean {
  const v = params.idprotection;
  return v === true || v === 1 || v === '1' || v === 'on' || v === 'true' || v === 'yes';
}

function hideAll(c: RegistryContact): RegistryContact {
  return { ...c, disclose: { name: false, org: false, addr: false, voice: false, fax: false, email: false } };
}

/** Builds and validates the contacts for a domain's params. */
export function assembleContacts(params: Record<string, unknown>, input: AssembleInput): AssembledContacts {
  const { kernel, brandId, settings } = input;
  const domain = domainOf(params);
  const issues: FieldIssue[] = [];
  if (!/^[a-z0-9-]{1,63}$/.test(String(params.sld ?? '').trim().toLowerCase().replace(/^xn--/, 'xn-'))) issues.push(fieldIssue('params.sld', 'validation.registrant.domainLabel'));
  const roles = rolesFor(settings, String(params.tld ?? ''));
  const registrant = personOf(params, 'registrant')!;
  const admin = personOf(params, 'admin') ?? registrant;
  const personFor = (r: ContactRole): WhmcsPerson => (r === 'registrant' ? registrant : admin);
  const checked = new Set<WhmcsPerson>();
  for (const r of roles) {
    const p = personFor(r);
    if (!checked.has(p)) issues.push(...validatePerson(p));
    checked.add(p);
  }
  if (issues.length) throw validationError(issues);
  const idProtection = input.idProtection ?? idProtectionOf(params);
  const svc = settings.privacyService;
  const send: DomainContacts = {};
  const real: DomainContacts = {};
  for (const r of roles) {
    const p = personFor(r);
    const id = contactHandle(kernel, brandId, domain, r, 'own');
    const idIssues = validateContactId(id, `contacts.${r}.id`);
    if (idIssues.length) throw validationError(idIssues);
    const consented = p === registrant || samePerson(p, registrant) ? input.consented : [];
    const own = { ...buildContact(p, id), disclose: ownDisclose(Boolean(p.companyname), consented) };
    real[r] = own;
    if (!idProtection) send[r] = own;
    else send[r] = svc ? privacyContact(kernel, brandId, domain, r, svc) : hideAll(own);
  }
  return { domain, roles, send, real, idProtection, privacyFallback: idProtection && !svc };
}
