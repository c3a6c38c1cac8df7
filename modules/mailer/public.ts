/** What other modules may use of the mailer: its service (`kernel.service<MailerService>('mailer')`) and its message types. */
export type { MailerService, MailMessage, MailSent } from './mailer-service';
