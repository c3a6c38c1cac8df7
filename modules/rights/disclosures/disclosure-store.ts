/** Reads legal disclosure requests (rights_disclosure_requests): the requester decrypted, field names only — never values. */
import type { Knex } from 'knex';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { DisclosureStatus, DisclosureView, Requester } from './disclosure-types';

/** A row of rights_disclosure_requests. */
export interface DisclosureRow {
  id: number; brand_id: number; subject_id: number; requester_enc: string; legal_basis: string; reference: string | null; fields: string;
  status: DisclosureStatus; requested_by: string; approver: string | null; released: string | null; disclosure_id: number | null;
  decided_at: number | null; created_at: number; recipient: string | null; decision_note_enc: string | null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The row of a brand's disclosure request, or SUITE_RIGHTS_DISCLOSURE_UNKNOWN (also for another brand's id). */
export async function disclosureRow(db: Knex | Knex.Transaction, brandId: number, id: number): Promise<DisclosureRow> {
  const row = (await db('rights_disclosure_requests').where({ id, brand_id: brandId }).first()) as DisclosureRow | undefined;
  if (!row) throw new SuiteError('SUITE_RIGHTS_DISCLOSURE_UNKNOWN', { id });
  return row;
}

/** Decrypts a row into the admin's view (requester details, field names, decision; no values). */
export async function toDisclosure(kernel: Kernel, r: DisclosureRow): Promise<DisclosureView> {
  return {
    id: Number(r.id), brandId: Number(r.brand_id), subjectId: Number(r.subject_id), recipient: r.recipient,
    requester: JSON.parse(await kernel.keyring.decrypt(r.requester_enc)) as Requester,
    legalBasis: r.legal_basis, reference: r.reference, fields: JSON.parse(r.fields) as string[], status: r.status,
    requestedBy: r.requested_by, approver: r.approver, released: r.released ? (JSON.parse(r.released) as string[]) : null,
    disclosureId: num(r.disclosure_id), decidedAt: num(r.decided_at), createdAt: Number(r.created_at),
  };
}

/** A brand's disclosure requests, newest first, optionally of one status. */
export async function listDisclosures(kernel: Kernel, brandId: number, opts: { status?: DisclosureStatus; limit?: number } = {}): Promise<DisclosureView[]> {
  let q = kernel.db('rights_disclosure_requests').where({ brand_id: brandId }).orderBy('id', 'desc').limit(Math.min(opts.limit ?? 200, 1000));
  if (opts.status) q = q.where({ status: opts.status });
  const rows = (await q) as DisclosureRow[];
  const out: DisclosureView[] = [];
  for (const r of rows) out.push(await toDisclosure(kernel, r));
  return out;
}
