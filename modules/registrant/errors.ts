/** registrant's coded errors and their HTTP statuses (a public contract): declared in the definition, registered at load. */
import type { ModuleErrors } from '../../core/errors';

export const REGISTRANT_ERRORS = {
  /** A `lift` decision on a reveal request that is not suspended. */
  SUITE_REVEAL_NOT_SUSPENDED: 409,
} as const satisfies ModuleErrors;

type RegistrantErrorCodes = typeof REGISTRANT_ERRORS;

declare module '../../core/errors' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds the registrant module's codes to the catalogue's type
  interface ErrorCodes extends RegistrantErrorCodes {}
}
