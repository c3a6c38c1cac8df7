/** ClientAdd: terms acceptance and the marketing choice at registration (or the brand's default), bound to the version shown. */
import { onHook } from '../../../core/modules/define-module';
import { clientSubjectId, consentContextOf } from './hook-context';
import { recordMarketingChoice } from './marketing-choice';
import { recordGpcSignal, recordTermsAcceptance } from './record-terms';
import { checkShownVersions } from './shown-version';
import { stampPolicyVersion } from './stamp-policy-version';

/** Records the consents a new client gave at registration. Runs after the inventory has recorded the client. */
export const recordRegistrationConsent = onHook('ClientAdd', async (ctx) => {
  const subjectId = await clientSubjectId(ctx, ctx.vars.client_id ?? ctx.vars.userid);
  if (subjectId === undefined) return { data: { consent: 'subject-unknown' } };
  const c = consentContextOf(ctx);
  const terms = ctx.vars.accepttos === true ? await recordTermsAcceptance(c, subjectId, ctx.call.locale, 'registration', false, ctx.vars.terms_version_shown) : undefined;
  const marketing = await recordMarketingChoice(c, subjectId, ctx.vars, 'registration', true);
  if (ctx.call.gpc) await recordGpcSignal(c, subjectId, 'registration');
  await stampPolicyVersion(c, subjectId, ctx.call.locale);
  return { data: { consent: { terms: terms?.version ?? null, marketing } } };
}, { check: checkShownVersions });
