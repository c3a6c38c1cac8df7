/**
 * One-click unsubscribe (WSM-19, RFC 8058): signed links that work without login, the List-Unsubscribe headers, and
 * the withdrawal they record (method 'link', collection point 'unsubscribe') with the address suppressed at once.
 */
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { createSignedLink, verifySignedLink } from '../../../core/links/signed-link';
import { stateOf, subjectKey } from '../ledger/consent-ledger';
import { MarketingChannel, purposeOf } from './channels';
import { subjectAddress } from './subject-address';
import { suppress } from './suppression';
import type { ConsentContext } from './consent-context';
import { setPreference, type ChoiceResult } from './preferences';
import { publicBaseUrl } from '../../../core/links/public-url';

/** How long an unsubscribe link in a sent message keeps working. */
export const UNSUBSCRIBE_TTL_MS = 2 * 365 * 24 * 3600 * 1000;

/** The signed-link purpose of an unsubscribe link for a channel. */
export function unsubscribePurpose(channel: MarketingChannel): string {
  return `unsubscribe:${channel}`;
}

/** A signed unsubscribe token for one subject and channel. */
export function unsubscribeToken(kernel: Kernel, brand: Brand, subjectId: number, channel: MarketingChannel): string {
  return createSignedLink(kernel, { brandId: brand.id, subjectId, purpose: unsubscribePurpose(channel), expiresAt: Date.now() + UNSUBSCRIBE_TTL_MS });
}

/** The absolute unsubscribe URL for one subject and channel. */
export function unsubscribeUrl(kernel: Kernel, brand: Brand, profile: PrivacyProfile, subjectId: number, channel: MarketingChannel): string {
  return `${publicBaseUrl(kernel, profile)}/b/${brand.slug}/consent/unsubscribe?token=${encodeURIComponent(unsubscribeToken(kernel, brand, subjectId, channel))}`;
}

/** The RFC 8058 headers for a message, given the brand's profile (no database access). */
export function unsubscribeHeadersFor(kernel: Kernel, brand: Brand, profile: PrivacyProfile, subjectId: number, channel: MarketingChannel = 'email'): { 'List-Unsubscribe': string; 'List-Unsubscribe-Post': string } {
  return { 'List-Unsubscribe': `<${unsubscribeUrl(kernel, brand, profile, subjectId, channel)}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/** The RFC 8058 headers (List-Unsubscribe and List-Unsubscribe-Post: List-Unsubscribe=One-Click) for a message. */
export async function unsubscribeHeaders(kernel: Kernel, brand: Brand, subjectId: number, channel: MarketingChannel = 'email'): Promise<{ 'List-Unsubscribe': string; 'List-Unsubscribe-Post': string }> {
  return unsubscribeHeadersFor(kernel, brand, await kernel.brands.profile(brand), subjectId, channel);
}

/** Checks an unsubscribe token for a brand and returns whom and which channel it is for; SUITE_LINK_INVALID otherwise. */
export function verifyUnsubscribeToken(kernel: Kernel, brand: Brand, token: unknown): { subjectId: number; channel: MarketingChannel } {
  if (typeof token !== 'string') throw new SuiteError('SUITE_LINK_INVALID');
  let purpose = '';
  try {
    purpose = (JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { p?: unknown }).p as string;
  } catch {
    throw new SuiteError('SUITE_LINK_INVALID');
  }
  const channel = MarketingChannel.safeParse(typeof purpose === 'string' ? purpose.replace(/^unsubscribe:/, '') : '');
  if (!channel.success || purpose !== unsubscribePurpose(channel.data)) throw new SuiteError('SUITE_LINK_INVALID');
  const claims = verifySignedLink(kernel, token, unsubscribePurpose(channel.data));
  if (claims.brandId !== brand.id) throw new SuiteError('SUITE_LINK_INVALID');
  return { subjectId: claims.subjectId, channel: channel.data };
}

/** Records the unsubscribe a token asks for (idempotent in effect: a second click records nothing new). */
export async function unsubscribe(c: ConsentContext, token: unknown): Promise<ChoiceResult & { subjectId: number; channel: MarketingChannel }> {
  const { subjectId, channel } = verifyUnsubscribeToken(c.kernel, c.brand, token);
  const current = (await stateOf(c.trx, c.brand.id, subjectKey(c.kernel, c.brand.id, { subjectId })))[purposeOf(channel)];
  if (current?.action === 'withdrawn') {
    const address = await subjectAddress(c.kernel, c.trx, subjectId, channel);
    if (address) await suppress(c.kernel, c.trx, c.brand.id, channel, address, 'unsubscribe');
    return { state: 'withdrawn', subjectId, channel };
  }
  const result = await setPreference({ ...c, via: channel === 'email' ? 'email' : channel }, subjectId, channel, 'withdrawn', { method: 'link', collectionPoint: 'unsubscribe' }, 'unsubscribe');
  return { ...result, subjectId, channel };
}
