/** The purpose and recipient registers of a brand (MS-3, MS-5.1), read from its privacy profile so code and policy cannot drift. */
import { SuiteError } from '../errors';
import type { Purpose, Recipient, PrivacyProfile } from '../profile/schema';

/** Looks up a purpose in the profile's register, or throws SUITE_PURPOSE_UNKNOWN. */
export function requirePurpose(profile: PrivacyProfile, code: string): Purpose {
  if (code === 'sale') throw new SuiteError('SUITE_SALE_FORBIDDEN', {});
  const p = profile.purposes.find((x) => x.code === code);
  if (!p) throw new SuiteError('SUITE_PURPOSE_UNKNOWN', { purpose: code });
  return p;
}

/** Checks that a transfer to `recipient` for `purpose` is registered; returns the recipient. */
export function requireTransfer(profile: PrivacyProfile, recipientCode: string, purposeCode: string): Recipient {
  requirePurpose(profile, purposeCode);
  const r = profile.recipients.find((x) => x.code === recipientCode);
  if (!r) throw new SuiteError('SUITE_RECIPIENT_UNKNOWN', { recipient: recipientCode });
  if (!r.purposes.includes(purposeCode)) throw new SuiteError('SUITE_PURPOSE_NOT_ALLOWED', { recipient: recipientCode, purpose: purposeCode });
  return r;
}
