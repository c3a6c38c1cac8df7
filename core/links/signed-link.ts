/**
 * Signed links: a token that names a brand, a subject and what it may be used for (purpose), with an expiry,
 * MAC'd by the keyring (`consent-link`). It lets a person act without logging in (opt out, unsubscribe, get a receipt).
 * Token: `<base64url(JSON payload)>.<mac>`; the MAC covers the payload, and the purpose is inside the payload.
 */
import { SuiteError } from '../errors';
import type { Kernel } from '../kernel';
import { readSignedToken, signToken } from './signed-token';

const SIGN_PURPOSE = 'consent-link';

/** What a signed link proves: who it is for, on which brand, and until when (epoch ms). */
export interface SignedLinkClaims { brandId: number; subjectId: number; expiresAt: number }

/** What to put in a new link: the claims plus the purpose it may be used for (e.g. 'reject-policy', 'unsubscribe', 'receipt'). */
export interface SignedLinkInput { brandId: number; subjectId: number; purpose: string; expiresAt: number | Date }

interface Payload { v: 1; b: number; s: number; p: string; e: number }

/** Creates a token for `purpose`, valid until `expiresAt`. */
export function createSignedLink(kernel: Kernel, input: SignedLinkInput): string {
  const e = input.expiresAt instanceof Date ? input.expiresAt.getTime() : input.expiresAt;
  return signToken(kernel, SIGN_PURPOSE, { v: 1, b: input.brandId, s: input.subjectId, p: input.purpose, e } satisfies Payload);
}

/** Checks a token's MAC, purpose and expiry; throws SUITE_LINK_INVALID (401) otherwise. `now` is for tests. */
export function verifySignedLink(kernel: Kernel, token: string | undefined | null, purpose: string, now = Date.now()): SignedLinkClaims {
  const p = readSignedToken(kernel, SIGN_PURPOSE, token) as Partial<Payload> | undefined;
  const { v, b, s, e } = p ?? {};
  if (v !== 1 || p?.p !== purpose || typeof e !== 'number' || e <= now) throw new SuiteError('SUITE_LINK_INVALID');
  if (typeof b !== 'number' || typeof s !== 'number' || !Number.isInteger(b) || !Number.isInteger(s)) throw new SuiteError('SUITE_LINK_INVALID');
  return { brandId: b, subjectId: s, expiresAt: e };
}

/** The signed-link token of a request: `?token=` in the URL, or `token` in a posted form or JSON body. */
export function linkTokenOf(req: { query: Record<string, unknown>; body?: unknown }): string | undefined {
  const q = req.query.token;
  if (typeof q === 'string') return q;
  const b = (req.body as { token?: unknown } | undefined)?.token;
  return typeof b === 'string' ? b : undefined;
}
