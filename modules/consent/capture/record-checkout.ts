/** AfterShoppingCartCheckout: terms acceptance and marketing choice at order time, bound to the version shown. */
import { onHook } from '../../../core/modules/define-module';
import { clientSubjectId, consentContextOf } from './hook-context';
import { recordMarketingChoice } from './marketing-choice';
import { recordGpcSignal, recordTermsAcceptance } from './record-terms';
import { checkShownVersions } from './shown-version';

/** Records the consents given with an order (the client must be known to the inventory). */
export const recordCheckoutConsent = onHook('AfterShoppingCartCheckout', async (ctx) => {
  // WHMCS passes no client id to this hook: the connector adds the order's client. Without it nothing can be recorded.
  if (ctx.vars.userid === undefined) {
    ctx.log.warn({ order: ctx.vars.OrderID }, 'AfterShoppingCartCheckout without userid: no consent recorded');
    return { data: { consent: 'client-not-reported', warning: 'WHMCS passes no client id to AfterShoppingCartCheckout: the connector must add userid (the order\'s client) for the order\'s consents to be recorded.' } };
  }
  const subjectId = await clientSubjectId(ctx, ctx.vars.userid);
  if (subjectId === undefined) return { data: { consent: 'subject-unknown' } };
  const c = consentContextOf(ctx);
  const terms = ctx.vars.accepttos === true ? await recordTermsAcceptance(c, subjectId, ctx.call.locale, 'checkout', false, ctx.vars.terms_version_shown) : undefined;
  const marketing = await recordMarketingChoice(c, subjectId, ctx.vars, 'checkout', false);
  if (ctx.call.gpc) await recordGpcSignal(c, subjectId, 'checkout');
  return { data: { consent: { terms: terms?.version ?? null, marketing } } };
}, { check: checkShownVersions });
