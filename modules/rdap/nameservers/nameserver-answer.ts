/** The RDAP nameserver answer (RFC 9083 §5.2) for a name server of a domain held (and published) here. */
import type { Kernel } from '../../../core/kernel';
import type { RegistrantService } from '../../registrant/public';
import { RDAP_CONFORMANCE, standardNotices } from '../notices';
import { unicodeName } from '../names';
import { domainsUsing } from './nameserver-store';

/** Holding states whose domains are published (the same as a domain look-up answers). */
const PUBLISHED = new Set(['registered', 'renewed', 'suspended', 'registering', 'transferring']);

/** A name server found here: its name and when its record last changed. */
export interface FoundNameserver { name: string; updatedAt: number }

/** The name server when a domain that uses it is held and published here (RDAP and registrant on for its brand). */
export async function findNameserver(kernel: Kernel, name: string): Promise<FoundNameserver | undefined> {
  const registrant = kernel.service<RegistrantService>('registrant');
  for (const use of await domainsUsing(kernel.db, name)) {
    const brand = await kernel.brands.getById(use.brandId);
    if (!(await kernel.modules.enabledFor(kernel.brands, brand, 'rdap'))) continue;
    if (!(await kernel.modules.enabledFor(kernel.brands, brand, 'registrant'))) continue;
    const held = (await registrant.holdings(use.domain)).some((h) => h.brandId === use.brandId && PUBLISHED.has(h.status));
    if (held) return { name, updatedAt: use.updatedAt };
  }
  return undefined;
}

export function nameserverAnswer(baseUrl: string, ns: FoundNameserver): Record<string, unknown> {
  const self = `${baseUrl}/rdap/nameserver/${ns.name}`;
  const answer: Record<string, unknown> = { rdapConformance: [...RDAP_CONFORMANCE], objectClassName: 'nameserver', ldhName: ns.name };
  const u = unicodeName(ns.name);
  if (u) answer.unicodeName = u;
  return {
    ...answer,
    links: [{ value: self, rel: 'self', href: self, type: 'application/rdap+json' }],
    status: ['active', 'associated'],
    events: [{ eventAction: 'last update of RDAP database', eventDate: new Date(ns.updatedAt).toISOString() }],
    notices: standardNotices(self, `${baseUrl}/rdap/help`, false),
  };
}
