/**
 * 'consent.center-code': emails a privacy center log-in code to the address on record of the person it was asked for
 * (never to an address typed in). A code already used or expired is not sent (delivered without a send, logged by id).
 */
import type { OutboxDeliverer } from '../../../core/modules/define-module';
import { resolveLocale } from '../../../core/i18n';
import { emailRecipient } from '../../../core/subjects/email-recipient';
import { renderEmailTemplate } from '../../../core/templates/email-template';
import type { MailerService } from '../../mailer/public';
import { CENTER_CODE_TOPIC, CODE_TTL_MS, deriveCenterCode, pendingCode } from './center-codes';

/** Sends the code through the mailer with the outbox idempotency key. */
export const deliverCenterCode: OutboxDeliverer = async (msg, kernel) => {
  const row = await pendingCode(kernel, Number(msg.payload.codeId));
  const brand = await kernel.brands.getById(msg.brandId);
  const profile = await kernel.brands.profile(brand);
  const to = row?.subject_id ? await emailRecipient(kernel, brand.id, Number(row.subject_id), profile.locale) : undefined;
  if (!row || !to) {
    kernel.log.info({ outboxId: msg.id, topic: msg.topic, reason: 'not-waiting' }, 'privacy center code not sent: used, expired or nobody to send to');
    return;
  }
  const locale = resolveLocale(typeof msg.payload.locale === 'string' ? msg.payload.locale : to.locale);
  const code = deriveCenterCode(kernel, row);
  const mail = renderEmailTemplate('privacy-center-code', locale, { brand: brand.name, code: `${code.slice(0, 4)} ${code.slice(4)}`, minutes: CODE_TTL_MS / 60_000 });
  await kernel.service<MailerService>('mailer').send({
    brandId: brand.id, to: to.email, ...mail, idempotencyKey: msg.idempotencyKey,
    headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': locale },
  });
};

/** Topic → deliverer, for the consent module's `outbox` map. */
export const centerOutbox: Record<string, OutboxDeliverer> = { [CENTER_CODE_TOPIC]: deliverCenterCode };
