/** Re-sends a known domain's contacts through the outbox when they changed (rectification, ID protection toggle). */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { assembleContacts } from '../contacts/assemble';
import { publishableFields } from '../consent/publish-consent';
import type { RegistrantSettings } from '../settings';
import { keepRealContacts } from '../contacts/proxy-guard';
import { contactsHash, saveDomain, storedParams, type DomainRow } from '../store/domain-store';
import { enqueueContacts } from '../transfer/enqueue-contacts';

/** A domain update: new params; `idProtect` set when the protection itself is switched (sent as an id-protect message). */
export interface DomainUpdate { kernel: Kernel; trx: Knex.Transaction; profile: PrivacyProfile; settings: RegistrantSettings; row: DomainRow; params: Record<string, unknown>; idProtect?: boolean }

/**
 * Stores the new data and queues the contacts if what the registry receives changed; returns the outbox id or null.
 * A set that is the privacy (proxy) contact keeps the stored real data (proxy-guard.ts).
 */
export async function updateDomain(u: DomainUpdate): Promise<number | null> {
  const { kernel, trx, row } = u;
  const { params } = keepRealContacts(u.params, await storedParams(kernel, trx, row.id), u.settings.privacyService);
  const consented = await publishableFields(kernel, trx, row.brandId, row.domain);
  const assembled = assembleContacts(params, { kernel, brandId: row.brandId, settings: u.settings, consented, idProtection: u.idProtect ?? row.idProtection });
  const hash = contactsHash(assembled.send);
  const changed = hash !== row.contactsHash || (u.idProtect !== undefined && u.idProtect !== row.idProtection);
  await saveDomain(kernel, trx, { brandId: row.brandId, subjectId: row.subjectId, clientRef: row.clientRef, status: row.status, params: { ...params, idprotection: assembled.idProtection }, assembled, sentHash: hash });
  if (!changed || !assembled.roles.length) return null;
  const { id } = await enqueueContacts(kernel, trx, u.profile, { brandId: row.brandId, domainId: row.id, domain: row.domain, subjectId: row.subjectId, contacts: assembled.send, idProtect: u.idProtect });
  return id;
}
