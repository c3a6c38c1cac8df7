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

/**
 * Checkout: terms (where the brand requires them) and minimum age. WHMCS passes no terms flag to this hook; the
 * connector adds `accepttos` (true/false) from the checkout form. A checkout that does not report it is refused with
 * its own message ("not reported"), apart from "not accepted": an order's acceptance must be on record (MS-2 / SP-3).
 */
export const validateCheckoutConsent = onHook('ShoppingCartValidateCheckout', (ctx) => {
  const required = ctx.profile.consent.requireTermsAtCheckout;
  if (required && ctx.vars.accepttos === undefined) {
    const errors = [ctx.t('consent.validation.termsNotReported'), ...consentErrors(ctx, ctx.vars, false)];
    return { errors, data: { terms: 'not-reported' } };
  }
  const errors = consentErrors(ctx, ctx.vars, true);
  return errors.length ? { errors } : undefined;
}, { check: checkShownVersions });

/**
 * Client details. Without userid (the connector adds the logged-in client) it is a registration: terms where the
 * form reported them (`accepttos` false refuses; absent — the admin area, the API — is not a refusal and the answer
 * says `terms: 'not-reported'`) and age. With userid it is an existing client's edit: only the age.
 */
export const validateDetailsConsent = onHook('ClientDetailsValidation', (ctx) => {
  const registration = ctx.vars.userid === undefined;
  const errors = consentErrors(ctx, ctx.vars, registration && ctx.vars.accepttos !== undefined);
  const data = registration && ctx.vars.accepttos === undefined ? { terms: 'not-reported' } : undefined;
  if (errors.length) return { errors, ...(data ? { data } : {}) };
  return data ? { data } : undefined;
}, { check: checkShownVersions });
