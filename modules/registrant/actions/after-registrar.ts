/** AfterRegistrarRegistration / AfterRegistrarRenewal: record the domain's state and the contacts it was registered with. */
import { onHook } from '../../../core/modules/define-module';
import { domainOf } from '../contacts/assemble';
import { prepareDomain } from '../flows/prepare-domain';
import type { RegistrantSettings } from '../settings';
import { findDomain, setDomainStatus } from '../store/domain-store';
import { servingRegistrar } from '../transfer/registrar-lookup';
import { registrarTransferRegistered } from '../transfer/registrar-transfer';

export const recordRegistration = onHook<'AfterRegistrarRegistration', RegistrantSettings>('AfterRegistrarRegistration', async (ctx) => {
  if (!registrarTransferRegistered(ctx.profile)) return;
  const r = await prepareDomain({
    kernel: ctx.kernel, trx: ctx.trx, brand: ctx.brand, profile: ctx.profile, settings: ctx.settings, params: ctx.vars.params as Record<string, unknown>,
    status: 'registered', disclose: true, actor: `hook:${ctx.hook}`, extra: { registered_at: Date.now() }, viaOutbox: Boolean(await servingRegistrar(ctx.kernel, ctx.brand)),
  });
  return { data: { registrant: { domainId: r.domainId } } };
});

export const recordRenewal = onHook<'AfterRegistrarRenewal', RegistrantSettings>('AfterRegistrarRenewal', async (ctx) => {
  if (!registrarTransferRegistered(ctx.profile)) return;
  const params = ctx.vars.params as Record<string, unknown>;
  const row = await findDomain(ctx.trx, ctx.brand.id, domainOf(params));
  if (row) {
    await setDomainStatus(ctx.trx, row.id, row.status === 'suspended' ? 'suspended' : 'registered', { renewed_at: Date.now() });
    return { data: { registrant: { domainId: row.id } } };
  }
  // A renewal sends no contacts: record the domain without a disclosure.
  const r = await prepareDomain({
    kernel: ctx.kernel, trx: ctx.trx, brand: ctx.brand, profile: ctx.profile, settings: ctx.settings, params, status: 'registered', disclose: false,
    actor: `hook:${ctx.hook}`, extra: { renewed_at: Date.now() },
  });
  return { data: { registrant: { domainId: r.domainId } } };
});
