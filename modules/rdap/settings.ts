/** Per-brand RDAP settings, read from the profile's `modules.rdap` section. */
import { z } from 'zod';
import { RegistrarInfo } from './registrar-entity';

/** The contact form behind a redacted email's `contact-uri` (modules/rdap/contact, docs/rdap-contact.md). */
export const ContactFormSettings = z.object({
  /** Messages one sender address (IP, IPv6 by /56) may send per window, whatever the domain. */
  perSender: z.number().int().positive().default(5),
  /** Messages one domain may receive per window, from everyone together. */
  perDomain: z.number().int().positive().default(20),
  /** The window both limits count in, in minutes. */
  windowMinutes: z.number().int().positive().max(7 * 24 * 60).default(60),
  /** The longest message relayed, in characters. */
  messageMax: z.number().int().min(100).max(20_000).default(3000),
  /** The registered recipient (mail relay) and purpose the registrant's address is handed over under (MS-5.1). */
  recipient: z.string().min(1).default('email'),
  purpose: z.string().min(1).default('service'),
}).strict();
export type ContactFormSettings = z.infer<typeof ContactFormSettings>;

export const RdapSettings = z.object({
  /**
   * How a redacted email is replaced: `email` publishes the privacy service's anonymised forwarding address, `form` a
   * `contact-uri` to `contactFormUrl`; `auto` takes the form when one is configured, else the anonymised address
   * (else the suite's own contact form, /rdap/contact/{domain}). Exactly one of the two appears, never both.
   */
  redactedEmail: z.enum(['auto', 'email', 'form']).default('auto'),
  /** Web form for contacting a registrant; `{domain}` and `{role}` are filled in. Unset: the suite's own form. */
  contactFormUrl: z.string().url().optional(),
  /** Where the terms of service of the RDAP service are published (default: the suite's /rdap/help). */
  termsUrl: z.string().url().optional(),
  /** The suite's own contact form: limits and the transfer it relays under. */
  contactForm: ContactFormSettings.default({}),
  /** The registrar's own entity (IANA id, name, abuse contact) for /rdap/entity and the domain answers. */
  registrar: RegistrarInfo.optional(),
}).passthrough();
export type RdapSettings = z.infer<typeof RdapSettings>;
