/** NewsletterSignup (suite-only): marketing consent per channel at a newsletter sign-up, bound to the privacy policy version shown (MS-2 / SP-3). */
import { onHook } from '../../../core/modules/define-module';
import type { ConsentContext } from '../marketing/consent-context';
import { setPreference } from '../marketing/preferences';
import { clientSubjectId, consentContextOf } from './hook-context';
import { checkShownVersions, shownDocument } from './shown-version';

/** Records the sign-up for every channel asked for that the brand offers (double opt-in where the brand asks). */
export const recordNewsletterSignup = onHook('NewsletterSignup', async (ctx) => {
  const subjectId = await clientSubjectId(ctx, ctx.vars.userid);
  if (subjectId === undefined) return { data: { consent: 'subject-unknown' } };
  const c: ConsentContext = consentContextOf(ctx);
  const privacy = await shownDocument(c.trx, c.brand.id, 'privacy', ctx.vars.privacy_version_shown, ctx.call.locale, c.profile.locale);
  const newsletter: Record<string, string> = {};
  for (const channel of ctx.vars.channels) {
    if (!c.profile.consent.channels.includes(channel)) {
      newsletter[channel] = 'channel-off';
      continue;
    }
    const r = await setPreference(c, subjectId, channel, 'given', { method: 'checkbox', collectionPoint: 'newsletter', documentId: privacy?.id });
    newsletter[channel] = r.state;
  }
  return { data: { consent: { newsletter, privacy: privacy?.version ?? null } } };
}, { check: checkShownVersions });
