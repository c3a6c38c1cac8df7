/**
 * Marketing preferences per channel and brand (MS-7.1, WSM-19, SP-1): the decision whether a promotional message
 * may go out, and the recording of a choice (double opt-in where the brand asks, opt-out at once, suppression).
 */
import { documentInForce } from '../documents/current-document';
import { recordConsent, stateOf, subjectKey } from '../ledger/consent-ledger';
import type { CollectionPoint, ConsentMethod, ConsentReceipt } from '../ledger/consent-event';
import { purposeOf, type MarketingChannel } from './channels';
import type { ConsentContext } from './consent-context';
import { isSuppressed, suppress, suppressionKey, type SuppressionReason } from './suppression';
import { subjectAddress } from './subject-address';
import { startDoubleOptIn } from './double-opt-in';

/** Why a marketing message may or may not go out. */
export type MarketingReason = 'consent' | 'default' | 'no-consent' | 'withdrawn' | 'pending-confirmation' | 'suppressed' | 'gpc' | 'channel-off' | 'subject-unknown' | 'erased' | 'restricted';

/** The outcome of a marketing check for one subject and channel. */
export interface MarketingDecision { allowed: boolean; reason: MarketingReason }

/** Whether a promotional message may go to a subject on a channel: channel offered, processing not restricted, consent (or the opt-out default), no GPC/sale-sharing opt-out, not suppressed. */
export async function marketingDecision(c: ConsentContext, subjectId: number, channel: MarketingChannel): Promise<MarketingDecision> {
  const { kernel, trx, brand, profile } = c;
  if (!profile.consent.channels.includes(channel)) return { allowed: false, reason: 'channel-off' };
  const subject = (await trx('subjects').where({ id: subjectId, brand_id: brand.id }).first('status')) as { status: string } | undefined;
  if (!subject) return { allowed: false, reason: 'subject-unknown' };
  if (subject.status === 'erased') return { allowed: false, reason: 'erased' };
  // SP-5.1: a restricted subject's data is only stored; the kernel says whether it may be used for marketing.
  if (!(await kernel.subjects.processingAllowed(subjectId, 'marketing', trx))) return { allowed: false, reason: 'restricted' };
  const state = await stateOf(trx, brand.id, subjectKey(kernel, brand.id, { subjectId }));
  if (state['sale-sharing']?.action === 'withdrawn') return { allowed: false, reason: 'gpc' };
  const address = await subjectAddress(kernel, trx, subjectId, channel);
  if (address && (await isSuppressed(kernel, trx, brand.id, channel, address))) return { allowed: false, reason: 'suppressed' };
  const last = state[purposeOf(channel)];
  if (last?.action === 'given') return { allowed: true, reason: last.method === 'default' ? 'default' : 'consent' };
  if (last) return { allowed: false, reason: 'withdrawn' };
  const pending = await trx('consent_tokens').where({ brand_id: brand.id, subject_id: subjectId, purpose: purposeOf(channel) }).whereNull('used_at').andWhere('expires_at', '>', Date.now()).first('token_hash');
  if (pending) return { allowed: false, reason: 'pending-confirmation' };
  // WSM-19: on an opt-out brand a subscriber is subscribed unless withdrawn (double opt-in brands wait for the confirmation).
  if (profile.consent.model === 'opt-out' && !profile.consent.doubleOptIn) return { allowed: true, reason: 'default' };
  return { allowed: false, reason: 'no-consent' };
}

/**
 * How a choice was made and where, and the privacy policy version that described the processing to the person
 * (`documentId`: the one shown; default the one in force in their language).
 */
export interface ChoiceSource { method: ConsentMethod; collectionPoint: CollectionPoint; documentId?: number }

/** The privacy policy a marketing choice is bound to: the one shown, else the one in force in the person's language. */
async function privacyDocumentId(c: ConsentContext, source: ChoiceSource): Promise<number | null> {
  if (source.documentId !== undefined) return source.documentId;
  return (await documentInForce(c.trx, c.brand.id, 'privacy', c.locale ?? c.profile.locale, c.profile.locale))?.id ?? null;
}

/** The result of recording a choice: recorded, or waiting for a double opt-in confirmation. */
export interface ChoiceResult { state: 'given' | 'withdrawn' | 'pending'; receipt?: ConsentReceipt; confirmUrl?: string }

/**
 * Records a marketing choice for one channel. A grant on a double-opt-in brand records nothing yet and sends a
 * confirmation link; a withdrawal takes effect at once and puts the address on the suppression list.
 */
export async function setPreference(c: ConsentContext, subjectId: number, channel: MarketingChannel, choice: 'given' | 'withdrawn', source: ChoiceSource, reason: SuppressionReason = 'withdrawn'): Promise<ChoiceResult> {
  const { kernel, trx, brand, profile } = c;
  const purpose = purposeOf(channel);
  const documentId = await privacyDocumentId(c, source);
  if (choice === 'given' && profile.consent.doubleOptIn && source.method !== 'double-opt-in' && source.method !== 'admin-written') {
    const { confirmUrl } = await startDoubleOptIn(c, subjectId, channel, source.collectionPoint, documentId);
    return { state: 'pending', confirmUrl };
  }
  const receipt = await recordConsent(kernel, trx, profile, {
    brandId: brand.id, subjectId, purpose, action: choice, method: source.method, channel: c.via ?? 'api', collectionPoint: source.collectionPoint,
    documentId, ip: c.ip, userAgent: c.userAgent,
  });
  const address = await subjectAddress(kernel, trx, subjectId, channel);
  if (address && choice === 'withdrawn') await suppress(kernel, trx, brand.id, channel, address, reason);
  // A person who asks for marketing again lifts their own suppression; a default ("subscribed by default") never does.
  if (address && choice === 'given' && source.method !== 'default') {
    await trx('consent_suppression').where({ brand_id: brand.id, channel, address_hash: suppressionKey(kernel, channel, address) }).delete();
  }
  if (choice === 'withdrawn') {
    await trx('consent_tokens').where({ brand_id: brand.id, subject_id: subjectId, purpose }).whereNull('used_at').update({ used_at: Date.now() });
  }
  return { state: choice, receipt };
}
