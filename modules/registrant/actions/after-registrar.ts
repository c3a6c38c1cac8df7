/** AfterRegistrarRegistration / AfterRegistrarRenewal: record the domain's state and the contacts it was registered with. */
import { onHook } from '../../../core/modules/define-module';
import { domainOf } from '../contacts/assemble';
import { prepareDomain } from '../flows/prepare-domain';
import { restrictedOwner } from './pre-registrar';
import type { RegistrantSettings } from '../settings';
import { findDomain, setDomainStatus } from '../store/domain-store';
import { extendedExpiry, periodYears } from '../store/expiry';
import { servingRegistrar } from '../transfer/registrar-lookup';
import { registrarTransferRegistered } from '../transfer/registrar-transfer';

export const recordRegistration = onHook<'AfterRegistrarRegistration', RegistrantSettings>('AfterRegistrarRegistration', async (ctx) => {
  if (!registrarTransferRegistered(ctx.profile)) return;
  const params = ctx.vars.params as Record<string, unknown>;
  const viaOutbox = Boolean(await servingRegistrar(ctx.kernel, ctx.brand));
  // SP-5.1: for a restricted customer the suite sends nothing itself (the domain is only stored); contacts the panel
  // handed over itself are still a transfer that happened, and are logged as one.
  const restricted = await restrictedOwner(ctx, params);
  const send = viaOutbox && restricted === null;
  const r = await prepareDomain({
    kernel: ctx.kernel, trx: ctx.trx, brand: ctx.brand, profile: ctx.profile, settings: ctx.settings, params,
    status: 'registered', disclose: send || !viaOutbox, actor: `hook:${ctx.hook}`, extra: { registered_at: Date.now(), expires_at: extendedExpiry(null, periodYears(params)) }, viaOutbox: send,
  });
  return { data: { registrant: restricted === null ? { domainId: r.domainId } : { domainId: r.domainId, skipped: 'restricted', subjectId: restricted } } };
});

export const recordRenewal = onHook<'AfterRegistrarRenewal', RegistrantSettings>('AfterRegistrarRenewal', async (ctx) => {
  if (!registrarTransferRegistered(ctx.profile)) return;
  const params = ctx.vars.params as Record<string, unknown>;
  const row = await findDomain(ctx.trx, ctx.brand.id, domainOf(params));
  if (row) {
    const current = (await ctx.trx('registrant_domains').where({ id: row.id }).first('expires_at')) as { expires_at: number | string | null } | undefined;
    const expires = extendedExpiry(current?.expires_at == null ? null : Number(current.expires_at), periodYears(params));
    await setDomainStatus(ctx.trx, row.id, row.status === 'suspended' ? 'suspended' : 'registered', { renewed_at: Date.now(), expires_at: expires });
    return { data: { registrant: { domainId: row.id } } };
  }
  // A renewal sends no contacts: record the domain without a disclosure.
  const r = await prepareDomain({
    kernel: ctx.kernel, trx: ctx.trx, brand: ctx.brand, profile: ctx.profile, settings: ctx.settings, params, status: 'registered', disclose: false,
    actor: `hook:${ctx.hook}`, extra: { renewed_at: Date.now(), expires_at: extendedExpiry(null, periodYears(params)) },
  });
  return { data: { registrant: { domainId: r.domainId } } };
});
