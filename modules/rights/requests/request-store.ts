/** Reads and writes rights requests: requester and result encrypted, every change a timeline event and an audit entry. */
import type { Knex } from 'knex';
import { SuiteError } from '../../../core/errors';
import type { Actor } from '../../../core/audit/audit-log';
import type { Kernel } from '../../../core/kernel';
import type { RequestSla, RequestSource, RequestStatus, RequestType, RequesterDetails, RightsRequest, VerificationMethod } from './request-types';

type Db = Knex | Knex.Transaction;

/** A row of rights_requests. */
export interface RequestRow {
  id: number; brand_id: number; queue_brand_id: number; subject_id: number | null; type: RequestType; status: RequestStatus; sla: RequestSla;
  parent_request_id: number | null; source: RequestSource; locale: string; requester_enc: string; requester_hash: string | null;
  verification_method: VerificationMethod | null; verified_at: number | null; verified_by: string | null; due_at: number; original_due_at: number;
  extension_reason: string | null; extended_at: number | null; reminded_at: number | null; result_enc: string | null; closed_reason: string | null;
  fulfilled_at: number | null; created_at: number; updated_at: number;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Decrypts a row into the view the controller sees. */
export async function toRequest(kernel: Kernel, r: RequestRow): Promise<RightsRequest> {
  return {
    id: Number(r.id), brandId: Number(r.brand_id), queueBrandId: Number(r.queue_brand_id), subjectId: num(r.subject_id), type: r.type, status: r.status,
    sla: r.sla, parentRequestId: num(r.parent_request_id), source: r.source, locale: r.locale,
    requester: JSON.parse(await kernel.keyring.decrypt(r.requester_enc)) as RequesterDetails,
    verification: r.verification_method ? { method: r.verification_method, at: Number(r.verified_at), by: r.verified_by ?? '' } : null,
    dueAt: Number(r.due_at), originalDueAt: Number(r.original_due_at),
    extension: r.extension_reason ? { reason: r.extension_reason, at: Number(r.extended_at) } : null,
    result: r.result_enc ? (JSON.parse(await kernel.keyring.decrypt(r.result_enc)) as Record<string, unknown>) : null,
    closedReason: r.closed_reason, fulfilledAt: num(r.fulfilled_at), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  };
}

/** The row of a request, or SUITE_RIGHTS_REQUEST_UNKNOWN. */
export async function requestRow(db: Db, id: number, opts: { forUpdate?: boolean } = {}): Promise<RequestRow> {
  let q = db('rights_requests').where({ id });
  if (opts.forUpdate && (db as Knex.Transaction).isTransaction) q = q.forUpdate();
  const row = (await q.first()) as RequestRow | undefined;
  if (!row) throw new SuiteError('SUITE_RIGHTS_REQUEST_UNKNOWN', { id });
  return row;
}

/** "apikey:abc" — how an actor is written in the timeline. */
export function actorString(a: Actor): string {
  return `${a.type}:${a.id}`;
}

/** Appends a timeline event (no personal data in `details`) and the matching audit entry, in `trx`. */
export async function addEvent(kernel: Kernel, trx: Knex.Transaction, req: { id: number; brand_id: number }, event: string, actor: Actor, details: Record<string, unknown> = {}, ip?: string): Promise<void> {
  await trx('rights_request_events').insert({ request_id: req.id, event, actor: actorString(actor), details: JSON.stringify(details), at: Date.now() });
  await kernel.audit.record({ brandId: Number(req.brand_id), actor, action: `rights.request.${event}`, targetType: 'rights_request', targetId: req.id, details, ip }, trx);
}

/** The timeline of a request, oldest first. */
export async function requestEvents(db: Db, id: number): Promise<{ event: string; actor: string; details: Record<string, unknown>; at: number }[]> {
  const rows = (await db('rights_request_events').where({ request_id: id }).orderBy('id')) as { event: string; actor: string; details: string | null; at: number }[];
  return rows.map((r) => ({ event: r.event, actor: r.actor, details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : {}, at: Number(r.at) }));
}

/** Moves a request to `status` (refusing closed requests), optionally storing the result; one event. */
export async function setStatus(kernel: Kernel, trx: Knex.Transaction, row: RequestRow, status: RequestStatus, actor: Actor, extra: { result?: Record<string, unknown>; reason?: string; details?: Record<string, unknown> } = {}): Promise<void> {
  if (['fulfilled', 'rejected', 'cancelled'].includes(row.status)) throw new SuiteError('SUITE_RIGHTS_REQUEST_CLOSED', { id: row.id, status: row.status });
  const now = Date.now();
  const patch: Record<string, unknown> = { status, updated_at: now };
  if (extra.result) patch.result_enc = kernel.keyring.encryptSync(JSON.stringify(extra.result));
  if (extra.reason) patch.closed_reason = extra.reason.slice(0, 190);
  if (status === 'fulfilled') patch.fulfilled_at = now;
  await trx('rights_requests').where({ id: row.id }).update(patch);
  await addEvent(kernel, trx, row, status, actor, { ...(extra.details ?? {}), ...(extra.reason ? { reason: extra.reason.slice(0, 190) } : {}) });
  Object.assign(row, patch);
}
