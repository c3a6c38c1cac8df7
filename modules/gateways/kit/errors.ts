/**
 * The gateways' coded errors (a public contract): the same six per gateway, each gateway module registering its own
 * (`SUITE_STRIPE_*` by gateways/stripe, `SUITE_PAYPAL_*` by gateways/paypal), so a code names the processor.
 */
import type { ModuleErrors } from '../../../core/errors';
import { SuiteError } from '../../../core/errors';
import type { GatewayName } from './contract';

const KINDS = {
  /** A key or setting the call needs is missing or of the wrong mode (named in `field` / `variable`). */
  NOT_CONFIGURED: 409,
  /** The invoice is not one this gateway can take a payment for (unknown, paid, cancelled, other brand). */
  INVOICE_NOT_PAYABLE: 409,
  /** A refund of an invoice with no paid payment through this gateway, or for more than is left. */
  NOT_REFUNDABLE: 409,
  /** A webhook whose signature is missing, wrong or stale: refused, nothing written. */
  WEBHOOK_REFUSED: 400,
  /** The processor refused the call or could not be reached (its code, never its message, is in `code`). */
  PROCESSOR_FAILED: 502,
  /** A checkout the processor does not know, or of another brand. */
  CHECKOUT_UNKNOWN: 404,
} as const;

export type GatewayErrorKind = keyof typeof KINDS;

type Codes<P extends string> = { readonly [K in GatewayErrorKind as `SUITE_${P}_${K}`]: number };

function codes<P extends string>(prefix: P): Codes<P> {
  return Object.fromEntries(Object.entries(KINDS).map(([k, s]) => [`SUITE_${prefix}_${k}`, s])) as Codes<P>;
}

export const STRIPE_ERRORS = codes('STRIPE') satisfies ModuleErrors;
export const PAYPAL_ERRORS = codes('PAYPAL') satisfies ModuleErrors;

type GatewayErrorCodes = typeof STRIPE_ERRORS & typeof PAYPAL_ERRORS;

declare module '../../../core/errors' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds the gateways' codes to the catalogue's type
  interface ErrorCodes extends GatewayErrorCodes {}
}

/** A gateway's coded error: `gatewayError('stripe', 'NOT_CONFIGURED', { field, variable })`. */
export function gatewayError(g: GatewayName, kind: GatewayErrorKind, params: Record<string, string | number | undefined> = {}): SuiteError {
  // A message names a variable and a processor code; where there is none, it says '-' rather than "undefined".
  const given = Object.fromEntries(Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== ''));
  return new SuiteError(`SUITE_${g.toUpperCase() as Uppercase<GatewayName>}_${kind}`, { gateway: g, variable: '-', code: '-', ...given });
}
