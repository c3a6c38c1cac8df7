/** retention's coded errors and their HTTP statuses (a public contract): declared in the definition, registered at load. */
import type { ModuleErrors } from '../../core/errors';

export const RETENTION_ERRORS = {
  SUITE_RETENTION_BUSY: 409,
  SUITE_RETENTION_RULE_UNKNOWN: 404,
  SUITE_RETENTION_RULE_INVALID: 409,
  SUITE_RETENTION_DRY_RUN_MISMATCH: 409,
  SUITE_RETENTION_HOLD_UNKNOWN: 404,
  SUITE_RETENTION_HOLD_RELEASED: 409,
} as const satisfies ModuleErrors;

type RetentionErrorCodes = typeof RETENTION_ERRORS;

declare module '../../core/errors' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds the retention module's codes to the catalogue's type
  interface ErrorCodes extends RetentionErrorCodes {}
}
