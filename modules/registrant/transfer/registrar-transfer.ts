/** Whether a brand's register allows handing contacts to the registrar (recipient `registrar`, purpose `domain-registration`). */
import type { PrivacyProfile } from '../../../core/profile/schema';

/** True when the profile registers the transfer; brands whose policy has no domain registration answer false. */
export function registrarTransferRegistered(profile: PrivacyProfile): boolean {
  return profile.purposes.some((p) => p.code === 'domain-registration')
    && profile.recipients.some((r) => r.code === 'registrar' && r.purposes.includes('domain-registration'));
}
