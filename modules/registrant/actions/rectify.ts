/** ClientEdit / ContactEdit: a rectified client's or contact's details go to the registrar for each of their domains (MS-8e). */
import { onHook, type HookHandlerContext } from '../../../core/modules/define-module';
import { applyClientChanges, applyContactChanges, type DetailChanges } from '../contacts/apply-changes';
import { rectifyDomains } from '../flows/rectify-domains';
import type { RegistrantSettings } from '../settings';
import { registrarTransferRegistered } from '../transfer/registrar-transfer';
import { isWhmcsEcho } from '../../whmcs/public';

/** SP-5.1: a restricted client's contacts go nowhere; the change is skipped (ids logged), the hook still answers. */
async function restricted(ctx: Pick<HookHandlerContext, 'kernel' | 'trx' | 'log'>, subjectId: number): Promise<boolean> {
  if (await ctx.kernel.subjects.processingAllowed(subjectId, 'domain-registration', ctx.trx)) return false;
  ctx.log.info({ subjectId }, 'registrant contacts not sent to the registrar: processing of the subject is restricted');
  return true;
}

function changesOf(v: Record<string, unknown>): DetailChanges {
  const keys = ['firstname', 'lastname', 'companyname', 'email', 'address1', 'address2', 'city', 'state', 'postcode', 'country', 'phonenumber'] as const;
  return Object.fromEntries(keys.filter((k) => v[k] !== undefined).map((k) => [k, v[k]])) as DetailChanges;
}

export const rectifyClientContacts = onHook<'ClientEdit', RegistrantSettings>('ClientEdit', async (ctx) => {
  if (!registrarTransferRegistered(ctx.profile)) return;
  // The echo of the suite's own write-back into WHMCS (modules/whmcs): the registrar already has (or had erased) these.
  if (await isWhmcsEcho(ctx)) return { data: { registrantRectified: { skipped: 'whmcs-echo' } } };
  const subject = await ctx.kernel.subjects.findByExternal(ctx.brand.id, 'client', ctx.vars.userid, ctx.trx);
  if (!subject) return;
  if (await restricted(ctx, subject.id)) return { data: { registrantRectified: { skipped: 'restricted', subjectId: subject.id } } };
  const changes = changesOf(ctx.vars as Record<string, unknown>);
  const report = await rectifyDomains(ctx.kernel, ctx.trx, ctx.profile, ctx.settings, ctx.brand.id, subject.id, (p) => applyClientChanges(p, changes));
  return { data: { registrantRectified: report } };
});

export const rectifyContactContacts = onHook<'ContactEdit', RegistrantSettings>('ContactEdit', async (ctx) => {
  if (!registrarTransferRegistered(ctx.profile)) return;
  // The echo of the suite's own UpdateContact: the registrar already has (or had erased) these.
  if (await isWhmcsEcho(ctx)) return { data: { registrantRectified: { skipped: 'whmcs-echo' } } };
  const subject = await ctx.kernel.subjects.findByExternal(ctx.brand.id, 'client', ctx.vars.userid, ctx.trx);
  if (!subject) return;
  const old = ctx.vars.olddata && !Array.isArray(ctx.vars.olddata) ? (ctx.vars.olddata as Record<string, unknown>) : {};
  const oldEmail = String(old.email ?? ctx.vars.email ?? '');
  if (!oldEmail) return;
  if (await restricted(ctx, subject.id)) return { data: { registrantRectified: { skipped: 'restricted', subjectId: subject.id } } };
  const changes = changesOf(ctx.vars as Record<string, unknown>);
  const report = await rectifyDomains(ctx.kernel, ctx.trx, ctx.profile, ctx.settings, ctx.brand.id, subject.id, (p) => applyContactChanges(p, oldEmail, changes));
  return { data: { registrantRectified: report } };
});
