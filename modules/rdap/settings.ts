/** Per-brand RDAP settings, read from the profile's `modules.rdap` section. */
import { z } from 'zod';

export const RdapSettings = z.object({
  /**
   * How a redacted email is replaced: `email` publishes the privacy service's anonymised forwarding address, `form` a
   * `contact-uri` to `contactFormUrl`; `auto` takes the form when one is configured, else the anonymised address
   * (else a form link to the controller's address). Exactly one of the two appears, never both.
   */
  redactedEmail: z.enum(['auto', 'email', 'form']).default('auto'),
  /** Web form for contacting a registrant; `{domain}` and `{role}` are filled in. */
  contactFormUrl: z.string().url().optional(),
  /** Where the terms of service of the RDAP service are published (default: the suite's /rdap/help). */
  termsUrl: z.string().url().optional(),
}).passthrough();
export type RdapSettings = z.infer<typeof RdapSettings>;
