/**
 * The signed status link of a public request: a token naming the brand and the request, with an expiry, MAC'd by
 * the keyring (`rights-status`). It shows the request's status and due date, never anything about the person.
 * Token: `<base64url(JSON payload)>.<mac>`.
 */
import crypto from 'node:crypto';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';

const PURPOSE = 'rights-status';

/** How long a status link works. */
export const STATUS_TOKEN_TTL_MS = 180 * 86_400_000;

interface Payload { v: 1; b: number; r: number; e: number }

/** A status token for request `requestId` of brand `brandId`. */
export function createStatusToken(kernel: Kernel, brandId: number, requestId: number, now = Date.now()): string {
  const body = Buffer.from(JSON.stringify({ v: 1, b: brandId, r: requestId, e: now + STATUS_TOKEN_TTL_MS } satisfies Payload)).toString('base64url');
  return `${body}.${kernel.keyring.sign(body, PURPOSE)}`;
}

/** Checks a status token against the brand and request of the URL; throws SUITE_LINK_INVALID (401) otherwise. */
export function verifyStatusToken(kernel: Kernel, token: unknown, brandId: number, requestId: number, now = Date.now()): void {
  const invalid = new SuiteError('SUITE_LINK_INVALID');
  if (typeof token !== 'string' || token.length > 1024) throw invalid;
  const dot = token.indexOf('.');
  if (dot <= 0) throw invalid;
  const body = token.slice(0, dot);
  const mac = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(kernel.keyring.sign(body, PURPOSE));
  if (mac.length !== expected.length || !crypto.timingSafeEqual(mac, expected)) throw invalid;
  let p: Payload;
  try {
    p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
  } catch {
    throw invalid;
  }
  if (p.v !== 1 || p.b !== brandId || p.r !== requestId || typeof p.e !== 'number' || p.e <= now) throw invalid;
}
