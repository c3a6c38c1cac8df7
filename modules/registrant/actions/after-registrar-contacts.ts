/**
 * AfterRegistrarTransfer / AfterRegistrarSaveContactDetails: record the domain and the contacts handed to the registrar.
 * The disclosure is logged once per domain and contact set (recordContactsDisclosure's reference), so a transfer the
 * PreRegistrarTransferDomain hook or the contacts endpoint already logged is not logged again. A registrar call that
 * failed (`functionSuccessful` false) handed nothing over: nothing is recorded.
 */
import { onHook, type HookHandlerContext } from '../../../core/modules/define-module';
import { domainOf } from '../contacts/assemble';
import { prepareDomain } from '../flows/prepare-domain';
import { restrictedOwner } from './pre-registrar';
import type { RegistrantSettings } from '../settings';
import { findDomain } from '../store/domain-store';
import { servingRegistrar } from '../transfer/registrar-lookup';
import { registrarTransferRegistered } from '../transfer/registrar-transfer';

type AfterContactsHook = 'AfterRegistrarTransfer' | 'AfterRegistrarSaveContactDetails';

async function recordHandedOver(ctx: HookHandlerContext<AfterContactsHook, RegistrantSettings>, status: (current?: string) => string) {
  if (!registrarTransferRegistered(ctx.profile)) return;
  if (ctx.vars.functionSuccessful === false) return { data: { registrant: { skipped: 'registrar-failed' } } };
  const params = ctx.vars.params as Record<string, unknown>;
  // A suite registrar module sends contacts itself (through the outbox): the panel's call did not reach a registrar.
  if (await servingRegistrar(ctx.kernel, ctx.brand)) return { data: { registrant: { skipped: 'served-by-suite' } } };
  const restricted = await restrictedOwner(ctx, params);
  const row = await findDomain(ctx.trx, ctx.brand.id, domainOf(params));
  const r = await prepareDomain({
    kernel: ctx.kernel, trx: ctx.trx, brand: ctx.brand, profile: ctx.profile, settings: ctx.settings, params,
    status: status(row?.status), disclose: true, actor: `hook:${ctx.hook}`,
  });
  return { data: { registrant: { domainId: r.domainId, disclosureLogged: r.logged, ...(r.ignored.length ? { ignored: r.ignored } : {}), ...(restricted === null ? {} : { restrictedSubjectId: restricted }) } } };
}

export const recordTransfer = onHook<'AfterRegistrarTransfer', RegistrantSettings>('AfterRegistrarTransfer', (ctx) => recordHandedOver(ctx, () => 'transferring'));
export const recordContactsSaved = onHook<'AfterRegistrarSaveContactDetails', RegistrantSettings>('AfterRegistrarSaveContactDetails', (ctx) => recordHandedOver(ctx, (current) => current ?? 'registered'));
