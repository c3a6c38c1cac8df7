/** Per-brand registrant settings, read from the profile's `modules.registrant` section. */
import { z } from 'zod';

/** The roles a registry takes for one TLD (ICANN Registration Data Policy: admin and billing only where required; thin: none). */
export const TldPolicy = z.object({
  contacts: z.array(z.enum(['registrant', 'admin', 'tech', 'billing'])).default(['registrant', 'tech']),
}).passthrough();
export type TldPolicy = z.infer<typeof TldPolicy>;

/** The brand's privacy-service (proxy) contact that replaces published contacts when ID protection is on. */
export const PrivacyService = z.object({
  name: z.string().min(1),
  org: z.string().min(1),
  street: z.array(z.string().min(1)).min(1).max(3),
  city: z.string().min(1),
  sp: z.string().optional(),
  pc: z.string().max(16).optional(),
  cc: z.string().regex(/^[A-Z]{2}$/),
  voice: z.string().regex(/^\+\d{1,3}\.\d{1,14}$/),
  /** Forwarding addresses are <hash>@<emailDomain>. */
  emailDomain: z.string().min(3),
});
export type PrivacyService = z.infer<typeof PrivacyService>;

export const RegistrantSettings = z.object({
  /** TLD (with its dot) → the contacts its registry takes; `default` applies to every other TLD. */
  tlds: z.record(z.string(), TldPolicy).default({}),
  default: TldPolicy.default({}),
  privacyService: PrivacyService.optional(),
  reveal: z.object({
    /** Days the customer has to answer a reveal request. */
    responseDays: z.number().int().min(1).max(90).default(14),
    /** The recipient a disclosure to a complainant is logged under (must be in the profile's register). */
    recipient: z.string().default('authority'),
  }).default({}),
}).passthrough();
export type RegistrantSettings = z.infer<typeof RegistrantSettings>;
