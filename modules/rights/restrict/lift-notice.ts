/**
 * The notice that a restriction is lifted (GDPR Art. 18(3), SP-5.1): queued in the lift's transaction as a notice to
 * the person themselves (`toSubject`, so the restriction still in force does not stop it), delivered in the brand's
 * language to the address on record. Outbox topic 'rights.restriction-lifted'.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import type { OutboxDeliverer } from '../../../core/modules/define-module';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { requireTransfer } from '../../../core/registers/processing-register';
import { renderEmailTemplate } from '../../../core/templates/email-template';
import type { MailerService } from '../../mailer/public';
import { LiftReason } from './lift-reason';

/** The outbox topic. */
export const LIFT_NOTICE_TOPIC = 'rights.restriction-lifted';

const Payload = z.object({ subjectId: z.number().int().positive(), reason: LiftReason, liftedAt: z.number().int() });

/** The registered purpose the notice goes under ('legal' where the mail relay has it, else 'service'), or undefined. */
function noticePurpose(profile: PrivacyProfile): string | undefined {
  return ['legal', 'service'].find((p) => {
    try {
      requireTransfer(profile, 'email', p);
      return true;
    } catch {
      return false;
    }
  });
}

/** Queues the notice in `trx`; answers the outbox id, or why it could not be queued (no mail relay registered). */
export async function queueLiftNotice(kernel: Kernel, trx: Knex.Transaction, profile: PrivacyProfile, brandId: number, subjectId: number, reason: LiftReason, liftedAt: number): Promise<{ outboxId: number | null; reason?: string }> {
  const purpose = noticePurpose(profile);
  if (!purpose) return { outboxId: null, reason: 'no registered mail relay (recipient "email") for purpose legal or service' };
  const msg = await kernel.outbox.enqueue(trx, profile, {
    brandId, topic: LIFT_NOTICE_TOPIC, recipient: 'email', purpose, subjectId, categories: ['contact'], toSubject: true,
    payload: { subjectId, reason, liftedAt }, idempotencyKey: `restriction-lifted:${subjectId}:${liftedAt}`,
  });
  return { outboxId: msg.id };
}

/** Delivers 'rights.restriction-lifted' (nobody to tell — erased, no address — is delivered without a send). */
export const deliverLiftNotice: OutboxDeliverer = async (msg, kernel) => {
  const p = Payload.parse(msg.payload);
  const subject = await kernel.subjects.get(p.subjectId);
  const email = subject.status === 'erased' ? undefined : (await kernel.subjects.fields(p.subjectId, ['contact'])).find((f) => f.name === 'email')?.value.trim();
  if (!email) {
    kernel.log.info({ outboxId: msg.id, reason: 'no-recipient' }, 'restriction-lifted notice not sent: no address on record');
    return;
  }
  const brand = await kernel.brands.getById(msg.brandId);
  const profile = await kernel.brands.profile(brand);
  const locale = profile.locale;
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(p.liftedAt));
  const mail = renderEmailTemplate('rights-restriction-lifted', locale, {
    brand: brand.name, date, reasonText: t(locale, `rights.restriction.reason.${p.reason}`), controllerEmail: profile.controller?.email ?? '',
  });
  await kernel.service<MailerService>('mailer').send({ brandId: brand.id, to: email, ...mail, idempotencyKey: msg.idempotencyKey, headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': locale } });
};
