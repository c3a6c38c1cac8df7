/**
 * Intake: one path for the admin API, the panel hook and the public endpoint. Finds the subject (by id, panel
 * reference or email through the blind index), routes the request to its controller's queue (WSM-25), sets the due
 * date from the brand's rule and calendar (MS-8c), and records a verification the caller already holds (MS-8d).
 */
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { Subject } from '../../../core/subjects/subject-service';
import { dueDate } from './due-date';
import { addEvent, actorString, requestRow, toRequest } from './request-store';
import type { RequestInput, RequestSla, RequestSource, RequesterDetails, RightsRequest, VerificationMethod } from './request-types';
import { queueBrandOf } from './routing';

/** How the request came in, and what the caller already vouches for. */
export interface OpenOptions {
  source: RequestSource;
  actor: Actor;
  ip?: string;
  /** A verification the caller holds: the panel's logged-in session, or an admin's check. */
  verification?: { method: VerificationMethod; by?: Actor; note?: string };
  sla?: RequestSla;
  parentRequestId?: number;
  /** Overrides the routed queue (a reseller's removal order goes to its provider). */
  queueBrand?: Brand;
}

/** Finds the subject the input names within the brand; undefined when the brand holds nothing about them. */
export async function findSubject(kernel: Kernel, brand: Brand, input: Pick<RequestInput, 'subjectId' | 'client' | 'email'>): Promise<Subject | undefined> {
  if (input.subjectId !== undefined) {
    const s = await kernel.subjects.get(input.subjectId).catch(() => undefined);
    if (!s || s.brandId !== brand.id) throw new SuiteError('SUITE_SUBJECT_UNKNOWN', { subject: input.subjectId });
    return s;
  }
  if (input.client) return kernel.subjects.findByExternal(brand.id, input.client.kind, input.client.id);
  if (input.email) {
    const found = await kernel.subjects.findByEmail([brand.id], input.email);
    const live = found.filter((s) => s.status !== 'erased');
    return live.find((s) => s.kind === 'client') ?? live.find((s) => s.kind === 'payer') ?? live[0];
  }
  return undefined;
}

/** Opens a request and returns it as the controller sees it. */
export async function openRequest(kernel: Kernel, brand: Brand, input: RequestInput, opts: OpenOptions): Promise<RightsRequest> {
  const subject = await findSubject(kernel, brand, input);
  const queue = opts.queueBrand ?? (await queueBrandOf(kernel, brand));
  const sla = opts.sla ?? 'dsar';
  const profile = await kernel.brands.profile(sla === 'reseller-removal' ? queue : brand);
  const now = Date.now();
  const due = dueDate(profile, now, sla);
  const requester: RequesterDetails = {};
  if (input.email) requester.email = input.email;
  if (input.name) requester.name = input.name;
  if (input.message) requester.message = input.message;
  if (input.changes) requester.changes = input.changes;
  if (input.channels) requester.channels = input.channels;
  const locale = input.locale ?? profile.locale;
  const id = await kernel.db.transaction(async (trx) => {
    const [rid] = await trx('rights_requests').insert({
      brand_id: brand.id, queue_brand_id: queue.id, subject_id: subject?.id ?? null, type: input.type, status: 'received', sla,
      parent_request_id: opts.parentRequestId ?? null, source: opts.source, locale: locale.slice(0, 8),
      requester_enc: kernel.keyring.encryptSync(JSON.stringify(requester)), requester_hash: input.email ? kernel.keyring.blindIndex(input.email) : null,
      due_at: due, original_due_at: due, created_at: now, updated_at: now,
    });
    const ref = { id: Number(rid), brand_id: brand.id };
    await addEvent(kernel, trx, ref, 'received', opts.actor, { type: input.type, source: opts.source, sla, queueBrandId: queue.id, subjectLinked: Boolean(subject), dueAt: due }, opts.ip);
    if (opts.verification) {
      const by = opts.verification.by ?? opts.actor;
      await trx('rights_requests').where({ id: ref.id }).update({ status: 'verified', verification_method: opts.verification.method, verified_at: now, verified_by: actorString(by), updated_at: now });
      await addEvent(kernel, trx, ref, 'verified', by, { method: opts.verification.method, note: opts.verification.note ? 'recorded' : undefined });
    }
    return ref.id;
  });
  return toRequest(kernel, await requestRow(kernel.db, id));
}
