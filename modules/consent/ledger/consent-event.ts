/** A consent event as recorded in the ledger: the fields of a consent receipt (ISO/IEC TS 27560, Kantara). */
import { z } from 'zod';

/** What a person agreed to or refused: policy documents, marketing per channel, cookie categories, sale/sharing, processing. */
export const ConsentPurpose = z.enum([
  'terms', 'privacy', 'dpa', 'cookies-policy',
  'marketing:email', 'marketing:sms', 'marketing:phone',
  'cookies:analytics', 'cookies:marketing', 'cookies:social',
  'sale-sharing', 'processing',
  /** Consent to publish named registration data fields (the registrant module keeps which fields, per domain). */
  'registration-publish',
]);
export type ConsentPurpose = z.infer<typeof ConsentPurpose>;

export const ConsentAction = z.enum(['given', 'withdrawn', 'expired', 'rejected']);
export type ConsentAction = z.infer<typeof ConsentAction>;

export const ConsentMethod = z.enum(['checkbox', 'double-opt-in', 'implied', 'gpc', 'admin-written', 'default', 'link', 'banner']);
export type ConsentMethod = z.infer<typeof ConsentMethod>;

export const CollectionPoint = z.enum(['registration', 'checkout', 'newsletter', 'cookie-banner', 'privacy-center', 'admin', 'profile', 'policy-change', 'unsubscribe']);
export type CollectionPoint = z.infer<typeof CollectionPoint>;

/** One event to record. A subject is either a known subject id or an anonymous key (cookie visitor, suppressed address). */
export const ConsentEvent = z.object({
  brandId: z.number().int().positive(),
  subjectId: z.number().int().positive().nullable(),
  /** For anonymous visitors: a stable visitor id (hashed before it is stored). */
  visitorId: z.string().min(8).max(128).optional(),
  purpose: ConsentPurpose,
  action: ConsentAction,
  method: ConsentMethod,
  channel: z.enum(['web', 'api', 'panel', 'email', 'sms', 'phone', 'written']),
  collectionPoint: CollectionPoint,
  documentId: z.number().int().positive().nullable().optional(),
  bannerVersion: z.string().max(32).optional(),
  ip: z.string().max(64).optional(),
  userAgent: z.string().max(1000).optional(),
  at: z.number().int().positive().optional(),
}).refine((e) => e.subjectId !== null || e.visitorId, { message: 'validation.consent.subjectOrVisitor', path: ['subjectId'] });
export type ConsentEvent = z.infer<typeof ConsentEvent>;

/** A receipt as stored and handed to the person. */
export interface ConsentReceipt {
  receiptId: string;
  seq: number;
  brandId: number;
  controller: string;
  subjectId: number | null;
  subjectKey: string;
  purpose: ConsentPurpose;
  action: ConsentAction;
  method: ConsentMethod;
  channel: string;
  collectionPoint: CollectionPoint;
  document: { id: number; version: string; hash: string } | null;
  bannerVersion: string | null;
  at: number;
  hash: string;
}
