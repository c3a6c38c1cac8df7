/** ClientEdit / ContactEdit: a rectified client's or contact's details go to the registrar for each of their domains (MS-8e). */
import { onHook } from '../../../core/modules/define-module';
import { applyClientChanges, applyContactChanges, type DetailChanges } from '../contacts/apply-changes';
import { rectifyDomains } from '../flows/rectify-domains';
import type { RegistrantSettings } from '../settings';
import { registrarTransferRegistered } from '../transfer/registrar-transfer';

function changesOf(v: Record<string, unknown>): DetailChanges {
  const keys = ['firstname', 'lastname', 'companyname', 'email', 'address1', 'address2', 'city', 'state', 'postcode', 'country', 'phonenumber'] as const;
  return Object.fromEntries(keys.filter((k) => v[k] !== undefined).map((k) => [k, v[k]])) as DetailChanges;
}

export const rectifyClientContacts = onHook<'ClientEdit', RegistrantSettings>('ClientEdit', async (ctx) => {
  if (!registrarTransferRegistered(ctx.profile)) return;
  const subject = await ctx.kernel.subjects.findByExternal(ctx.brand.id, 'client', ctx.vars.userid, ctx.trx);
  if (!subject) return;
  const changes = changesOf(ctx.vars as Record<string, unknown>);
  const report = await rectifyDomains(ctx.kernel, ctx.trx, ctx.profile, ctx.settings, ctx.brand.id, subject.id, (p) => applyClientChanges(p, changes));
  return { data: { registrantRectified: report } };
});

export const rectifyContactContacts = onHook<'ContactEdit', RegistrantSettings>('ContactEdit', async (ctx) => {
  if (!registrarTransferRegistered(ctx.profile)) return;
  const subject = await ctx.kernel.subjects.findByExternal(ctx.brand.id, 'client', ctx.vars.userid, ctx.trx);
  if (!subject) return;
  const old = ctx.vars.olddata && !Array.isArray(ctx.vars.olddata) ? (ctx.vars.olddata as Record<string, unknown>) : {};
  const oldEmail = String(old.email ?? ctx.vars.email ?? '');
  if (!oldEmail) return;
  const changes = changesOf(ctx.vars as Record<string, unknown>);
  const report = await rectifyDomains(ctx.kernel, ctx.trx, ctx.profile, ctx.settings, ctx.brand.id, subject.id, (p) => applyContactChanges(p, oldEmail, changes));
  return { data: { registrantRectified: report } };
});
