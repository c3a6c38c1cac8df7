/** The registrar's own entity (ICANN gTLD RDAP response profile, Feb 2024, §2.4): IANA id, name, abuse contact, from the brand's `modules.rdap.registrar`. */
import { z } from 'zod';
import type { RdapSettings } from './settings';

/** The registrar as a brand's profile describes it (`modules.rdap.registrar`). */
export const RegistrarInfo = z.object({
  /** The IANA Registrar ID; also the entity's handle (the only entity this service looks up). */
  ianaId: z.string().regex(/^[1-9][0-9]{0,9}$/),
  name: z.string().min(1).max(200),
  url: z.string().url().optional(),
  abuse: z.object({ email: z.string().email(), phone: z.string().regex(/^\+[0-9]{1,3}\.[0-9]{4,14}$/).optional() }),
});
export type RegistrarInfo = z.infer<typeof RegistrarInfo>;

/** The registrar of a brand's settings, or undefined when none (or an invalid one) is configured. */
export function registrarOf(settings: RdapSettings): RegistrarInfo | undefined {
  const parsed = RegistrarInfo.safeParse((settings as Record<string, unknown>).registrar);
  return parsed.success ? parsed.data : undefined;
}

type VcardProperty = [string, Record<string, unknown>, string, unknown];

/** The registrar entity with its nested abuse contact, as it appears in a domain answer and as an entity answer. */
export function registrarEntity(r: RegistrarInfo, selfUrl: string): Record<string, unknown> {
  const abuse: VcardProperty[] = [['version', {}, 'text', '4.0'], ['fn', {}, 'text', `${r.name} Abuse Contact`]];
  if (r.abuse.phone) abuse.push(['tel', { type: 'voice' }, 'uri', `tel:${r.abuse.phone}`]);
  abuse.push(['email', {}, 'text', r.abuse.email]);
  const entity: Record<string, unknown> = {
    objectClassName: 'entity',
    handle: r.ianaId,
    roles: ['registrar'],
    publicIds: [{ type: 'IANA Registrar ID', identifier: r.ianaId }],
    vcardArray: ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', r.name]]],
    entities: [{ objectClassName: 'entity', roles: ['abuse'], vcardArray: ['vcard', abuse] }],
    links: [{ value: selfUrl, rel: 'self', href: selfUrl, type: 'application/rdap+json' }],
  };
  if (r.url) (entity.links as unknown[]).push({ value: selfUrl, rel: 'about', href: r.url, type: 'text/html' });
  return entity;
}
