/**
 * The email that brings a person the one-time link to their export (outbox topic 'rights.export-ready'): queued with
 * the export, sent to the address on record in the request's language. Answering an access request is a legal
 * obligation, so the purpose is 'legal' where the brand registers it for its mail relay (it is also allowed for a
 * restricted subject), else 'service'. A link no longer usable when the message is delivered is not sent.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { resolveLocale } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import type { OutboxDeliverer } from '../../../core/modules/define-module';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { requireTransfer } from '../../../core/registers/processing-register';
import { renderEmailTemplate } from '../../../core/templates/email-template';
import type { MailerService } from '../../mailer/public';
import { downloadPath } from './export-store';

/** The outbox topic. */
export const EXPORT_READY_TOPIC = 'rights.export-ready';

/** The message payload (encrypted at rest in the outbox: it carries the token). */
export const ExportReadyPayload = z.object({ subjectId: z.number().int().positive(), exportId: z.number().int().positive(), token: z.string().min(43), expiresAt: z.number().int(), locale: z.string().max(8) });
export type ExportReadyPayload = z.infer<typeof ExportReadyPayload>;

function transferAllowed(profile: PrivacyProfile, purpose: string): boolean {
  try {
    requireTransfer(profile, 'email', purpose);
    return true;
  } catch {
    return false;
  }
}

/** Queues the link email in `trx`; answers why not when the brand has no mail relay for it or processing is restricted. */
export async function queueExportEmail(kernel: Kernel, trx: Knex.Transaction, profile: PrivacyProfile, brandId: number, payload: ExportReadyPayload): Promise<{ queued: boolean; outboxId?: number; reason?: string }> {
  const purpose = ['legal', 'service'].find((p) => transferAllowed(profile, p));
  if (!purpose) return { queued: false, reason: 'no registered mail relay (recipient "email") for purpose legal or service' };
  if (!(await kernel.subjects.processingAllowed(payload.subjectId, purpose, trx))) return { queued: false, reason: 'processing is restricted' };
  const msg = await kernel.outbox.enqueue(trx, profile, { brandId, topic: EXPORT_READY_TOPIC, recipient: 'email', purpose, subjectId: payload.subjectId, categories: ['contact'], payload });
  return { queued: true, outboxId: msg.id };
}

/** The base URL of links in emails: `modules.rights.publicUrl`, else `modules.consent.publicUrl`, else the suite's host and port. */
export function linkBaseUrl(kernel: Kernel, profile: PrivacyProfile): string {
  for (const m of ['rights', 'consent']) {
    const configured = (profile.modules?.[m] as Record<string, unknown> | undefined)?.publicUrl;
    if (typeof configured === 'string' && /^https?:\/\//.test(configured)) return configured.replace(/\/+$/, '');
  }
  return `http://${kernel.config.host}:${kernel.config.port}`;
}

/** Delivers 'rights.export-ready'. */
export const deliverExportReady: OutboxDeliverer = async (msg, kernel) => {
  const p = ExportReadyPayload.parse(msg.payload);
  const row = (await kernel.db('rights_exports').where({ id: p.exportId }).first('state', 'expires_at')) as { state: string; expires_at: number } | undefined;
  if (!row || row.state !== 'ready' || Number(row.expires_at) <= Date.now()) {
    kernel.log.info({ outboxId: msg.id, exportId: p.exportId, reason: 'link-gone' }, 'export email not sent: the link is no longer usable');
    return;
  }
  const subject = await kernel.subjects.get(p.subjectId);
  const email = subject.status === 'erased' ? undefined : (await kernel.subjects.fields(p.subjectId, ['contact'])).find((f) => f.name === 'email')?.value.trim();
  if (!email) {
    kernel.log.info({ outboxId: msg.id, exportId: p.exportId, reason: 'no-recipient' }, 'export email not sent: no address on record');
    return;
  }
  const brand = await kernel.brands.getById(msg.brandId);
  const profile = await kernel.brands.profile(brand);
  const locale = resolveLocale(p.locale);
  const expires = `${new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(p.expiresAt))} UTC`;
  const mail = renderEmailTemplate('rights-export-ready', locale, { brand: brand.name, url: `${linkBaseUrl(kernel, profile)}${downloadPath(brand.slug, p.exportId, p.token)}`, expires });
  await kernel.service<MailerService>('mailer').send({
    brandId: brand.id, to: email, ...mail, idempotencyKey: msg.idempotencyKey,
    headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': locale },
  });
};
