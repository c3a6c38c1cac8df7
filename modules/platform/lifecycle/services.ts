/** Service lifecycle: cancellation (CancellationRequest) and abuse complaints (the suite-only AbuseComplaint, ESM-4). */
import type { LifecycleDeps } from './clients';
import { AbuseReport, Id, parse, type CallFacts } from '../schemas';
import { loadService } from '../store';
import { stateError } from '../errors';
import { z } from 'zod';

const Reason = z.string().trim().max(1000).optional();

/** Cancels a service and fires CancellationRequest. The reason goes to the hook only; it is not stored. */
export async function cancel(d: LifecycleDeps, serviceId: number, reason?: string, facts?: CallFacts): Promise<{ serviceId: number; status: 'cancelled' }> {
  const { kernel } = d;
  parse(Id, serviceId, 'serviceId');
  const why = parse(Reason, reason, 'reason');
  const service = await loadService(kernel.db, serviceId);
  if (service.status === 'cancelled') throw stateError('cancel', 'serviceCancelled');
  const call = await d.hooks.context(await kernel.brands.getById(service.brandId), facts);
  await kernel.db.transaction(async (trx) => {
    const n = await trx('platform_services').where({ id: serviceId }).whereIn('status', ['active', 'suspended'])
      .update({ status: 'cancelled', status_reason: 'cancellation-requested', updated_at: Date.now() });
    if (!n) throw stateError('cancel', 'serviceCancelled');
  });
  await d.hooks.after('CancellationRequest', call, { userid: service.clientId, relid: serviceId, reason: why, type: 'Immediate' });
  return { serviceId, status: 'cancelled' };
}

/** Reports an abuse complaint against a service by firing AbuseComplaint; the bound actions decide (e.g. suspend). */
export async function reportAbuse(d: LifecycleDeps, serviceId: number, raw: AbuseReport = {}, facts?: CallFacts): Promise<{ serviceId: number; suspended: boolean; failures: number }> {
  const { kernel } = d;
  parse(Id, serviceId, 'serviceId');
  const report = parse(AbuseReport, raw, 'report');
  const service = await loadService(kernel.db, serviceId);
  const call = await d.hooks.context(await kernel.brands.getById(service.brandId), facts);
  const res = await d.hooks.after('AbuseComplaint', call, { serviceid: serviceId, userid: service.clientId, ...report });
  return { serviceId, suspended: res.data?.suspended === true, failures: res.failures };
}
