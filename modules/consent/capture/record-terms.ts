/** Records terms acceptance bound to the exact version shown, in the person's language (MS-2 / SP-3), and a GPC signal (WSM-11). */
import type { CollectionPoint } from '../ledger/consent-event';
import { recordConsent, stateOf, subjectKey } from '../ledger/consent-ledger';
import type { ConsentContext } from '../marketing/consent-context';
import { shownDocument } from './shown-version';

/**
 * Records acceptance of the terms version the page showed (`shownVersion`, in the person's language `locale`), else of
 * the version in force in that language; with `onlyIfNewVersion`, nothing when that version is already accepted.
 */
export async function recordTermsAcceptance(c: ConsentContext, subjectId: number, locale: string, point: CollectionPoint, onlyIfNewVersion = false, shownVersion?: string): Promise<{ receiptId: string; version: string | null } | undefined> {
  const doc = await shownDocument(c.trx, c.brand.id, 'terms', shownVersion, locale, c.profile.locale);
  if (onlyIfNewVersion) {
    const current = (await stateOf(c.trx, c.brand.id, subjectKey(c.kernel, c.brand.id, { subjectId }))).terms;
    if (current?.action === 'given' && current.documentVersion === (doc?.version ?? null)) return undefined;
  }
  const receipt = await recordConsent(c.kernel, c.trx, c.profile, {
    brandId: c.brand.id, subjectId, purpose: 'terms', action: 'given', method: 'checkbox', channel: c.via ?? 'panel', collectionPoint: point,
    documentId: doc?.id ?? null, ip: c.ip, userAgent: c.userAgent,
  });
  return { receiptId: receipt.receiptId, version: receipt.document?.version ?? null };
}

/** A `Sec-GPC: 1` signal on the person's request is an opt-out of sale/sharing (recorded once, method 'gpc'). */
export async function recordGpcSignal(c: ConsentContext, subjectId: number, point: CollectionPoint): Promise<boolean> {
  const current = (await stateOf(c.trx, c.brand.id, subjectKey(c.kernel, c.brand.id, { subjectId })))['sale-sharing'];
  if (current?.action === 'withdrawn') return false;
  await recordConsent(c.kernel, c.trx, c.profile, {
    brandId: c.brand.id, subjectId, purpose: 'sale-sharing', action: 'withdrawn', method: 'gpc', channel: c.via ?? 'panel', collectionPoint: point, ip: c.ip, userAgent: c.userAgent,
  });
  return true;
}
