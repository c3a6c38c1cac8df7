/** 'registrant.reveal-notice': tells the customer about a reveal request and the deadline to answer, through the mailer. */
import { resolveLocale } from '../../../core/i18n';
import type { OutboxDeliverer } from '../../../core/modules/define-module';
import type { MailerService } from '../../mailer/public';
import { emailRecipient } from '../../../core/subjects/email-recipient';
import { renderRevealNotice } from './render-notice';

/** Sends the notice (text + HTML from the template) in the customer's language; nobody to send to (erased, no email): delivered without a send. */
export const deliverRevealNotice: OutboxDeliverer = async (msg, kernel) => {
  const brand = await kernel.brands.getById(msg.brandId);
  const profile = await kernel.brands.profile(brand);
  const subjectId = Number(msg.payload.subjectId);
  const recipient = Number.isInteger(subjectId) && subjectId > 0 ? await emailRecipient(kernel, brand.id, subjectId, profile.locale) : undefined;
  if (!recipient) {
    kernel.log.info({ outboxId: msg.id, topic: msg.topic, reason: 'no-recipient' }, 'reveal notice not sent: no address on record');
    return;
  }
  const locale = resolveLocale(recipient.locale);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Number(msg.payload.deadlineAt)));
  const mail = renderRevealNotice(locale, { brand: brand.name, domain: String(msg.payload.domain), date, id: String(msg.payload.requestId) });
  await kernel.service<MailerService>('mailer').send({
    brandId: brand.id, to: recipient.email, ...mail,
    idempotencyKey: msg.idempotencyKey, headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': locale },
  });
};
