/** Stable contact handles and forwarding addresses from keyed hashes (nothing personal can be read back from them). */
import type { Kernel } from '../../../core/kernel';
import type { ContactRole } from '../../registrars/contract';

/** The handle of a role's contact for a domain: 16 characters, the same every time for the same brand, domain and role. */
export function contactHandle(kernel: Kernel, brandId: number, domain: string, role: ContactRole, kind: 'own' | 'privacy'): string {
  const h = kernel.keyring.blindIndex(`${brandId}:${domain.toLowerCase()}:${role}:${kind}`, 'registrant-contact');
  return `${kind === 'own' ? 'RC' : 'PP'}${h.slice(0, 14).toUpperCase()}`;
}

/** The per-domain, per-role anonymised forwarding address of the privacy service. */
export function forwardingAddress(kernel: Kernel, brandId: number, domain: string, role: ContactRole, emailDomain: string): string {
  return `${kernel.keyring.blindIndex(`${brandId}:${domain.toLowerCase()}:${role}`, 'registrant-forward').slice(0, 24)}@${emailDomain}`;
}
