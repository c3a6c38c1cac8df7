/** Legal disclosures to authorities (MS-5.2, WSM-15): the request and decision bodies, statuses, and the views an admin sees. */
import { z } from 'zod';

/** An inventory field name (e.g. "email", "ip", a mapped custom field). */
export const FieldName = z.string().trim().regex(/^[a-z][a-z0-9_:-]{0,63}$/, 'validation.rights.inventoryFieldName');

const fieldList = z.array(FieldName).min(1, 'validation.rights.fieldsRequired').max(50)
  .refine((a) => new Set(a).size === a.length, { message: 'validation.rights.fieldOnce' });

/** Who asks: the authority, how to reach it, and the officer in charge. Stored encrypted. */
export const Requester = z.object({
  authority: z.string().trim().min(2, 'validation.rights.authorityRequired').max(190),
  contact: z.string().trim().min(3, 'validation.rights.authorityContact').max(500),
  officer: z.string().trim().max(190).optional(),
}).strict();
export type Requester = z.infer<typeof Requester>;

/** POST /disclosures: a request by an authority for named fields of one subject, on a stated legal basis. */
export const DisclosureInput = z.object({
  subjectId: z.number().int().positive(),
  requester: Requester,
  legalBasis: z.string().trim().min(8, 'validation.rights.legalBasisRequired').max(190),
  reference: z.string().trim().min(1).max(190).optional(),
  fields: fieldList,
  /** The registered authority recipient; default: the brand's first recipient of kind authority for the purpose legal. */
  recipient: z.string().max(64).optional(),
}).strict();
export type DisclosureInput = z.infer<typeof DisclosureInput>;

/** POST /disclosures/:id/decision: approve (optionally only some of the requested fields) or refuse, with an optional note. */
export const DecisionInput = z.object({
  approve: z.boolean({ required_error: 'say whether the disclosure is approved (true) or refused (false)' }),
  fields: fieldList.optional(),
  note: z.string().trim().max(1000).optional(),
}).strict();
export type DecisionInput = z.infer<typeof DecisionInput>;

/** pending → approved (the package was handed out once) or refused. */
export type DisclosureStatus = 'pending' | 'approved' | 'refused';

/** A disclosure request as an admin sees it: never the released values. */
export interface DisclosureView {
  id: number;
  brandId: number;
  subjectId: number;
  recipient: string | null;
  requester: Requester;
  legalBasis: string;
  reference: string | null;
  fields: string[];
  status: DisclosureStatus;
  requestedBy: string;
  approver: string | null;
  released: string[] | null;
  disclosureId: number | null;
  decidedAt: number | null;
  createdAt: number;
}

/** What the approver receives once, to hand to the authority: the released values and the log reference. */
export interface DisclosurePackage {
  requestId: number;
  disclosureId: number | null;
  recipient: string;
  legalBasis: string;
  reference: string | null;
  subjectId: number;
  fields: { name: string; category: string; value: string }[];
  /** Approved fields the subject has no value for. */
  missing: string[];
  releasedAt: number;
}
