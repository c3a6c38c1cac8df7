/** Per-brand rights settings, read from the profile's `modules.rights` section (due rules live in the profile's `rights`). */
import { z } from 'zod';
import { DataCategory } from '../../core/profile/schema';

export const RightsSettings = z.object({
  /** Business days before the due date at which an open request counts as near due (queue flag and reminder). */
  nearDueBusinessDays: z.number().int().min(0).max(30).default(1),
  /** Where due reminders go: the controller's email (profile) unless set here. */
  reminderEmail: z.string().email().optional(),
  export: z.object({
    /** Hours the one-time download link of an export stays valid. */
    linkTtlHours: z.number().int().min(1).max(24 * 30).default(72),
  }).default({}),
  verification: z.object({
    /** Minutes an emailed one-time code stays valid, and how many wrong tries it takes. */
    codeTtlMinutes: z.number().int().min(5).max(24 * 60).default(30),
    maxAttempts: z.number().int().min(1).max(10).default(5),
  }).default({}),
  /** Data categories a co-marketing partner export may carry (WSM-13); billing and payment tokens can never pass. */
  partnerCategories: z.array(DataCategory).default(['contact']),
}).passthrough();
export type RightsSettings = z.infer<typeof RightsSettings>;
