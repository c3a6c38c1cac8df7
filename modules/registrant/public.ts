/** What other modules may use of registrant: its service (`kernel.service<RegistrantService>('registrant')`) and the types it answers with. */
import type { Kernel } from '../../core/kernel';
import type { ContactRole, DomainContacts, RegistryContact } from '../registrars/contract';
import { privacyContact } from './contacts/privacy-contact';
import type { RegistrantSettings } from './settings';

export type { DomainHolding, ImportedDomain, RegistrantService, RegistrationData } from './registrant-service';

/*
 * What a registrar data escrow deposit (the escrow module) reads of the register: one keyset page of a brand's domains
 * with their real (underlying) contacts, decrypted, and for ID-protected domains the privacy service's published
 * contacts beside them. Pages by domain name so memory stays flat whatever the number of domains; `since` selects the domains
 * changed after a time (every write to a domain or its contacts sets `updated_at`, erasure and status changes too).
 */
/** One domain as an escrow deposit holds it. */
export interface EscrowDomain {
  id: number; domain: string; status: string; registeredAt: number | null; renewedAt: number | null; updatedAt: number;
  /** When the registration runs out (epoch ms); null for a domain recorded before expiries were kept. */
  expiresAt: number | null;
  roles: ContactRole[];
  /** ID protection on and a privacy service to publish: `published` holds the proxy's contacts. */
  privacy: boolean;
  /** The customer's own contacts (the underlying data; empty after an erasure). */
  real: DomainContacts;
  /** What the registry holds per role: the privacy service's contacts when `privacy`, else the real ones. */
  published: DomainContacts;
}

/**
 * One page: the domains of `brandId` after `afterDomain` (exclusive; '' to start), at most `limit`; with `since`, only
 * domains updated after it. The cursor is the domain name so the walk follows the unique (brand_id, domain) index:
 * each page is one index range read on SQLite and MariaDB alike (ordering by id within a brand would sort the brand's
 * rows for every page).
 */
export interface EscrowPageQuery { brandId: number; afterDomain: string; limit: number; since?: number | null }

/** Reads one page (ordered by domain name); an empty answer ends the walk. */
export async function escrowDomainPage(kernel: Kernel, q: EscrowPageQuery): Promise<EscrowDomain[]> {
  const db = kernel.db;
  let sel = db('registrant_domains').where({ brand_id: q.brandId }).andWhere('domain', '>', q.afterDomain)
    .orderBy('domain').limit(q.limit).select('id', 'domain', 'status', 'id_protection', 'roles', 'registered_at', 'renewed_at', 'expires_at', 'updated_at');
  if (q.since !== undefined && q.since !== null) sel = sel.andWhere('updated_at', '>', q.since);
  const rows = (await sel) as Record<string, unknown>[];
  if (!rows.length) return [];
  const ids = rows.map((r) => Number(r.id));
  const contacts = (await db('registrant_contacts').whereIn('domain_id', ids).select('domain_id', 'role', 'data_enc')) as { domain_id: number | string; role: ContactRole; data_enc: string }[];
  const byDomain = new Map<number, DomainContacts>();
  for (const c of contacts) {
    const set = byDomain.get(Number(c.domain_id)) ?? {};
    set[c.role] = JSON.parse(kernel.keyring.decryptSync(c.data_enc)) as RegistryContact;
    byDomain.set(Number(c.domain_id), set);
  }
  const svc = (await kernel.settings<RegistrantSettings>('registrant', await kernel.brands.getById(q.brandId))).privacyService;
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => {
    const id = Number(r.id);
    const domain = String(r.domain);
    const roles = JSON.parse(String(r.roles)) as ContactRole[];
    const real = byDomain.get(id) ?? {};
    const privacy = Boolean(Number(r.id_protection)) && Boolean(svc);
    const published: DomainContacts = {};
    for (const role of roles) {
      if (privacy) published[role] = privacyContact(kernel, q.brandId, domain, role, svc!);
      else if (real[role]) published[role] = real[role];
    }
    return { id, domain, status: String(r.status), registeredAt: num(r.registered_at), renewedAt: num(r.renewed_at), expiresAt: num(r.expires_at), updatedAt: Number(r.updated_at), roles, privacy, real, published };
  });
}

/** How many domains of `brandId` an escrow page walk selects (all, or with `since` those updated after it): the progress total. */
export async function escrowDomainCount(kernel: Kernel, brandId: number, since?: number | null): Promise<number> {
  let q = kernel.db('registrant_domains').where({ brand_id: brandId });
  if (since !== undefined && since !== null) q = q.andWhere('updated_at', '>', since);
  const r = (await q.count({ n: '*' }).first()) as { n: number | string };
  return Number(r.n);
}
