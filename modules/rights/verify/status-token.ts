/**
 * The signed status link of a public request: a token naming the brand and the request, with an expiry, MAC'd by
 * the keyring (`rights-status`). It shows the request's status and due date, never anything about the person.
 * Token: core/links/signed-token.ts.
 */
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { readSignedToken, signToken } from '../../../core/links/signed-token';

const PURPOSE = 'rights-status';

/** How long a status link works. */
export const STATUS_TOKEN_TTL_MS = 180 * 86_400_000;

interface Payload { v: 1; b: number; r: number; e: number }

/** A status token for request `requestId` of brand `brandId`. */
export function createStatusToken(kernel: Kernel, brandId: number, requestId: number, now = Date.now()): string {
  return signToken(kernel, PURPOSE, { v: 1, b: brandId, r: requestId, e: now + STATUS_TOKEN_TTL_MS } satisfies Payload);
}

/** Checks a status token against the brand and request of the URL; throws SUITE_LINK_INVALID (401) otherwise. */
export function verifyStatusToken(kernel: Kernel, token: unknown, brandId: number, requestId: number, now = Date.now()): void {
  const p = readSignedToken(kernel, PURPOSE, token, 1024) as Partial<Payload> | undefined;
  if (!p || p.v !== 1 || p.b !== brandId || p.r !== requestId || typeof p.e !== 'number' || p.e <= now) throw new SuiteError('SUITE_LINK_INVALID');
}
