/** The consent module's outbox deliverers: one email per topic it enqueues (policy notice, double opt-in, withdrawal notice). */
import { resolveLocale, t } from '../../../core/i18n';
import type { OutboxDeliverer } from '../../../core/modules/define-module';
import { DocumentKind } from '../documents/document-kind';
import { MarketingChannel } from '../marketing/channels';
import { CONFIRM_TTL_MS } from '../marketing/double-opt-in';
import { publicBaseUrl } from '../../../core/links/public-url';
import { receiptLinkToken } from '../receipts/signed-receipt';
import { consentEmailDeliverer, longDate } from './send-consent-email';

/** 'consent.policy-notice': a material policy change, in the document's language, with the reject link while it is open. */
export const deliverPolicyNotice = consentEmailDeliverer('policy-notice', {
  locale: (msg) => (typeof msg.payload.language === 'string' ? resolveLocale(msg.payload.language) : undefined),
  view: ({ kernel, brand, profile, locale, msg: { payload } }) => {
    const kind = DocumentKind.parse(payload.kind);
    const token = typeof payload.rejectToken === 'string' ? payload.rejectToken : undefined;
    const rejectPath = typeof payload.rejectPath === 'string' ? payload.rejectPath : undefined;
    return {
      brand: brand.name, kind: t(locale, `consent.email.kind.${kind}`), version: String(payload.version), date: longDate(payload.effectiveAt, locale),
      rejectUrl: token && rejectPath ? `${publicBaseUrl(kernel, profile)}${rejectPath}?token=${encodeURIComponent(token)}` : undefined,
    };
  },
});

/** 'consent.double-opt-in': the confirmation link of a marketing subscription. */
export const deliverDoubleOptIn = consentEmailDeliverer('double-opt-in', {
  view: ({ brand, locale, msg: { payload } }) => ({
    brand: brand.name, channel: t(locale, `consent.email.channel.${MarketingChannel.parse(payload.channel)}`),
    confirmUrl: String(payload.confirmUrl), days: Math.round(CONFIRM_TTL_MS / 86_400_000),
  }),
});

/** 'consent.withdrawal-notice': confirms a withdrawal of processing consent, with a link to its signed receipt. */
export const deliverWithdrawalNotice = consentEmailDeliverer('withdrawal-notice', {
  view: ({ kernel, brand, profile, subjectId, msg: { payload } }) => {
    const receiptId = String(payload.receiptId);
    const token = receiptLinkToken(kernel, brand.id, subjectId);
    return {
      brand: brand.name, receiptId,
      receiptUrl: `${publicBaseUrl(kernel, profile)}/b/${brand.slug}/consent/receipts/${encodeURIComponent(receiptId)}?token=${encodeURIComponent(token)}`,
    };
  },
});

/** Topic → deliverer, for the module's `outbox` map. */
export const consentOutbox: Record<string, OutboxDeliverer> = {
  'consent.policy-notice': deliverPolicyNotice,
  'consent.double-opt-in': deliverDoubleOptIn,
  'consent.withdrawal-notice': deliverWithdrawalNotice,
};
