/** consent's coded errors and their HTTP statuses (a public contract): declared in the definition, registered at load. */
import type { ModuleErrors } from '../../core/errors';

export const CONSENT_ERRORS = {
  SUITE_POLICY_NOT_REJECTABLE: 409,
} as const satisfies ModuleErrors;

type ConsentErrorCodes = typeof CONSENT_ERRORS;

declare module '../../core/errors' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds the consent module's codes to the catalogue's type
  interface ErrorCodes extends ConsentErrorCodes {}
}
