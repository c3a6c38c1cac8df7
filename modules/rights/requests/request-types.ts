/** The request model: types, statuses, sources, verification methods, and the intake schema shared by every entry point. */
import { z } from 'zod';
import { RectifyChanges } from '../rectify/rectify-changes';

/** What a person may ask (MS-8a … MS-8f, SP-5.1, SP-6.1, MS-7.1). */
export const RequestType = z.enum(['confirm', 'access', 'portability', 'rectify', 'erase', 'restrict', 'object', 'withdraw-consent']);
export type RequestType = z.infer<typeof RequestType>;

/** received → verified → fulfilled; rejected or cancelled end it early; in-progress while an export or erasure runs. */
export const RequestStatus = z.enum(['received', 'verified', 'in-progress', 'fulfilled', 'rejected', 'cancelled']);
export type RequestStatus = z.infer<typeof RequestStatus>;

/** Statuses after which nothing changes. */
export const CLOSED_STATUSES: readonly RequestStatus[] = ['fulfilled', 'rejected', 'cancelled'];

export const RequestSource = z.enum(['admin', 'hook', 'public']);
export type RequestSource = z.infer<typeof RequestSource>;

/** How identity was established (MS-8d): the panel's logged-in session, an emailed one-time code, or an admin's recorded check. */
export const VerificationMethod = z.enum(['panel-session', 'email-code', 'manual']);
export type VerificationMethod = z.infer<typeof VerificationMethod>;

/** A request's service level: a person's request (profile.rights due rule) or a reseller's removal order to its provider (WSM-25). */
export const RequestSla = z.enum(['dsar', 'reseller-removal']);
export type RequestSla = z.infer<typeof RequestSla>;

/** The panel's reference for a person: kind and the panel's id (WHMCS userid / contactid / payer id). */
export const PanelRef = z.object({ kind: z.enum(['client', 'contact', 'payer']).default('client'), id: z.union([z.string().min(1).max(64), z.number().int().positive()]) });
export type PanelRef = z.infer<typeof PanelRef>;

/** Fields a rectification may change (the inventory's contact and billing fields). */
export const RectifiableField = z.enum(['firstname', 'lastname', 'companyname', 'email', 'phonenumber', 'address1', 'address2', 'city', 'state', 'postcode', 'country', 'tax_id']);
export type RectifiableField = z.infer<typeof RectifiableField>;

/** The intake body, the same for the admin API, the hook and the public endpoint. */
export const RequestInput = z.object({
  type: RequestType,
  /** The inventory subject (admin only). */
  subjectId: z.number().int().positive().optional(),
  /** The person as the panel knows them. */
  client: PanelRef.optional(),
  email: z.string().trim().email('validation.format.email').max(254).optional(),
  name: z.string().trim().max(190).optional(),
  message: z.string().max(5000).optional(),
  /** rectify: field → new value. */
  changes: z.record(RectifiableField, z.string().max(500)).optional(),
  /** object: the marketing channels to stop (default all). */
  channels: z.array(z.enum(['email', 'sms', 'phone'])).optional(),
  locale: z.string().max(8).optional(),
}).strict().superRefine((v, ctx) => {
  if (v.type === 'rectify' && (!v.changes || Object.keys(v.changes).length === 0)) ctx.addIssue({ code: 'custom', path: ['changes'], message: 'validation.rights.rectifyNeedsChanges' });
  if (v.type !== 'rectify' && v.changes) ctx.addIssue({ code: 'custom', path: ['changes'], message: 'validation.rights.changesOnlyForRectify' });
  if (v.type === 'rectify' && v.changes) {
    const checked = RectifyChanges.safeParse(v.changes);
    if (!checked.success) for (const i of checked.error.issues) ctx.addIssue({ code: 'custom', path: ['changes', ...i.path], message: i.message, params: { ...(i.code === 'custom' ? i.params : {}), ...('maximum' in i ? { maximum: Number(i.maximum) } : {}) } });
  }
  if (v.subjectId === undefined && !v.client && !v.email) ctx.addIssue({ code: 'custom', path: ['email'], message: 'validation.rights.whoIsItAbout' });
});
export type RequestInput = z.infer<typeof RequestInput>;

/** What the requester told us, stored encrypted. */
export interface RequesterDetails { email?: string; name?: string; message?: string; changes?: Partial<Record<RectifiableField, string>>; channels?: string[] }

/** A request as the admin API shows it to the controller. */
export interface RightsRequest {
  id: number;
  brandId: number;
  queueBrandId: number;
  subjectId: number | null;
  type: RequestType;
  status: RequestStatus;
  sla: RequestSla;
  parentRequestId: number | null;
  source: RequestSource;
  locale: string;
  requester: RequesterDetails;
  verification: { method: VerificationMethod; at: number; by: string } | null;
  dueAt: number;
  originalDueAt: number;
  extension: { reason: string; at: number } | null;
  result: Record<string, unknown> | null;
  closedReason: string | null;
  fulfilledAt: number | null;
  createdAt: number;
  updatedAt: number;
}
