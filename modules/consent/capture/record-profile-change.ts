/** ClientEdit: a changed marketing choice in the client area (opt-out at once), and acceptance of a newer terms version. */
import { onHook } from '../../../core/modules/define-module';
import { clientSubjectId, consentContextOf } from './hook-context';
import { recordMarketingChoice } from './marketing-choice';
import { recordTermsAcceptance } from './record-terms';
import { stampPolicyVersion } from './stamp-policy-version';
import { checkShownVersions } from './shown-version';
import { isWhmcsEcho } from '../../whmcs/public';

/** Records what a profile edit changed about consent. */
export const recordProfileConsent = onHook('ClientEdit', async (ctx) => {
  // The echo of the suite's own write-back into WHMCS (modules/whmcs) is no choice of the customer's.
  if (await isWhmcsEcho(ctx)) return { data: { consent: 'whmcs-echo' } };
  const subjectId = await clientSubjectId(ctx, ctx.vars.userid);
  if (subjectId === undefined) return { data: { consent: 'subject-unknown' } };
  const c = consentContextOf(ctx);
  const terms = ctx.vars.accepttos === true ? await recordTermsAcceptance(c, subjectId, ctx.call.locale, 'profile', true, ctx.vars.terms_version_shown) : undefined;
  const marketing = await recordMarketingChoice(c, subjectId, ctx.vars, 'profile', false);
  await stampPolicyVersion(c, subjectId, ctx.call.locale);
  return { data: { consent: { terms: terms?.version ?? null, marketing } } };
}, { check: checkShownVersions });
