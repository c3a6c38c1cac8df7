/** Double opt-in: a grant waits for the person to confirm a single-use token sent to them (consent_tokens). */
import crypto from 'node:crypto';
import { createSignedLink } from '../../../core/links/signed-link';
import type { CollectionPoint } from '../ledger/consent-event';
import { purposeOf, type MarketingChannel } from './channels';
import type { ConsentContext } from './consent-context';
import { publicBaseUrl } from '../../../core/links/public-url';

/** How long a confirmation link stays valid. */
export const CONFIRM_TTL_MS = 7 * 24 * 3600 * 1000;

/** The signed-link purpose of a double opt-in confirmation. */
export const CONFIRM_LINK_PURPOSE = 'double-opt-in';

/** The stored form of a token (its SHA-256); the token itself only travels in the link. */
export function tokenHash(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/**
 * Stores a confirmation token and queues the confirmation email (topic 'consent.double-opt-in'); returns the link. The
 * token keeps the privacy policy version shown at sign-up, which the confirmed grant is bound to.
 */
export async function startDoubleOptIn(c: ConsentContext, subjectId: number, channel: MarketingChannel, collectionPoint: CollectionPoint, documentId: number | null = null): Promise<{ confirmUrl: string }> {
  const { kernel, trx, brand, profile } = c;
  const expiresAt = Date.now() + CONFIRM_TTL_MS;
  // The nonce makes each token distinct; the signed link carries brand, subject and expiry.
  const token = `${createSignedLink(kernel, { brandId: brand.id, subjectId, purpose: CONFIRM_LINK_PURPOSE, expiresAt })}.${crypto.randomBytes(9).toString('base64url')}`;
  await trx('consent_tokens').insert({ token_hash: tokenHash(token), brand_id: brand.id, subject_id: subjectId, purpose: purposeOf(channel), expires_at: expiresAt, used_at: null, document_id: documentId });
  const confirmUrl = `${publicBaseUrl(kernel, profile)}/b/${brand.slug}/consent/confirm?token=${encodeURIComponent(token)}`;
  await kernel.outbox.enqueue(trx, profile, {
    brandId: brand.id, topic: 'consent.double-opt-in', recipient: 'email', purpose: 'service', subjectId,
    categories: ['contact'], payload: { subjectId, channel, collectionPoint, confirmUrl },
  });
  return { confirmUrl };
}

/** Splits a confirmation token into its signed-link part (checked with verifySignedLink) and the whole (looked up by hash). */
export function signedPartOf(token: string): string {
  const i = token.lastIndexOf('.');
  return i > 0 ? token.slice(0, i) : token;
}
