/**
 * The common path of the consent deliverers: find the recipient in the inventory, render in their language, send through
 * the mailer service with the outbox idempotency key. Nobody to send to (erased subject, no email): delivered without a
 * send, logged with the outbox id only. These are transactional messages, sent whatever the marketing consent.
 */
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { OutboxDeliverer } from '../../../core/modules/define-module';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { MailerService } from '../../mailer/public';
import { emailRecipient } from '../../../core/subjects/email-recipient';
import { renderConsentEmail, type ConsentEmailName } from './render-email';

/** An outbox message as a deliverer receives it. */
export type ConsentOutboxMessage = Parameters<OutboxDeliverer>[0];

/** What a message's view builder gets: the brand, its profile, the locale chosen, and the message. */
export interface ViewContext { kernel: Kernel; brand: Brand; profile: PrivacyProfile; locale: string; msg: ConsentOutboxMessage; subjectId: number }

/** Builds a deliverer for one template: `locale` may force the language (e.g. the policy document's), `view` fills the template. */
export function consentEmailDeliverer(name: ConsentEmailName, build: {
  locale?: (msg: ConsentOutboxMessage) => string | undefined;
  view: (c: ViewContext) => Record<string, string | number | undefined>;
}): OutboxDeliverer {
  return async (msg, kernel) => {
    const subjectId = Number(msg.payload.subjectId);
    const brand = await kernel.brands.getById(msg.brandId);
    const profile = await kernel.brands.profile(brand);
    const recipient = Number.isInteger(subjectId) && subjectId > 0 ? await emailRecipient(kernel, brand.id, subjectId, profile.locale) : undefined;
    if (!recipient) {
      kernel.log.info({ outboxId: msg.id, topic: msg.topic, reason: 'no-recipient' }, 'consent email not sent: no address on record (erased or never given)');
      return;
    }
    const locale = build.locale?.(msg) ?? recipient.locale;
    const mail = renderConsentEmail(name, locale, build.view({ kernel, brand, profile, locale, msg, subjectId }));
    await kernel.service<MailerService>('mailer').send({
      brandId: brand.id, to: recipient.email, ...mail, idempotencyKey: msg.idempotencyKey,
      headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': locale },
    });
  };
}

/** An ISO date or epoch ms as a long date in `locale` (UTC). */
export function longDate(value: unknown, locale: string): string {
  const ms = typeof value === 'number' ? value : Date.parse(String(value));
  if (!Number.isFinite(ms)) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(ms));
}
