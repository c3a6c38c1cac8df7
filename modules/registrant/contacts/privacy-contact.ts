/** The brand's privacy-service contact for one domain and role, with its anonymised forwarding address (WSM-17). */
import type { Kernel } from '../../../core/kernel';
import type { ContactRole, RegistryContact } from '../../registrars/contract';
import type { PrivacyService } from '../settings';
import { contactHandle, forwardingAddress } from './contact-id';
import { privacyDisclose } from './disclose';

/** The proxy contact published instead of the customer's. */
export function privacyContact(kernel: Kernel, brandId: number, domain: string, role: ContactRole, svc: PrivacyService): RegistryContact {
  const c: RegistryContact = {
    id: contactHandle(kernel, brandId, domain, role, 'privacy'), name: svc.name, org: svc.org, street: [...svc.street], city: svc.city, cc: svc.cc,
    voice: svc.voice, email: forwardingAddress(kernel, brandId, domain, role, svc.emailDomain), postalType: 'int', disclose: privacyDisclose(),
  };
  if (svc.sp) c.sp = svc.sp;
  if (svc.pc) c.pc = svc.pc;
  return c;
}
