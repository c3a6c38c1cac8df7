/** AfterRegistrarRegistration / AfterRegistrarTransfer: keep the domain's name servers (ns1–ns5) for RDAP nameserver look-ups. */
import { onHook } from '../../../core/modules/define-module';
import { ldhName } from '../names';
import { saveNameservers } from './nameserver-store';

/** The domain and its valid name servers from WHMCS registrar params; undefined without a valid domain. */
export function nameserversOf(params: Record<string, unknown>): { domain: string; names: string[] } | undefined {
  const domain = ldhName(`${String(params.sld ?? '')}.${String(params.tld ?? '').replace(/^\./, '')}`);
  if (!domain) return undefined;
  const names = [1, 2, 3, 4, 5].map((i) => params[`ns${i}`]).filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .map((v) => ldhName(v)).filter((v): v is string => Boolean(v));
  return { domain, names };
}

export const recordRegisteredNameservers = onHook('AfterRegistrarRegistration', async (ctx) => {
  const found = nameserversOf(ctx.vars.params as Record<string, unknown>);
  if (found) await saveNameservers(ctx.trx, ctx.brand.id, found.domain, found.names);
});

export const recordTransferredNameservers = onHook('AfterRegistrarTransfer', async (ctx) => {
  const found = nameserversOf(ctx.vars.params as Record<string, unknown>);
  if (found) await saveNameservers(ctx.trx, ctx.brand.id, found.domain, found.names);
});
