/** Builds a consent context from a hook handler's context (the panel's request facts: IP and user agent, ESM-1). */
import type { HookHandlerContext } from '../../../core/modules/define-module';
import type { HookName } from '../../../hooks/catalogue';
import type { ConsentContext } from '../marketing/consent-context';

/** The consent context of a hook call: its transaction, brand, profile, IP and user agent. */
export function consentContextOf(ctx: HookHandlerContext<HookName>): ConsentContext {
  return {
    kernel: ctx.kernel, trx: ctx.trx, brand: ctx.brand, profile: ctx.profile,
    ip: ctx.call.ip?.slice(0, 64), userAgent: ctx.call.userAgent?.slice(0, 1000), via: 'panel', locale: ctx.call.locale,
  };
}

/** The inventory's subject id for a panel client, if the inventory binding has recorded it. */
export async function clientSubjectId(ctx: HookHandlerContext<HookName>, clientId: number | undefined): Promise<number | undefined> {
  if (clientId === undefined) return undefined;
  return (await ctx.kernel.subjects.findByExternal(ctx.brand.id, 'client', clientId, ctx.trx))?.id;
}
