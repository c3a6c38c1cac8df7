/**
 * Which registered transfer a rights email goes out under: the brand's recipient 'email' for the purpose 'service'
 * (or 'legal', the only purpose a restricted subject's data may still serve, SP-5.1). A brand without that recipient
 * cannot send codes or reminders: SUITE_RIGHTS_EMAIL_UNAVAILABLE (422), before anything is written.
 */
import { SuiteError } from '../../../core/errors';
import type { PrivacyProfile } from '../../../core/profile/schema';

/** The recipient code rights emails are sent to (the mail relay). */
export const MAIL_RECIPIENT = 'email';

/** The outbox recipient and purpose for a rights email, and whether it may name the subject (disclosure log). */
export interface MailTransfer { recipient: string; purpose: 'service' | 'legal'; linkSubject: boolean }

function registered(profile: PrivacyProfile, purpose: string): boolean {
  const r = profile.recipients.find((x) => x.code === MAIL_RECIPIENT);
  return Boolean(r && r.purposes.includes(purpose) && profile.purposes.some((p) => p.code === purpose));
}

/**
 * The transfer for an email about a request. `restricted`: the subject's processing is restricted, so the email goes
 * under 'legal' when registered, else under 'service' without naming the subject (it only goes to the address the
 * person typed, about their own request).
 */
export function mailTransfer(profile: PrivacyProfile, opts: { restricted?: boolean; prefer?: 'service' | 'legal' } = {}): MailTransfer {
  const service = registered(profile, 'service');
  const legal = registered(profile, 'legal');
  if (!service && !legal) throw new SuiteError('SUITE_RIGHTS_EMAIL_UNAVAILABLE', { brand: profile.controller?.name ?? '' });
  if (opts.restricted) return legal ? { recipient: MAIL_RECIPIENT, purpose: 'legal', linkSubject: true } : { recipient: MAIL_RECIPIENT, purpose: 'service', linkSubject: false };
  if (opts.prefer === 'legal' && legal) return { recipient: MAIL_RECIPIENT, purpose: 'legal', linkSubject: true };
  return service ? { recipient: MAIL_RECIPIENT, purpose: 'service', linkSubject: true } : { recipient: MAIL_RECIPIENT, purpose: 'legal', linkSubject: true };
}
