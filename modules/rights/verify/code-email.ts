/**
 * 'rights.verification-code': emails the one-time code of a public request to the address the person typed, with
 * the signed status link. The code is derived here (never stored) and is valid `codeTtlMinutes` from this send;
 * a code already used or a request no longer waiting for it is not sent (delivered without a send, logged by id).
 */
import { resolveLocale, t } from '../../../core/i18n';
import type { OutboxDeliverer } from '../../../core/modules/define-module';
import { renderEmailTemplate } from '../../../core/templates/email-template';
import { publicBaseUrl } from '../../../core/links/public-url';
import type { MailerService } from '../../mailer/public';
import type { RequestRow } from '../requests/request-store';
import { RequestType } from '../requests/request-types';
import { moduleSettings } from '../../../core/profile/module-settings';
import { RightsSettings } from '../settings';
import { deriveCode, type VerificationRow } from './email-code';
import { createStatusToken } from './status-token';

/** Sends the code email through the mailer with the outbox idempotency key. */
export const deliverVerificationCode: OutboxDeliverer = async (msg, kernel) => {
  const v = (await kernel.db('rights_verifications').where({ id: Number(msg.payload.verificationId) }).first()) as VerificationRow | undefined;
  const row = v ? ((await kernel.db('rights_requests').where({ id: Number(v.request_id) }).first()) as RequestRow | undefined) : undefined;
  if (!v || !row || v.used_at !== null || row.status !== 'received' || typeof msg.payload.email !== 'string') {
    kernel.log.info({ outboxId: msg.id, topic: msg.topic, reason: 'not-waiting' }, 'verification code not sent: the request no longer waits for it');
    return;
  }
  const brand = await kernel.brands.getById(msg.brandId);
  const profile = await kernel.brands.profile(brand);
  const settings = moduleSettings(RightsSettings, profile, 'rights');
  const locale = resolveLocale(typeof msg.payload.locale === 'string' ? msg.payload.locale : profile.locale);
  const minutes = settings.verification.codeTtlMinutes;
  // The code is valid from when it is sent, not from when it was queued (the mail relay may have been down).
  await kernel.db('rights_verifications').where({ id: v.id }).whereNull('used_at').update({ expires_at: Date.now() + minutes * 60_000 });
  const token = createStatusToken(kernel, brand.id, Number(row.id));
  const code = deriveCode(kernel, v);
  const mail = renderEmailTemplate('rights-verification-code', locale, {
    brand: brand.name, id: String(row.id), type: t(locale, `rights.verification.type.${RequestType.parse(row.type)}`),
    code: `${code.slice(0, 4)} ${code.slice(4)}`, minutes,
    statusUrl: `${publicBaseUrl(kernel, profile)}/b/${brand.slug}/rights/requests/${Number(row.id)}/status?token=${encodeURIComponent(token)}`,
  });
  await kernel.service<MailerService>('mailer').send({
    brandId: brand.id, to: msg.payload.email, ...mail, idempotencyKey: msg.idempotencyKey,
    headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': locale },
  });
};
