/** ContactAdd / ContactEdit / ContactDelete: contacts are subjects of their own, linked to their client. */
import { onHook } from '../../../core/modules/define-module';
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import { isWhmcsEcho } from '../../whmcs/public';

async function clientSubjectId(kernel: Kernel, trx: Knex.Transaction, brandId: number, userid: number): Promise<number | null> {
  return (await kernel.subjects.findByExternal(brandId, 'client', userid, trx))?.id ?? null;
}

export const recordContact = onHook('ContactAdd', async (ctx) => {
  const parentId = await clientSubjectId(ctx.kernel, ctx.trx, ctx.brand.id, ctx.vars.userid);
  const { id } = await ctx.kernel.subjects.upsert(ctx.trx, { brandId: ctx.brand.id, kind: 'contact', externalId: ctx.vars.contactid, parentId, fields: { ...ctx.vars } });
  return { data: { subjectId: id } };
});

export const recordContactChange = onHook('ContactEdit', async (ctx) => {
  // The echo of the suite's own UpdateContact (modules/whmcs): nothing the register does not know already.
  if (await isWhmcsEcho(ctx)) return { data: { ignored: 'whmcs-echo' } };
  const existing = await ctx.kernel.subjects.findByExternal(ctx.brand.id, 'contact', ctx.vars.contactid, ctx.trx);
  if (existing?.status === 'erased') return { data: { subjectId: existing.id, ignored: 'erased' } };
  const parentId = await clientSubjectId(ctx.kernel, ctx.trx, ctx.brand.id, ctx.vars.userid);
  const { id } = await ctx.kernel.subjects.upsert(ctx.trx, { brandId: ctx.brand.id, kind: 'contact', externalId: ctx.vars.contactid, parentId, fields: { ...ctx.vars } });
  return { data: { subjectId: id } };
});

export const closeContact = onHook('ContactDelete', async (ctx) => {
  const s = await ctx.kernel.subjects.findByExternal(ctx.brand.id, 'contact', ctx.vars.contactid, ctx.trx);
  if (s) await ctx.kernel.subjects.setStatus(ctx.trx, s.id, 'closed');
});
