/**
 * ShoppingCartValidateCheckout / ClientDetailsValidation: refuse when the brand requires terms acceptance and none was
 * given, or when the person is under the brand's minimum age (WSM-22), with errors in the person's language. A policy
 * version the page says it showed that does not exist refuses the call (400 naming the variable, MS-2 / SP-3).
 */
import { onHook, type HookHandlerContext } from '../../../core/modules/define-module';
import type { HookName } from '../../../hooks/catalogue';
import { ageOn } from '../../../core/subjects/age';
import { checkShownVersions } from './shown-version';

/** The validation errors for a terms flag and a date of birth under the brand's consent settings. */
export function consentErrors(ctx: HookHandlerContext<HookName>, v: { accepttos?: boolean; date_of_birth?: string }, termsRequired: boolean): string[] {
  const errors: string[] = [];
  if (termsRequired && ctx.profile.consent.requireTermsAtCheckout && v.accepttos !== true) errors.push(ctx.t('consent.validation.termsRequired'));
  if (v.date_of_birth !== undefined && v.date_of_birth !== '') {
    const age = ageOn(v.date_of_birth);
    const min = ctx.profile.consent.minimumAge;
    if (age === undefined) errors.push(ctx.t('consent.validation.dateOfBirthInvalid'));
    else if (age < min) errors.push(ctx.t('consent.validation.underAge', { age: min }));
  }
  return errors;
}

/** Checkout: terms (where the brand requires them) and minimum age. */
export const validateCheckoutConsent = onHook('ShoppingCartValidateCheckout', (ctx) => {
  const errors = consentErrors(ctx, ctx.vars, true);
  return errors.length ? { errors } : undefined;
}, { check: checkShownVersions });

/** Client details: at registration (no userid yet) terms and age; on a later edit of an existing client only the age. */
export const validateDetailsConsent = onHook('ClientDetailsValidation', (ctx) => {
  const errors = consentErrors(ctx, ctx.vars, ctx.vars.userid === undefined);
  return errors.length ? { errors } : undefined;
}, { check: checkShownVersions });
