/**
 * The privacy center's single-sign-on link from the billing panel: `GET /b/:brand/privacy/sso?client=&exp=&sig=`, where
 * `sig` is the lowercase hex HMAC-SHA256, keyed with the brand's hook secret, of the canonical string
 * `privacy-sso|<brand slug>|<client id>|<exp>` (exp in Unix seconds, at most five minutes ahead).
 */
import crypto from 'node:crypto';
import { z } from 'zod';

/** How far ahead a link's expiry may be, in seconds. */
export const SSO_MAX_LIFETIME_S = 300;

/** The link's query, validated at the edge. */
export const SsoQuery = z.object({
  client: z.string().regex(/^[1-9][0-9]{0,17}$/),
  exp: z.string().regex(/^[0-9]{1,12}$/),
  sig: z.string().regex(/^[0-9a-fA-F]{64}$/),
});
export type SsoQuery = z.infer<typeof SsoQuery>;

/** Why a link is refused: `invalid` (malformed, wrong signature, too long-lived, unknown client) is 401, the rest 410. */
export type SsoRefusal = 'invalid' | 'expired' | 'reused';

/** The canonical string the panel signs. */
export function ssoCanonical(brandSlug: string, clientId: string, exp: string): string {
  return `privacy-sso|${brandSlug}|${clientId}|${exp}`;
}

/** The link's signature under one secret (what the WHMCS connector computes with hash_hmac). */
export function ssoSignature(secret: string, brandSlug: string, clientId: string, exp: string): string {
  return crypto.createHmac('sha256', secret).update(ssoCanonical(brandSlug, clientId, exp)).digest('hex');
}

/** Checks the signature against the brand's secrets (constant time) and the expiry window; returns the refusal, if any. */
export function checkSso(q: SsoQuery, brandSlug: string, secrets: string[], nowMs: number): SsoRefusal | null {
  const got = Buffer.from(q.sig.toLowerCase(), 'hex');
  const ok = secrets.some((s) => {
    const want = Buffer.from(ssoSignature(s, brandSlug, q.client, q.exp), 'hex');
    return want.length === got.length && crypto.timingSafeEqual(want, got);
  });
  if (!ok) return 'invalid';
  const exp = Number(q.exp) * 1000;
  if (exp <= nowMs) return 'expired';
  if (exp > nowMs + SSO_MAX_LIFETIME_S * 1000) return 'invalid';
  return null;
}

/** What the used-signature table keeps: the signature's hash, never the signature. */
export function ssoSignatureHash(sig: string): string {
  return crypto.createHash('sha256').update(sig.toLowerCase()).digest('hex');
}
