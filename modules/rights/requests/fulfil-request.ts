/**
 * Fulfilment: only the controller's queue acts (WSM-25); every type but an objection to marketing needs a recorded
 * verification first (MS-8d); the request is in-progress while its answer runs and fulfilled with the answer's result.
 * A crash mid-way leaves it in-progress, and fulfilling again resumes (each answer is idempotent).
 */
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { fulfilErase } from '../erase/fulfil-erase';
import { fulfilAccess } from '../export/fulfil-export';
import { fulfilRectify } from '../rectify/fulfil-rectify';
import { fulfilRestrict } from '../restrict/fulfil-restrict';
import { moduleSettings } from '../../../core/profile/module-settings';
import { RightsSettings } from '../settings';
import type { Fulfiller } from './fulfil-context';
import { fulfilConfirm } from './fulfil-confirm';
import { fulfilObject, fulfilWithdraw } from './fulfil-objection';
import { addEvent, requestRow, setStatus, toRequest } from './request-store';
import type { RequestType, RightsRequest } from './request-types';
import { assertController } from './request-access';

const FULFILLERS: Record<RequestType, Fulfiller> = {
  confirm: fulfilConfirm,
  access: fulfilAccess,
  portability: fulfilAccess,
  rectify: fulfilRectify,
  erase: fulfilErase,
  restrict: fulfilRestrict,
  object: fulfilObject,
  'withdraw-consent': fulfilWithdraw,
};

/** Types that may be answered without identity verification (an opt-out only stops processing). */
export const NO_VERIFICATION_NEEDED: ReadonlySet<RequestType> = new Set(['object']);

/** Fulfils a request from the controller's brand `viewer`; returns the updated request. */
export async function fulfilRequest(kernel: Kernel, viewer: Brand, id: number, actor: Actor, ip?: string): Promise<RightsRequest> {
  const row = await requestRow(kernel.db, id);
  await assertController(kernel, viewer, row);
  if (row.status === 'fulfilled' || row.status === 'rejected' || row.status === 'cancelled') throw new SuiteError('SUITE_RIGHTS_REQUEST_CLOSED', { id, status: row.status });
  if (row.verified_at === null && !NO_VERIFICATION_NEEDED.has(row.type)) throw new SuiteError('SUITE_RIGHTS_NOT_VERIFIED', { id });
  if (row.subject_id === null && row.type !== 'confirm') throw new SuiteError('SUITE_RIGHTS_SUBJECT_REQUIRED', { id });
  const brand = await kernel.brands.getById(Number(row.brand_id));
  const profile = await kernel.brands.profile(brand);
  const settings = moduleSettings(RightsSettings, profile, 'rights');
  if (row.status !== 'in-progress') await kernel.db.transaction((trx) => setStatus(kernel, trx, row, 'in-progress', actor));
  let result: Record<string, unknown>;
  try {
    result = await FULFILLERS[row.type]({ kernel, brand, profile, settings, row, request: await toRequest(kernel, row), actor, ip });
  } catch (err) {
    await kernel.db.transaction(async (trx) => {
      await trx('rights_requests').where({ id }).update({ status: row.verified_at === null ? 'received' : 'verified', updated_at: Date.now() });
      await addEvent(kernel, trx, row, 'failed', actor, { code: err instanceof SuiteError ? err.code : 'SUITE_INTERNAL' });
    });
    throw err;
  }
  const fresh = await requestRow(kernel.db, id);
  if (fresh.status === 'in-progress') await kernel.db.transaction((trx) => setStatus(kernel, trx, fresh, 'fulfilled', actor, { result, details: { type: row.type } }));
  return toRequest(kernel, await requestRow(kernel.db, id));
}
