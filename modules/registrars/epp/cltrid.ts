/** Client transaction ids (RFC 5730 trIDStringType: token of 3–64 characters): the caller's request id where given. */
import crypto from 'node:crypto';

let counter = 0;

/** A clTRID for one step of an operation: `<requestId>-<step>` (request ids too long or odd are hashed), or a fresh one. */
export function makeClTRID(prefix: string, requestId: string | undefined, step: string): string {
  if (requestId) {
    const base = /^[\x21-\x7E]{3,48}$/.test(requestId) ? requestId : crypto.createHash('sha256').update(requestId).digest('hex').slice(0, 40);
    return `${base}-${step}`.slice(0, 64);
  }
  counter = (counter + 1) % 1_000_000;
  return `${prefix}-${Date.now().toString(36)}-${counter.toString(36)}-${step}`.slice(0, 64);
}
