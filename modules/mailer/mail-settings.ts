/** Per-brand mailer settings, read from the profile's `modules.mailer` section. */
import { z } from 'zod';

/** `fromAddress` overrides SUITE_MAIL_FROM for one brand (it must be a sender the SMTP relay may use). */
export const MailerSettings = z.object({ fromAddress: z.string().email().optional() }).passthrough();
export type MailerSettings = z.infer<typeof MailerSettings>;
