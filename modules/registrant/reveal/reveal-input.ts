/** Inputs of the reveal workflow (WSM-17): a complaint, and the admin's decision. */
import { z } from 'zod';

/** A complaint asking to reveal a protected registrant. */
export const RevealComplaint = z.object({
  domain: z.string().trim().min(3).max(253),
  complainant: z.object({ name: z.string().trim().min(1).max(255), email: z.string().trim().email(), organisation: z.string().trim().max(255).optional() }).strict(),
  legalBasis: z.string().trim().min(3).max(500),
  evidence: z.string().trim().min(3).max(20_000),
}).strict();
export type RevealComplaint = z.infer<typeof RevealComplaint>;

/**
 * The admin's decision; disclosing before the customer's deadline needs `beforeDeadline: true` (audited). `lift` ends
 * a suspension (only on a suspended request); the others decide a request still waiting.
 */
export const RevealDecision = z.object({
  decision: z.enum(['disclose', 'suspend', 'reject', 'lift']),
  reason: z.string().trim().max(1000).optional(),
  beforeDeadline: z.boolean().default(false),
}).strict();
export type RevealDecision = z.infer<typeof RevealDecision>;
