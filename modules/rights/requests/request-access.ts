/** Who may see and act on a request: its controller's queue acts; the provider above a reseller sees it as processor (WSM-25). */
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { RequestRow } from './request-store';
import type { RightsRequest } from './request-types';
import { roleOf } from './routing';

/** Throws unless `viewer` is the request's controller (404 when the viewer has nothing to do with it). */
export async function assertController(kernel: Kernel, viewer: Brand, row: RequestRow): Promise<void> {
  const role = await roleOf(kernel, viewer, Number(row.queue_brand_id));
  if (role === null) throw new SuiteError('SUITE_RIGHTS_REQUEST_UNKNOWN', { id: row.id });
  if (role === 'processor') {
    const controller = await kernel.brands.getById(Number(row.queue_brand_id));
    throw new SuiteError('SUITE_RIGHTS_PROCESSOR_ONLY', { id: row.id, controller: controller.slug });
  }
}

/** What a processor sees of a controller's request: its existence, type, status and dates, nothing about the person. */
export function processorView(r: RightsRequest): Record<string, unknown> {
  return { id: r.id, role: 'processor', brandId: r.brandId, queueBrandId: r.queueBrandId, type: r.type, status: r.status, sla: r.sla, dueAt: r.dueAt, createdAt: r.createdAt };
}
