/**
 * ContactDetailsValidation: a contact (or sub-account) is being added or changed. Terms are the account holder's, not a
 * contact's, so only the minimum age applies (WSM-22), where the form posts a date of birth; errors in the person's
 * language.
 */
import { onHook } from '../../../core/modules/define-module';
import { consentErrors } from '../capture/validate-checkout';

export const validateContactDetailsConsent = onHook('ContactDetailsValidation', (ctx) => {
  const errors = consentErrors(ctx, ctx.vars, false);
  return errors.length ? { errors } : undefined;
});
