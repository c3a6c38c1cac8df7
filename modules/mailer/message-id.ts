/** Message-ID and X-Suite-Idempotency-Key derived from the outbox idempotency key, so a resent message is recognisable. */
import crypto from 'node:crypto';

/** The header that carries the outbox idempotency key. */
export const IDEMPOTENCY_HEADER = 'X-Suite-Idempotency-Key';

/** The key as a header value: itself when it is short printable ASCII, else its sha256 (never a raw CR/LF). */
export function idempotencyHeaderValue(key: string): string {
  return /^[\x21-\x7e]{1,200}$/.test(key) ? key : `sha256:${crypto.createHash('sha256').update(key).digest('hex')}`;
}

/** A stable Message-ID for an idempotency key: `<hash@domain of the sender>`; the same key always gives the same id. */
export function messageIdFor(key: string, fromAddress: string): string {
  const domain = /@([A-Za-z0-9.-]+)$/.exec(fromAddress)?.[1] ?? 'localhost';
  return `<${crypto.createHash('sha256').update(key).digest('hex').slice(0, 40)}.suite@${domain}>`;
}
