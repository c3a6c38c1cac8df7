/** Finds the registrar module a brand's contacts go to: `registrars/epp` when loaded, or one a test or platform plugs in. */
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { RegistrarModule } from '../../registrars/contract';

/** Resolves the registrar of a brand; `undefined` when none is configured. */
export type RegistrarResolver = (kernel: Kernel, brand: Brand) => Promise<RegistrarModule | undefined> | RegistrarModule | undefined;

/** The default: the `registrars/epp` module's service, either a RegistrarModule or a `forBrand(brand)` factory of one. */
const fromEppModule: RegistrarResolver = async (kernel, brand) => {
  if (!kernel.modules.get('registrars/epp')) return undefined;
  const svc = kernel.service<RegistrarModule | { forBrand: (b: Brand) => Promise<RegistrarModule | undefined> | RegistrarModule | undefined }>('registrars/epp');
  if (svc && typeof (svc as { forBrand?: unknown }).forBrand === 'function') return (svc as { forBrand: (b: Brand) => Promise<RegistrarModule | undefined> }).forBrand(brand);
  return svc as RegistrarModule;
};

let resolver: RegistrarResolver = fromEppModule;

/** Plugs in another resolver (a test's fake registrar, a platform's own); no argument restores the default. */
export function useRegistrar(r?: RegistrarResolver): void {
  resolver = r ?? fromEppModule;
}

/** The brand's registrar; throws (so the outbox retries and then dead-letters) when none is configured. */
export async function registrarFor(kernel: Kernel, brand: Brand): Promise<RegistrarModule> {
  const m = await resolver(kernel, brand);
  if (!m) throw new Error('no registrar module configured for this brand: load registrars/epp (or plug one in) and retry the message');
  return m;
}

/**
 * The suite registrar module that itself sends a brand's contacts to the registry (one that creates contact objects,
 * e.g. `registrars/epp` with the brand's connection settings); `undefined` when the WHMCS wrapper passes them instead.
 */
export async function servingRegistrar(kernel: Kernel, brand: Brand): Promise<RegistrarModule | undefined> {
  let m: RegistrarModule | undefined;
  try {
    m = await resolver(kernel, brand);
  } catch {
    return undefined; // e.g. REGISTRAR_NOT_CONFIGURED: no connection settings for this brand
  }
  return m && typeof m.createContacts === 'function' ? m : undefined;
}
