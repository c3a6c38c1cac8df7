/** 'registrant.reveal-notice': tells the customer about a reveal request and the deadline to answer, through the mailer. */
import { resolveLocale, t } from '../../../core/i18n';
import type { OutboxDeliverer } from '../../../core/modules/define-module';
import type { MailerService } from '../../mailer/mailer-service';

/** Sends the notice in the customer's language; nobody to send to (erased, no email): delivered without a send. */
export const deliverRevealNotice: OutboxDeliverer = async (msg, kernel) => {
  const brand = await kernel.brands.getById(msg.brandId);
  const profile = await kernel.brands.profile(brand);
  const subjectId = Number(msg.payload.subjectId);
  const subject = await kernel.subjects.get(subjectId).catch(() => undefined);
  const fields = subject && subject.status !== 'erased' && subject.brandId === brand.id ? await kernel.subjects.fields(subjectId, ['contact']) : [];
  const email = fields.find((f) => f.name === 'email')?.value.trim();
  if (!email) {
    kernel.log.info({ outboxId: msg.id, topic: msg.topic, reason: 'no-recipient' }, 'reveal notice not sent: no address on record');
    return;
  }
  const locale = resolveLocale(profile.locale);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Number(msg.payload.deadlineAt)));
  const params = { brand: brand.name, domain: String(msg.payload.domain), date, id: String(msg.payload.requestId) };
  await kernel.service<MailerService>('mailer').send({
    brandId: brand.id, to: email, subject: t(locale, 'registrant.revealNotice.subject', params), text: t(locale, 'registrant.revealNotice.text', params),
    idempotencyKey: msg.idempotencyKey, headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': locale },
  });
};
