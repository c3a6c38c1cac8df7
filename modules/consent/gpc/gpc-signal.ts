/**
 * Global Privacy Control (WSM-11): a `Sec-GPC: 1` request is an opt-out of sale/sharing, recorded once per subject or
 * visitor in the consent ledger (purpose 'sale-sharing', action 'withdrawn', method 'gpc'); repeated signals add nothing.
 */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { recordConsent, stateOf, subjectKey } from '../ledger/consent-ledger';
import type { CollectionPoint, ConsentEvent, ConsentReceipt } from '../ledger/consent-event';

/** Whether request headers carry the GPC signal (`Sec-GPC: 1`, per the GPC specification). */
export function hasGpcSignal(headers: Record<string, string | string[] | undefined>): boolean {
  const v = headers['sec-gpc'];
  return (Array.isArray(v) ? v[0] : v)?.trim() === '1';
}

/** Who sent the signal and from where. */
export interface GpcSource {
  brandId: number;
  subjectId: number | null;
  visitorId?: string;
  ip?: string;
  userAgent?: string;
  channel?: ConsentEvent['channel'];
  collectionPoint: CollectionPoint;
}

/** Records the opt-out inside `trx` unless sale/sharing is already refused for this subject, or the brand does not honour GPC. */
export async function recordGpcOptOut(kernel: Kernel, trx: Knex.Transaction, profile: PrivacyProfile, src: GpcSource): Promise<ConsentReceipt | null> {
  if (!profile.cookies.honourGpc) return null;
  const key = subjectKey(kernel, src.brandId, { subjectId: src.subjectId, visitorId: src.visitorId });
  const current = (await stateOf(trx, src.brandId, key))['sale-sharing'];
  if (current && current.action !== 'given') return null;
  return recordConsent(kernel, trx, profile, {
    brandId: src.brandId, subjectId: src.subjectId, visitorId: src.visitorId, purpose: 'sale-sharing', action: 'withdrawn', method: 'gpc',
    channel: src.channel ?? 'web', collectionPoint: src.collectionPoint, ip: src.ip, userAgent: src.userAgent,
  });
}
