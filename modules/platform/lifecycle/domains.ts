/** Domain lifecycle: registration (PreRegistrarRegisterDomain, then AfterRegistrarRegistration with WHMCS registrar params). */
import type { LifecycleDeps } from './clients';
import { Id, parse, type CallFacts } from '../schemas';
import { loadActiveClient, loadDomain } from '../store';
import { stateError } from '../errors';
import { registrarParams } from '../registrar-params';

/** What a registration did: `viaRegistrar` is false when a handler answered abortWithSuccess. */
export interface RegistrationResult { domainId: number; status: 'active'; viaRegistrar: boolean; expiryAt: number }

/** The nameservers a brand's new domains get (the reference platform has no DNS of its own). */
export function defaultNameservers(brandSlug: string): string[] {
  return [`ns1.${brandSlug}.example`, `ns2.${brandSlug}.example`];
}

/**
 * Registers a pending domain. PreRegistrarRegisterDomain runs inside the transaction: abortWithError rolls back and
 * throws SUITE_PLATFORM_VETOED; abortWithSuccess marks the domain done without the registrar. Otherwise the domain is
 * registered and AfterRegistrarRegistration fires with the registrar `params` once committed.
 */
export async function registerDomain(d: LifecycleDeps, domainId: number, facts?: CallFacts): Promise<RegistrationResult> {
  const { kernel } = d;
  parse(Id, domainId, 'domainId');
  const domain = await loadDomain(kernel.db, domainId);
  if (domain.status !== 'pending') throw stateError('registerDomain', 'domainNotPending');
  const client = await loadActiveClient(kernel, domain.clientId, 'registerDomain');
  const brand = await kernel.brands.getById(domain.brandId);
  const call = await d.hooks.context(brand, facts);
  const params = registrarParams(domain, client.details, defaultNameservers(brand.slug));
  const pre = await d.hooks.preparePre('PreRegistrarRegisterDomain', call, { params });
  const expiryAt = new Date(new Date().setUTCFullYear(new Date().getUTCFullYear() + domain.regperiod)).getTime();
  const viaRegistrar = await kernel.db.transaction(async (trx) => {
    const res = await d.hooks.runPre(pre, trx);
    const n = await trx('platform_domains').where({ id: domainId, status: 'pending' }).update({ status: 'active', expiry_at: expiryAt });
    if (!n) throw stateError('registerDomain', 'domainNotPending');
    return !res.abortWithSuccess;
  });
  if (viaRegistrar) await d.hooks.after('AfterRegistrarRegistration', call, { params: pre.vars.params as Record<string, unknown> });
  return { domainId, status: 'active', viaRegistrar, expiryAt };
}
