/** Logs contacts handed over outside the outbox (hook answers, the WHMCS wrapper endpoint), once per domain and content. */
import type { Knex } from 'knex';
import { recordDisclosure } from '../../../core/registers/disclosure-log';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { ContactRole, DomainContacts } from '../../registrars/contract';
import { contactsHash } from '../store/domain-store';

/** Field names of what is sent, per role (`registrant.email`…); a privacy-service contact carries none of the customer's. */
export function disclosedFields(contacts: DomainContacts, privacy: boolean): string[] {
  const out: string[] = [];
  for (const role of Object.keys(contacts) as ContactRole[]) {
    if (privacy) { out.push(`${role}.privacy-service`); continue; }
    const c = contacts[role]!;
    for (const f of ['id', 'name', 'org', 'street', 'city', 'sp', 'pc', 'cc', 'voice', 'fax', 'email'] as const) if (c[f] !== undefined) out.push(`${role}.${f}`);
  }
  return out;
}

/** Records the transfer to the registrar unless the same contacts for the domain are already logged; returns whether it wrote. */
export async function recordContactsDisclosure(trx: Knex.Transaction, profile: PrivacyProfile, d: { brandId: number; subjectId: number | null; domain: string; contacts: DomainContacts; privacy: boolean; actor: string }): Promise<boolean> {
  if (!Object.keys(d.contacts).length) return false;
  const reference = `registrant:${d.domain}:${contactsHash(d.contacts).slice(0, 24)}`;
  if (await trx('disclosure_log').where({ brand_id: d.brandId, reference }).first('id')) return false;
  await recordDisclosure(trx, profile, {
    brandId: d.brandId, subjectId: d.subjectId, recipient: 'registrar', purpose: 'domain-registration', categories: ['contact', 'registration'],
    fields: disclosedFields(d.contacts, d.privacy), reference, actor: d.actor,
  });
  return true;
}
