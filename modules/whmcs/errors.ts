/** whmcs's coded errors and their HTTP statuses (a public contract): declared in the definition, registered at load. */
import type { ModuleErrors } from '../../core/errors';

export const WHMCS_ERRORS = {
  /** The brand lacks a setting or variable the import needs (named in `missing`). */
  SUITE_WHMCS_NOT_CONFIGURED: 409,
  /** The import stopped (WHMCS down, refused a call); the run resumes at its cursor on the next run. */
  SUITE_WHMCS_IMPORT_FAILED: 502,
  /** Another import of the same brand is running (it holds the brand's import lease). */
  SUITE_WHMCS_IMPORT_RUNNING: 409,
} as const satisfies ModuleErrors;

type WhmcsErrorCodes = typeof WHMCS_ERRORS;

declare module '../../core/errors' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds the whmcs module's codes to the catalogue's type
  interface ErrorCodes extends WhmcsErrorCodes {}
}
