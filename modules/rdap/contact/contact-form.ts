/** The contact form's input (zod, one lang key per failing field), its honeypot and the URL the form lives at. */
import { z } from 'zod';

/** The roles a message may be addressed to: the two contacts RDAP and WHOIS show. */
export const CONTACT_ROLES = ['registrant', 'tech'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

/** The hidden field a person never sees or fills; a bot filling every field is answered as usual and relayed nothing. */
export const HONEYPOT_FIELD = 'website';

/** The fields the page shows, in order (errors are shown next to each). */
export const FORM_FIELDS = ['name', 'email', 'role', 'message'] as const;

/** The form's schema; `messageMax` is the brand's cap. Messages are lang keys under rdap.contact.error. */
export function contactForm(messageMax: number) {
  return z.object({
    name: z.string({ required_error: 'rdap.contact.error.name' }).trim().min(1, 'rdap.contact.error.name').max(100, 'rdap.contact.error.nameLong')
      // No line breaks or control characters: the name goes into the relayed mail's text as one line.
      .refine((v) => ![...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), 'rdap.contact.error.name'),
    email: z.string({ required_error: 'rdap.contact.error.email' }).trim().max(254, 'rdap.contact.error.email').email('rdap.contact.error.email'),
    role: z.enum(CONTACT_ROLES, { errorMap: () => ({ message: 'rdap.contact.error.role' }) }),
    message: z.string({ required_error: 'rdap.contact.error.message' }).trim().min(10, 'rdap.contact.error.message').max(messageMax, 'rdap.contact.error.messageLong'),
    [HONEYPOT_FIELD]: z.string().optional(),
  });
}
export type ContactForm = z.infer<ReturnType<typeof contactForm>>;

/** The form's path for a domain (LDH form) at the site root; the domain decides the brand. */
export function contactFormPath(domain: string): string {
  return `/rdap/contact/${encodeURIComponent(domain)}`;
}

/** The `contactFormUrl` template of the suite's own form under `baseUrl` ({domain} and {role} filled in by RDAP and WHOIS). */
export function defaultContactFormUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/rdap/contact/{domain}?role={role}`;
}
