/** MailerService: sends one email for a brand over SMTP, with a Message-ID derived from the outbox idempotency key. */
import type { Transporter } from 'nodemailer';
import type { Kernel } from '../../core/kernel';
import { createMailTransport } from './mail-transport';
import { MailerSettings } from './mail-settings';
import { IDEMPOTENCY_HEADER, idempotencyHeaderValue, messageIdFor } from './message-id';
import { SmtpSendError } from './smtp-error';

/** The From address when SUITE_MAIL_FROM is unset. */
export const DEFAULT_MAIL_FROM = 'privacy@localhost';

/** One message to send. `idempotencyKey` is the outbox message's key: a retried send carries the same Message-ID. */
export interface MailMessage {
  brandId: number;
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  /** Where replies go (default the brand controller's address), e.g. the sender of a relayed contact form message. */
  replyTo?: string;
  idempotencyKey: string;
}

/** What the SMTP server accepted. */
export interface MailSent { messageId: string }

export class MailerService {
  private transport: Transporter | null = null;

  constructor(private readonly kernel: Kernel) {}

  /** Whether SUITE_SMTP_URL is set. */
  configured(): boolean {
    return Boolean(this.kernel.config.smtpUrl);
  }

  /** Sends a message; throws (so the outbox retries) when SMTP is not configured or the server refuses it. */
  async send(msg: MailMessage): Promise<MailSent> {
    this.transport ??= createMailTransport(this.kernel.config.smtpUrl, this.kernel.log);
    const brand = await this.kernel.brands.getById(msg.brandId);
    const profile = await this.kernel.brands.profile(brand);
    const settings = await this.kernel.settings<MailerSettings>('mailer', brand);
    const address = settings.fromAddress ?? this.kernel.config.mailFrom ?? DEFAULT_MAIL_FROM;
    const messageId = messageIdFor(msg.idempotencyKey, address);
    try {
      await this.transport.sendMail({
        from: { name: profile.controller?.name ?? brand.name, address },
        replyTo: msg.replyTo ?? profile.controller?.email,
        to: msg.to,
        subject: msg.subject.replace(/[\r\n]+/g, ' '),
        text: msg.text,
        html: msg.html,
        messageId,
        headers: { ...msg.headers, [IDEMPOTENCY_HEADER]: idempotencyHeaderValue(msg.idempotencyKey) },
      });
    } catch (err) {
      throw SmtpSendError.from(err);
    }
    return { messageId };
  }

  /** Closes the transport (pooled connections, if the URL asked for a pool). */
  close(): void {
    this.transport?.close();
    this.transport = null;
  }
}
