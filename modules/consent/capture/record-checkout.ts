/** AfterShoppingCartCheckout: terms acceptance and marketing choice at order time, bound to the version shown. */
import { onHook } from '../../../core/modules/define-module';
import { clientSubjectId, consentContextOf } from './hook-context';
import { recordMarketingChoice } from './marketing-choice';
import { recordGpcSignal, recordTermsAcceptance } from './record-terms';
import { checkShownVersions } from './shown-version';

/** Records the consents given with an order (the client must be known to the inventory). */
export const recordCheckoutConsent = onHook('AfterShoppingCartCheckout', async (ctx) => {
  const subjectId = await clientSubjectId(ctx, ctx.vars.userid);
  if (subjectId === undefined) return { data: { consent: 'subject-unknown' } };
  const c = consentContextOf(ctx);
  const terms = ctx.vars.accepttos === true ? await recordTermsAcceptance(c, subjectId, ctx.call.locale, 'checkout', false, ctx.vars.terms_version_shown) : undefined;
  const marketing = await recordMarketingChoice(c, subjectId, ctx.vars, 'checkout', false);
  if (ctx.call.gpc) await recordGpcSignal(c, subjectId, 'checkout');
  return { data: { consent: { terms: terms?.version ?? null, marketing } } };
}, { check: checkShownVersions });
