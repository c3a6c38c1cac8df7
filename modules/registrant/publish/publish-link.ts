/** Signed links with which a registrant gives or withdraws consent to publish for one domain (the token names the domain). */
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { createSignedLink, verifySignedLink, type SignedLinkClaims } from '../../../core/links/signed-link';
import { publicBaseUrl } from '../../../core/links/public-url';

/** How long a publish link works. */
export const PUBLISH_LINK_TTL_MS = 30 * 86_400_000;

/** The signed-link purpose for a domain: a token for one domain does not open another. */
export function publishLinkPurpose(domain: string): string {
  return `registrant-publish:${domain.toLowerCase()}`;
}

/** A new link (URL and token) for the registrant `subjectId` of `domain`. */
export function publishLinkUrl(kernel: Kernel, brand: Brand, profile: PrivacyProfile, domain: string, subjectId: number): { url: string; token: string; expiresAt: number } {
  const expiresAt = Date.now() + PUBLISH_LINK_TTL_MS;
  const token = createSignedLink(kernel, { brandId: brand.id, subjectId, purpose: publishLinkPurpose(domain), expiresAt });
  const url = `${publicBaseUrl(kernel, profile)}/b/${brand.slug}/registrant/domains/${encodeURIComponent(domain.toLowerCase())}/publish?token=${encodeURIComponent(token)}`;
  return { url, token, expiresAt };
}

/** Checks a publish token for `domain`; throws SUITE_LINK_INVALID (401) when it is forged, expired, for another domain or brand. */
export function verifyPublishLink(kernel: Kernel, brand: Brand, domain: string, token: string | undefined): SignedLinkClaims {
  const claims = verifySignedLink(kernel, token, publishLinkPurpose(domain));
  if (claims.brandId !== brand.id) throw new SuiteError('SUITE_LINK_INVALID');
  return claims;
}
