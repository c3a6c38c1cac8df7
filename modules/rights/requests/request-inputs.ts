/** What an extension and a rejection need, the same for the admin API (JSON) and the panel's forms. */
import { z } from 'zod';

const DAYS = 'validation.rights.extendDays';

/** An extension: 1–60 business days and why (GDPR Art. 12(3)). */
export const ExtendInput = z.object({
  businessDays: z.number({ required_error: DAYS, invalid_type_error: DAYS }).int(DAYS).min(1, DAYS).max(60, DAYS),
  reason: z.string({ required_error: 'validation.rights.extendReason' }).trim().min(3, 'validation.rights.extendReason').max(500),
});

/** A rejection and its reason (told to the requester). */
export const RejectInput = z.object({
  reason: z.string({ required_error: 'validation.rights.rejectReason' }).trim().min(3, 'validation.rights.rejectReason').max(190),
});
