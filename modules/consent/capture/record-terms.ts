/** Records terms acceptance bound to the exact version in force for the person's language (MS-2 / SP-3), and a GPC signal (WSM-11). */
import { documentInForce } from '../documents/current-document';
import type { CollectionPoint } from '../ledger/consent-event';
import { recordConsent, stateOf, subjectKey } from '../ledger/consent-ledger';
import type { ConsentContext } from '../marketing/consent-context';

/** Records acceptance of the terms in force for `locale`; with `onlyIfNewVersion`, nothing when that version is already accepted. */
export async function recordTermsAcceptance(c: ConsentContext, subjectId: number, locale: string, point: CollectionPoint, onlyIfNewVersion = false): Promise<{ receiptId: string; version: string | null } | undefined> {
  const doc = await documentInForce(c.trx, c.brand.id, 'terms', locale, c.profile.locale);
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
