/** The registrant's domain records: status, roles, the contacts last sent (hash) and the real contacts, encrypted. */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import type { ContactRole, DomainContacts } from '../../registrars/contract';
import type { AssembledContacts } from '../contacts/assemble';

/** A domain row as the module reads it. */
export interface DomainRow { id: number; brandId: number; domain: string; subjectId: number | null; clientRef: string | null; status: string; idProtection: boolean; roles: ContactRole[]; contactsHash: string | null }

const CONTACT_PARAM = /^(admin)?(firstname|lastname|fullname|companyname|email|address[123]|city|state|fullstate|postcode|countrycode|country|countryname|phonenumber|phonecc|fullphonenumber)$/;

/** The params worth keeping to rebuild contacts later (contact sets, domain name, owner, ID protection); no EPP code, no nameservers. */
export function contactParams(params: Record<string, unknown>): Record<string, unknown> {
  const keep = new Set(['sld', 'tld', 'userid', 'domainid', 'idprotection']);
  return Object.fromEntries(Object.entries(params).filter(([k]) => keep.has(k) || CONTACT_PARAM.test(k)));
}

/** A stable hash of contacts (what was sent), to skip sending the same again. */
export function contactsHash(contacts: DomainContacts): string {
  const roles = Object.keys(contacts).sort() as ContactRole[];
  return crypto.createHash('sha256').update(JSON.stringify(roles.map((r) => [r, contacts[r]]))).digest('hex');
}

function toRow(r: Record<string, unknown>): DomainRow {
  return {
    id: Number(r.id), brandId: Number(r.brand_id), domain: String(r.domain), subjectId: r.subject_id === null ? null : Number(r.subject_id),
    clientRef: (r.client_ref as string | null) ?? null, status: String(r.status), idProtection: Boolean(Number(r.id_protection)),
    roles: JSON.parse(String(r.roles)) as ContactRole[], contactsHash: (r.contacts_hash as string | null) ?? null,
  };
}

/** Reads one domain of a brand. */
export async function findDomain(db: Knex | Knex.Transaction, brandId: number, domain: string): Promise<DomainRow | undefined> {
  const r = (await db('registrant_domains').where({ brand_id: brandId, domain: domain.toLowerCase() }).first()) as Record<string, unknown> | undefined;
  return r ? toRow(r) : undefined;
}

/** The domains a subject holds at a brand. */
export async function domainsOfSubject(db: Knex | Knex.Transaction, brandId: number, subjectId: number): Promise<DomainRow[]> {
  return ((await db('registrant_domains').where({ brand_id: brandId, subject_id: subjectId }).orderBy('id')) as Record<string, unknown>[]).map(toRow);
}

/** Every domain a subject holds, whatever the brand. */
export async function allDomainsOfSubject(db: Knex | Knex.Transaction, subjectId: number): Promise<DomainRow[]> {
  return ((await db('registrant_domains').where({ subject_id: subjectId }).orderBy('id')) as Record<string, unknown>[]).map(toRow);
}

/** The stored contact params of a domain (decrypted). */
export async function storedParams(kernel: Kernel, db: Knex | Knex.Transaction, domainId: number): Promise<Record<string, unknown>> {
  const r = (await db('registrant_domains').where({ id: domainId }).first('params_enc')) as { params_enc: string | null } | undefined;
  return r?.params_enc ? (JSON.parse(await kernel.keyring.decrypt(r.params_enc)) as Record<string, unknown>) : {};
}

/** What to record about a domain. */
export interface DomainState { brandId: number; subjectId: number | null; clientRef: string | null; status: string; params: Record<string, unknown>; assembled: AssembledContacts; sentHash?: string | null }

/**
 * Inserts or updates a domain with its real contacts (encrypted) and returns its id. Concurrent calls must not
 * deadlock on MySQL/MariaDB: the domain row is inserted-or-kept first and then locked by its unique key (a record
 * lock, no gap lock), which serialises everything written for that domain; contacts are then written by their unique
 * key (domain, role) with an upsert, and only roles the domain had before are deleted. No statement scans a range
 * of `registrant_contacts` with locks, so calls for different domains take no gap locks that could cross.
 */
export async function saveDomain(kernel: Kernel, trx: Knex.Transaction, s: DomainState): Promise<number> {
  const ts = Date.now();
  const a = s.assembled;
  const patch: Record<string, unknown> = {
    subject_id: s.subjectId, client_ref: s.clientRef, status: s.status, id_protection: a.idProtection, roles: JSON.stringify(a.roles),
    params_enc: kernel.keyring.encryptSync(JSON.stringify(contactParams(s.params))), updated_at: ts,
  };
  if (s.sentHash !== undefined) patch.contacts_hash = s.sentHash;
  // A new domain is inserted with no roles yet; an existing (or concurrently inserted) one is kept as it is.
  await trx('registrant_domains').insert({ brand_id: s.brandId, domain: a.domain, ...patch, roles: '[]' }).onConflict(['brand_id', 'domain']).merge(['brand_id']);
  const row = (await trx('registrant_domains').where({ brand_id: s.brandId, domain: a.domain }).forUpdate().first('id', 'roles')) as { id: number; roles: string };
  const id = Number(row.id);
  const before = JSON.parse(String(row.roles)) as ContactRole[];
  await trx('registrant_domains').where({ id }).update(patch);
  const gone = before.filter((r) => !a.roles.includes(r));
  if (gone.length) await trx('registrant_contacts').where({ domain_id: id }).whereIn('role', gone).delete();
  if (a.roles.length) {
    await trx('registrant_contacts').insert(a.roles.map((role) => ({
      domain_id: id, role, handle: a.real[role]!.id, data_enc: kernel.keyring.encryptSync(JSON.stringify(a.real[role])), updated_at: ts,
    }))).onConflict(['domain_id', 'role']).merge(['handle', 'data_enc', 'updated_at']);
  }
  return id;
}

/** Sets a domain's status (registered, renewed, suspended…) and its timestamps. */
export async function setDomainStatus(trx: Knex.Transaction, id: number, status: string, extra: Record<string, unknown> = {}): Promise<void> {
  await trx('registrant_domains').where({ id }).update({ status, updated_at: Date.now(), ...extra });
}
