/** rights' coded errors and their HTTP statuses (a public contract): declared in the definition, registered at load. */
import type { ModuleErrors } from '../../core/errors';

export const RIGHTS_ERRORS = {
  SUITE_RIGHTS_REQUEST_UNKNOWN: 404,
  SUITE_RIGHTS_REQUEST_CLOSED: 409,
  SUITE_RIGHTS_NOT_VERIFIED: 409,
  SUITE_RIGHTS_PROCESSOR_ONLY: 403,
  SUITE_RIGHTS_WRONG_STATE: 409,
  SUITE_RIGHTS_CODE_INVALID: 401,
  SUITE_RIGHTS_EXPORT_GONE: 410,
  SUITE_RIGHTS_SUBJECT_REQUIRED: 422,
  SUITE_RIGHTS_EMAIL_UNAVAILABLE: 422,
  SUITE_RIGHTS_PROCESSOR_KEY: 403,
  SUITE_RIGHTS_NOT_A_MINOR: 409,
  SUITE_RIGHTS_NOT_RESTRICTED: 409,
  SUITE_RIGHTS_SUBJECT_ERASED: 409,
  SUITE_RIGHTS_DISCLOSURE_UNKNOWN: 404,
  SUITE_RIGHTS_FOUR_EYES: 403,
  SUITE_RIGHTS_CATEGORY_NOT_REGISTERED: 422,
  SUITE_RIGHTS_RECIPIENT_KIND: 422,
  SUITE_RIGHTS_NOTHING_TO_EXPORT: 422,
} as const satisfies ModuleErrors;

type RightsErrorCodes = typeof RIGHTS_ERRORS;

declare module '../../core/errors' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds the rights module's codes to the catalogue's type
  interface ErrorCodes extends RightsErrorCodes {}
}
