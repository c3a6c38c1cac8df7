/** ClientAdd / ClientEdit: keep the client's subject record and its category-tagged fields in step with the panel. */
import { onHook, type HookHandlerContext } from '../../../core/modules/define-module';
import type { DataCategory } from '../../../core/profile/schema';
import type { HookName } from '../../../hooks/catalogue';
import { isWhmcsEcho } from '../../whmcs/public';

/** Custom fields the profile maps to a category (health is refused at the edge already). */
function taggedCustomFields(ctx: HookHandlerContext<HookName>, raw: unknown): { name: string; category: DataCategory; value: string }[] {
  const map = ctx.profile.inventory.customFields;
  const entries: [string, unknown][] = Array.isArray(raw) ? raw.map((x, i) => (x && typeof x === 'object' && 'id' in x ? [String((x as { id: unknown }).id), (x as { value?: unknown }).value] : [String(i), x])) : raw && typeof raw === 'object' ? Object.entries(raw) : [];
  const out: { name: string; category: DataCategory; value: string }[] = [];
  for (const [id, value] of entries) {
    const category = map[id];
    if (!category || category === 'ignore' || category === 'health' || value === undefined || value === null || value === '') continue;
    out.push({ name: `custom_${id}`, category, value: String(value) });
  }
  return out;
}

/** Request facts collected with the record (WSM-1 / ESM-1: IP and browser). */
function usageFields(ctx: HookHandlerContext<HookName>): Record<string, string> {
  const out: Record<string, string> = {};
  if (ctx.call.ip) out.ip = ctx.call.ip;
  if (ctx.call.userAgent) out.user_agent = ctx.call.userAgent;
  return out;
}

export const recordNewClient = onHook('ClientAdd', async (ctx) => {
  const v = ctx.vars;
  const { id, created } = await ctx.kernel.subjects.upsert(ctx.trx, {
    brandId: ctx.brand.id, kind: 'client', externalId: (v.client_id ?? v.userid)!,
    fields: { ...v, ...usageFields(ctx) }, tagged: taggedCustomFields(ctx, v.customFields),
  });
  return { data: { subjectId: id, created } };
});

export const recordClientChange = onHook('ClientEdit', async (ctx) => {
  // The echo of the suite's own write-back into WHMCS (modules/whmcs): nothing the register does not know already.
  if (await isWhmcsEcho(ctx)) return { data: { ignored: 'whmcs-echo' } };
  // An erased customer stays erased (MS-8f: it cannot be undone): a later edit from the panel brings nothing back.
  const existing = await ctx.kernel.subjects.findByExternal(ctx.brand.id, 'client', ctx.vars.userid, ctx.trx);
  if (existing?.status === 'erased') return { data: { subjectId: existing.id, ignored: 'erased' } };
  const { id } = await ctx.kernel.subjects.upsert(ctx.trx, { brandId: ctx.brand.id, kind: 'client', externalId: ctx.vars.userid, fields: { ...ctx.vars } });
  return { data: { subjectId: id } };
});

export const markClientClosed = onHook('ClientClose', async (ctx) => {
  const s = await ctx.kernel.subjects.findByExternal(ctx.brand.id, 'client', ctx.vars.userid, ctx.trx);
  if (s && s.status === 'active') await ctx.kernel.subjects.setStatus(ctx.trx, s.id, 'closed');
  return { data: { subjectId: s?.id ?? null } };
});
