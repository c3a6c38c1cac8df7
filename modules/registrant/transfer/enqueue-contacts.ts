/** Queues contacts for the registrar through the outbox, which writes the disclosure log (MS-5.1 / WSM-12) and retries. */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { DomainContacts } from '../../registrars/contract';
import { contactsHash } from '../store/domain-store';

export const SAVE_CONTACTS = 'registrant.save-contacts';
export const ID_PROTECT = 'registrant.id-protect';
export const REGISTER_CONTACTS = 'registrant.register-contacts';

/** One update to send: the domain, its contacts, and for ID protection the new state. */
export interface ContactUpdate { brandId: number; domainId: number; domain: string; subjectId: number | null; contacts: DomainContacts; idProtect?: boolean; register?: boolean }

/** Enqueues a save-contacts (or id-protect) message; the payload's keys (domain, roles) are the fields the disclosure log names. */
export async function enqueueContacts(kernel: Kernel, trx: Knex.Transaction, profile: PrivacyProfile, u: ContactUpdate): Promise<{ id: number; idempotencyKey: string }> {
  const topic = u.register ? REGISTER_CONTACTS : u.idProtect === undefined ? SAVE_CONTACTS : ID_PROTECT;
  const payload: Record<string, unknown> = { domain: u.domain, ...u.contacts };
  if (u.idProtect !== undefined) payload.enabled = u.idProtect;
  return kernel.outbox.enqueue(trx, profile, {
    brandId: u.brandId, topic, payload, recipient: 'registrar', purpose: 'domain-registration', subjectId: u.subjectId,
    categories: ['contact', 'registration'], idempotencyKey: `${topic}:${u.domainId}:${contactsHash(u.contacts).slice(0, 16)}:${Date.now()}`,
  });
}
