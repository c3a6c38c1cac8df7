/** The signed endpoints' guard: a brand whose register has no transfer to a registrar gets 422 before anything is written. */
import { requireTransfer } from '../../../core/registers/processing-register';
import type { PrivacyProfile } from '../../../core/profile/schema';

/** Throws SUITE_RECIPIENT_UNKNOWN / SUITE_PURPOSE_* (422) unless the profile registers recipient `registrar` for `domain-registration`. */
export function requireRegistrarTransfer(profile: PrivacyProfile): void {
  requireTransfer(profile, 'registrar', 'domain-registration');
}
