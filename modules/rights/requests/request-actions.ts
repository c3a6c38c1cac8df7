/** The controller's actions on a request besides fulfilment: verify (manual check), extend the due date, reject, send a removal order. */
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { addBusinessDays, calendarOf } from './due-date';
import { openRequest } from './open-request';
import { assertController } from './request-access';
import { actorString, addEvent, requestRow, setStatus, toRequest } from './request-store';
import type { RightsRequest, VerificationMethod } from './request-types';

/** Records a verification (MS-8d): an admin's manual check, or the panel's logged-in session vouched for by the hook. */
export async function verifyRequest(kernel: Kernel, viewer: Brand, id: number, method: VerificationMethod, actor: Actor, ip?: string): Promise<RightsRequest> {
  const row = await requestRow(kernel.db, id);
  await assertController(kernel, viewer, row);
  if (row.status !== 'received') throw new SuiteError('SUITE_RIGHTS_WRONG_STATE', { id, status: row.status, action: 'verification', needed: 'received' });
  await kernel.db.transaction(async (trx) => {
    const now = Date.now();
    await trx('rights_requests').where({ id }).update({ status: 'verified', verification_method: method, verified_at: now, verified_by: actorString(actor), updated_at: now });
    await addEvent(kernel, trx, row, 'verified', actor, { method }, ip);
  });
  return toRequest(kernel, await requestRow(kernel.db, id));
}

/** Extends the due date by `businessDays` of the brand's calendar, with a recorded reason (on the request and in its timeline); clears the reminder mark. */
export async function extendRequest(kernel: Kernel, viewer: Brand, id: number, input: { businessDays: number; reason: string }, actor: Actor, ip?: string): Promise<RightsRequest> {
  const row = await requestRow(kernel.db, id);
  await assertController(kernel, viewer, row);
  if (['fulfilled', 'rejected', 'cancelled'].includes(row.status)) throw new SuiteError('SUITE_RIGHTS_REQUEST_CLOSED', { id, status: row.status });
  // The calendar the due date was set with: the provider's for a reseller's removal order, else the request's brand.
  const profile = await kernel.brands.profile(await kernel.brands.getById(Number(row.sla === 'reseller-removal' ? row.queue_brand_id : row.brand_id)));
  const due = addBusinessDays(calendarOf(profile), Number(row.due_at), input.businessDays);
  await kernel.db.transaction(async (trx) => {
    const now = Date.now();
    await trx('rights_requests').where({ id }).update({ due_at: due, extension_reason: input.reason, extended_at: now, reminded_at: null, updated_at: now });
    await addEvent(kernel, trx, row, 'extended', actor, { from: Number(row.due_at), to: due, businessDays: input.businessDays, reason: input.reason.slice(0, 190) }, ip);
  });
  return toRequest(kernel, await requestRow(kernel.db, id));
}

/** Rejects a request (e.g. identity could not be verified, manifestly unfounded) with a reason. */
export async function rejectRequest(kernel: Kernel, viewer: Brand, id: number, reason: string, actor: Actor): Promise<RightsRequest> {
  const row = await requestRow(kernel.db, id);
  await assertController(kernel, viewer, row);
  await kernel.db.transaction((trx) => setStatus(kernel, trx, row, 'rejected', actor, { reason }));
  return toRequest(kernel, await requestRow(kernel.db, id));
}

/**
 * A reseller (the controller) orders its provider to remove a person's data (WSM-25): a verified erase request in
 * the provider's queue, due in the provider's `resellerRemovalBusinessDays`, linked to the reseller's request.
 */
export async function sendRemovalOrder(kernel: Kernel, viewer: Brand, id: number, actor: Actor, ip?: string): Promise<RightsRequest> {
  const row = await requestRow(kernel.db, id);
  await assertController(kernel, viewer, row);
  if (row.type !== 'erase') throw new SuiteError('SUITE_RIGHTS_WRONG_STATE', { id, status: row.type, action: 'a removal order', needed: 'an erase request' });
  if (row.verified_at === null) throw new SuiteError('SUITE_RIGHTS_NOT_VERIFIED', { id });
  if (viewer.kind !== 'reseller' || viewer.parentId === null) throw new SuiteError('SUITE_RIGHTS_WRONG_STATE', { id, status: viewer.kind, action: 'a removal order', needed: 'a reseller brand' });
  const provider = await kernel.brands.getById(viewer.parentId);
  const brand = await kernel.brands.getById(Number(row.brand_id));
  const order = await openRequest(kernel, brand, { type: 'erase', subjectId: row.subject_id === null ? undefined : Number(row.subject_id), email: row.subject_id === null ? (await toRequest(kernel, row)).requester.email : undefined }, {
    source: 'admin', actor, ip, sla: 'reseller-removal', parentRequestId: id, queueBrand: provider,
    verification: { method: row.verification_method ?? 'manual', by: { type: 'apikey', id: `controller:${viewer.slug}` } },
  });
  await kernel.db.transaction((trx) => addEvent(kernel, trx, row, 'removal-order-sent', actor, { orderId: order.id, provider: provider.slug }, ip));
  return order;
}
