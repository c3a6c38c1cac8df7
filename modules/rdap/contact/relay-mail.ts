/**
 * 'rdap.contact-relay': sends a contact form message to the contact of the domain as the registrant module knows it at
 * delivery (the registrant's own address, or the privacy service's forwarding address under ID protection). The
 * address is looked up here, never stored in the payload; the sender's typed address goes in Reply-To only.
 */
import { z } from 'zod';
import { resolveLocale, t } from '../../../core/i18n';
import type { OutboxDeliverer } from '../../../core/modules/define-module';
import type { MailerService, MailMessage } from '../../mailer/public';
import type { RegistrantService } from '../../registrant/public';
import { CONTACT_ROLES } from './contact-form';

export const RELAY_TOPIC = 'rdap.contact-relay';

/** What the outbox carries (sealed by the outbox's encryption at rest). */
export const RelayPayload = z.object({
  domain: z.string().min(1), role: z.enum(CONTACT_ROLES), senderName: z.string(), senderEmail: z.string().email(), message: z.string(),
});
export type RelayPayload = z.infer<typeof RelayPayload>;

/** Makes links in a stranger's text inert (a phishing precaution): `hxxps://`, `www[.]`, `mailto[:]`. */
export function defang(text: string): string {
  return text.replace(/\bhttp(s?):\/\//gi, 'hxxp$1://')
    .replace(/\b(ftp|file|javascript|data):/gi, '$1[:]')
    .replace(/\bwww\./gi, 'www[.]')
    .replace(/\bmailto:/gi, 'mailto[:]');
}

/** The relayed mail in the brand's language: plain text only, so nothing in it renders as markup. */
export function relayMail(locale: string, p: RelayPayload, brand: string): { subject: string; text: string } {
  const role = t(locale, `rdap.contact.mail.role.${p.role}`);
  const rule = '-'.repeat(60);
  const text = [
    t(locale, 'rdap.contact.mail.intro', { domain: p.domain, role, brand }),
    '',
    t(locale, 'rdap.contact.mail.unverified'),
    t(locale, 'rdap.contact.mail.reply'),
    '',
    t(locale, 'rdap.contact.mail.sender', { name: p.senderName, email: p.senderEmail }),
    rule,
    defang(p.message),
    rule,
    t(locale, 'rdap.contact.mail.footer', { brand }),
  ].join('\n');
  return { subject: t(locale, 'rdap.contact.mail.subject', { domain: p.domain }), text: `${text}\n` };
}

/**
 * Blanks the message's sealed payload once it is sent or will not be: the outbox keeps recipient, purpose and times,
 * not the stranger's words. A retry after a crash between the send and this finds `{}` and sends nothing twice.
 */
async function scrub(kernel: Parameters<OutboxDeliverer>[1], id: number): Promise<void> {
  await kernel.db('outbox').where({ id, topic: RELAY_TOPIC }).update({ payload_enc: kernel.keyring.encryptSync('{}') });
}

/** Sends one relay; a domain gone or a contact without an address is delivered without a send (logged by outbox id only). */
export const deliverRelay: OutboxDeliverer = async (msg, kernel) => {
  const parsed = RelayPayload.safeParse(msg.payload);
  const data = parsed.success ? await kernel.service<RegistrantService>('registrant').registrationData(msg.brandId, parsed.data.domain) : undefined;
  const to = parsed.success ? data?.contacts[parsed.data.role]?.email : undefined;
  if (!parsed.success || !to) {
    kernel.log.info({ outboxId: msg.id, topic: msg.topic, reason: parsed.success ? 'no-recipient' : 'bad-payload' }, 'contact form message not relayed');
    await scrub(kernel, msg.id);
    return;
  }
  const brand = await kernel.brands.getById(msg.brandId);
  const profile = await kernel.brands.profile(brand);
  const locale = resolveLocale(profile.locale);
  const mail = relayMail(locale, parsed.data, profile.branding?.name ?? brand.name);
  // Replies go to the sender (the mailer's default is the brand controller's address).
  const out: MailMessage = {
    brandId: brand.id, to, ...mail, idempotencyKey: msg.idempotencyKey, replyTo: parsed.data.senderEmail,
    headers: { 'Content-Language': locale },
  };
  await kernel.service<MailerService>('mailer').send(out);
  await scrub(kernel, msg.id);
};

/** Topic → deliverer, for the module's `outbox` map. */
export const contactOutbox: Record<string, OutboxDeliverer> = { [RELAY_TOPIC]: deliverRelay };
