/** escrow's coded errors and their HTTP statuses (a public contract): declared in the definition, registered at load. */
import type { ModuleErrors } from '../../core/errors';

export const ESCROW_ERRORS = {
  SUITE_ESCROW_BUSY: 409,
  SUITE_ESCROW_NOT_ENABLED: 409,
  SUITE_ESCROW_DELIVERY_FAILED: 502,
} as const satisfies ModuleErrors;

type EscrowErrorCodes = typeof ESCROW_ERRORS;

declare module '../../core/errors' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds the escrow module's codes to the catalogue's type
  interface ErrorCodes extends EscrowErrorCodes {}
}
