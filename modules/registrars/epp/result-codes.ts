/** EPP result codes (RFC 5730 §3) mapped to the contract's one error shape, with stable codes and admin-readable messages. */
import type { RegistrarError } from '../contract';

/** Stable error codes this module answers. */
export type EppErrorCode =
  | 'REGISTRAR_AUTHORIZATION_FAILED' | 'REGISTRAR_OBJECT_EXISTS' | 'REGISTRAR_OBJECT_NOT_FOUND' | 'REGISTRAR_STATUS_PROHIBITS'
  | 'REGISTRAR_PARAMETER_POLICY' | 'REGISTRAR_COMMAND_FAILED' | 'REGISTRAR_SESSION_CLOSED' | 'REGISTRAR_COMMAND_REJECTED'
  | 'REGISTRAR_UNREACHABLE' | 'REGISTRAR_TLS_REFUSED' | 'REGISTRAR_LOGIN_FAILED' | 'REGISTRAR_BAD_RESPONSE'
  | 'REGISTRAR_NOT_CONFIGURED' | 'REGISTRAR_NO_AUTH_CODE';

const BY_CODE: Record<number, { code: EppErrorCode; retryable: boolean; text: string }> = {
  2201: { code: 'REGISTRAR_AUTHORIZATION_FAILED', retryable: false, text: 'The registry refused: this account is not authorised for the object (not the sponsoring registrar?).' },
  2202: { code: 'REGISTRAR_AUTHORIZATION_FAILED', retryable: false, text: 'The registry refused the authorisation information (wrong EPP / auth code).' },
  2302: { code: 'REGISTRAR_OBJECT_EXISTS', retryable: false, text: 'The object already exists at the registry.' },
  2303: { code: 'REGISTRAR_OBJECT_NOT_FOUND', retryable: false, text: 'The object does not exist at the registry.' },
  2304: { code: 'REGISTRAR_STATUS_PROHIBITS', retryable: false, text: 'The object\'s status prohibits this operation (locked, pending transfer, or similar).' },
  2306: { code: 'REGISTRAR_PARAMETER_POLICY', retryable: false, text: 'A value breaks the registry\'s policy (for example period, contacts or name servers).' },
  2400: { code: 'REGISTRAR_COMMAND_FAILED', retryable: true, text: 'The registry failed to run the command (internal server error); try again later.' },
  2500: { code: 'REGISTRAR_SESSION_CLOSED', retryable: true, text: 'The registry failed and closed the session; try again later.' },
  2501: { code: 'REGISTRAR_SESSION_CLOSED', retryable: true, text: 'The registry rejected the session\'s authentication and closed it; check the credentials, then retry.' },
  2502: { code: 'REGISTRAR_SESSION_CLOSED', retryable: true, text: 'The registry\'s session limit was exceeded and it closed the connection; try again later.' },
};

/** The error for a non-success EPP result code. */
export function errorForResult(registryCode: number, registryMessage: string): RegistrarError {
  const known = BY_CODE[registryCode];
  const suffix = ` (EPP ${registryCode}${registryMessage ? `: ${registryMessage.slice(0, 160)}` : ''})`;
  if (known) return { code: known.code, message: known.text + suffix, registryCode, retryable: known.retryable };
  return { code: 'REGISTRAR_COMMAND_REJECTED', message: `The registry rejected the command${suffix}.`, registryCode, retryable: false };
}

/** An error that did not come from a result code (transport, configuration, protocol). */
export function registrarError(code: EppErrorCode, message: string, retryable: boolean): RegistrarError {
  return { code, message, retryable };
}

/** An Error carrying a RegistrarError, thrown inside the module and turned into a result at the contract's edge. */
export class EppFailure extends Error {
  constructor(readonly error: RegistrarError) {
    super(error.message);
    this.name = 'EppFailure';
  }
}

/** Result codes that end the session (the server closes the connection). */
export function closesSession(code: number): boolean {
  return code >= 2500 && code < 2600;
}
