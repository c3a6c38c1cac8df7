/** AbuseComplaint (ESM-4): suspends the service the complaint is about, unless told not to, and writes it to the audit log. */
import { onHook } from '../../../core/modules/define-module';

/** The `suspendOnAbuse` action: suspend, audit, answer `data.suspended`. */
export const suspendOnAbuse = onHook('AbuseComplaint', async (ctx) => {
  const { vars, trx } = ctx;
  if (vars.suspend === false) return { data: { suspended: false } };
  const service = await trx('platform_services').where({ id: vars.serviceid, brand_id: ctx.brand.id }).first('id', 'status');
  if (!service || service.status === 'cancelled') return { data: { suspended: false } };
  if (service.status !== 'suspended') {
    await trx('platform_services').where({ id: vars.serviceid }).update({ status: 'suspended', status_reason: `abuse-${vars.category}`, updated_at: Date.now() });
  }
  // No personal data in the audit entry: ids, the category and whether a reference was given.
  await ctx.kernel.audit.record({
    brandId: ctx.brand.id, actor: { type: 'hook', id: 'AbuseComplaint' }, action: 'platform.service.suspend', targetType: 'service', targetId: vars.serviceid,
    details: { reason: 'abuse-complaint', category: vars.category, hasReference: Boolean(vars.reference), requestId: ctx.call.requestId },
  }, trx);
  return { data: { suspended: true, serviceId: vars.serviceid, message: ctx.t('platform.abuse.suspended', { category: vars.category }) } };
});
