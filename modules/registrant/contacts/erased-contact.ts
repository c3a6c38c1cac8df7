/**
 * The contacts a domain gets at the registry when its holder is erased (MS-8f): the brand's privacy-service contact,
 * or, without one, a minimal anonymised contact built only from the controller's own details.
 */
import type { Kernel } from '../../../core/kernel';
import type { Controller } from '../../../core/profile/schema';
import type { ContactRole, DomainContacts, RegistryContact } from '../../registrars/contract';
import type { RegistrantSettings } from '../settings';
import { contactHandle, forwardingAddress } from './contact-id';
import { privacyContact } from './privacy-contact';

/** ICANN's Registration Data Policy placeholder for a redacted field. */
export const REDACTED = 'REDACTED FOR PRIVACY';

/**
 * Without a privacy service: name REDACTED FOR PRIVACY, the controller's address lines (or none: country only, the
 * rest the placeholder), the controller's country, a per-domain forwarding address at the controller's mail domain,
 * no phone, every field hidden. Nothing in it comes from the customer. Undefined when the controller has no country
 * or email (a registry takes no contact without a country code and an email).
 */
export function anonymisedContact(kernel: Kernel, brandId: number, domain: string, role: ContactRole, controller: Controller | undefined): RegistryContact | undefined {
  const cc = controller?.country?.toUpperCase();
  const emailDomain = controller?.email.split('@')[1];
  if (!cc || !emailDomain) return undefined;
  const lines = (controller?.address ?? '').split(/[\n,]/).map((l) => l.trim()).filter(Boolean).slice(0, 3);
  const street = lines.length ? lines : [REDACTED];
  return {
    id: contactHandle(kernel, brandId, domain, role, 'privacy'), name: REDACTED, street, city: REDACTED, cc,
    email: forwardingAddress(kernel, brandId, domain, role, emailDomain),
    // eslint-disable-next-line no-control-regex
    postalType: /^[\x00-\x7f]*$/.test(street.join('')) ? 'int' : 'loc',
    disclose: { name: false, org: false, addr: false, voice: false, fax: false, email: false },
  };
}

/** The erased holder's replacement contacts for every role the domain has, under their own handles; undefined when none can be built. */
export function erasedContacts(kernel: Kernel, brandId: number, domain: string, roles: ContactRole[], settings: RegistrantSettings, controller: Controller | undefined): DomainContacts | undefined {
  const out: DomainContacts = {};
  for (const role of roles) {
    const c = settings.privacyService ? privacyContact(kernel, brandId, domain, role, settings.privacyService) : anonymisedContact(kernel, brandId, domain, role, controller);
    if (!c) return undefined;
    // Under the holder's own handle, so the registry overwrites the record that held their data (no orphan left behind).
    out[role] = { ...c, id: contactHandle(kernel, brandId, domain, role, 'own') };
  }
  return out;
}
