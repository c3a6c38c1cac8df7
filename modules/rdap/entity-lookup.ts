/**
 * Entity look-ups (RFC 9082 §3.1.5): only the registrar's own entity, by its IANA Registrar ID, from the first brand
 * with RDAP on that names it. Registrant and other contact handles are redacted in every answer (the February 2024
 * response profile redacts "Registry Registrant ID" and requires no contact look-up), so they are never looked up.
 */
import type { Kernel } from '../../core/kernel';
import { RDAP_CONFORMANCE, standardNotices } from './notices';
import { registrarEntity, registrarOf } from './registrar-entity';
import type { RdapSettings } from './settings';

/** The entity answer for an IANA Registrar ID, or undefined when no brand with RDAP on is that registrar. */
export async function entityLookup(kernel: Kernel, ianaId: string, baseUrl: string): Promise<Record<string, unknown> | undefined> {
  for (const brand of await kernel.brands.list()) {
    if (!(await kernel.modules.enabledFor(kernel.brands, brand, 'rdap'))) continue;
    const settings = await kernel.settings<RdapSettings>('rdap', brand);
    const registrar = registrarOf(settings);
    if (registrar?.ianaId !== ianaId) continue;
    const self = `${baseUrl}/rdap/entity/${ianaId}`;
    return {
      rdapConformance: [...RDAP_CONFORMANCE],
      ...registrarEntity(registrar, self),
      notices: standardNotices(self, settings.termsUrl ?? `${baseUrl}/rdap/help`, false),
    };
  }
  return undefined;
}
