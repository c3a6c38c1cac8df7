/** Application logger (pino). Personal fields and secrets are redacted by path, whatever the call site passes. */
import pino, { type Logger } from 'pino';

/** Keys that may carry personal data or secrets; any object logged with them has the value censored. */
export const REDACTED_KEYS = [
  'password', 'password2', 'loginpassword', 'email', 'loginemail', 'firstname', 'lastname', 'fullname', 'companyname',
  'address1', 'address2', 'city', 'state', 'postcode', 'phonenumber', 'fullphonenumber', 'tax_id', 'ip', 'userAgent',
  'ccnumber', 'cccvv', 'ccinfo', 'vars', 'body', 'secret', 'hookSecret', 'key', 'authorization', 'signature', 'value',
  'fields', 'payload', 'name', 'phone', 'street', 'notes',
];

const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]).concat(['req.headers.authorization', 'req.headers["x-suite-signature"]']);

/** Creates the suite's logger; `destination` lets tests capture output. */
export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { app: 'privacy-suite' }, redact: { paths, censor: '[redacted]' } }, destination);
}

export type { Logger };
