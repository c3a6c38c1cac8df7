/** The registrant module's service for other modules (RDAP, rights): publishable fields, consent to publish, ID protection. */
import type { Knex } from 'knex';
import type { Brand } from '../../core/brands/brand';
import { SuiteError } from '../../core/errors';
import type { Kernel } from '../../core/kernel';
import { publishableFields, recordPublishConsent, type PublishConsentInput } from './consent/publish-consent';
import type { PublishField } from './contacts/disclose';
import { updateDomain } from './flows/update-domain';
import type { ContactRole, DomainContacts, RegistryContact } from '../registrars/contract';
import { contactHandle, forwardingAddress } from './contacts/contact-id';
import { privacyContact } from './contacts/privacy-contact';
import type { RegistrantSettings } from './settings';
import { findDomain, storedParams } from './store/domain-store';

/** A domain an import found on the panel: its owner's subject and panel id, and when it was registered. */
export interface ImportedDomain { domain: string; subjectId: number | null; clientRef: string | null; registeredAt: number | null }

/** A brand's record of a domain name, as a public directory (RDAP, WHOIS) chooses between brands. */
export interface DomainHolding { brandId: number; domain: string; status: string; updatedAt: number }

/**
 * What a public directory may build its answer from: the domain's state and, per role, either the privacy service's
 * contact (ID protection on) or the customer's own contact with the fields the registrant consented to publish.
 * The own contacts are personal data: the caller redacts them.
 */
export interface RegistrationData {
  brandId: number; domain: string; status: string; registeredAt: number | null; renewedAt: number | null; updatedAt: number;
  /** The customer's subject id (null for a domain imported without an owner). */
  subjectId: number | null;
  roles: ContactRole[];
  /** True when the privacy service's contacts are published instead of the customer's. */
  privacy: boolean;
  contacts: DomainContacts;
  /** Per role, the fields consent to publish un-redacts (the registrant's consent; a role held by another person gets none). */
  consented: Partial<Record<ContactRole, PublishField[]>>;
  /** Per role, the anonymised forwarding address (when the brand has a privacy service), for a redacted email. */
  anonymisedEmail: Partial<Record<ContactRole, string>>;
  /** Per role, the published handle (the registry contact id). */
  handles: Partial<Record<ContactRole, string>>;
}

export class RegistrantService {
  constructor(private readonly kernel: Kernel) {}

  private async brand(b: Brand | number | string): Promise<Brand> {
    return typeof b === 'number' ? this.kernel.brands.getById(b) : typeof b === 'string' ? this.kernel.brands.get(b) : b;
  }

  /** The fields the registrant of `domain` consented to publish (RDAP and WHOIS show exactly these). */
  async publishableFields(brandId: number, domain: string): Promise<PublishField[]> {
    return publishableFields(this.kernel, this.kernel.db, brandId, domain);
  }

  /** Every brand's record of `domain` (a name is unique per brand; several brands may hold it, e.g. after a move). */
  async holdings(domain: string): Promise<DomainHolding[]> {
    const rows = (await this.kernel.db('registrant_domains').where({ domain: domain.toLowerCase() }).select('brand_id', 'domain', 'status', 'updated_at')) as Record<string, unknown>[];
    return rows.map((r) => ({ brandId: Number(r.brand_id), domain: String(r.domain), status: String(r.status), updatedAt: Number(r.updated_at) }));
  }

  /**
   * Every brand's record of `domain` with the fields its registrant consented to publish, in one indexed query (the
   * consent ledger is read only where a consent-to-publish row exists): what a public directory's answer depends on.
   */
  async publications(domain: string): Promise<(DomainHolding & { fields: PublishField[] })[]> {
    const rows = (await this.kernel.db('registrant_domains as d')
      .leftJoin('registrant_publish_consent as p', function on() { this.on('p.brand_id', '=', 'd.brand_id').andOn('p.domain', '=', 'd.domain'); })
      .where('d.domain', domain.toLowerCase())
      .select('d.brand_id', 'd.domain', 'd.status', 'd.updated_at', 'p.domain as consented')) as Record<string, unknown>[];
    return Promise.all(rows.map(async (r) => ({
      brandId: Number(r.brand_id), domain: String(r.domain), status: String(r.status), updatedAt: Number(r.updated_at),
      fields: r.consented ? await this.publishableFields(Number(r.brand_id), String(r.domain)) : [],
    })));
  }

  /** The data a public directory answers `domain` of `brandId` from; undefined for an unknown domain. */
  async registrationData(brandId: number, domain: string): Promise<RegistrationData | undefined> {
    const db = this.kernel.db;
    const row = await findDomain(db, brandId, domain);
    if (!row) return undefined;
    const raw = (await db('registrant_domains').where({ id: row.id }).first('registered_at', 'renewed_at', 'updated_at')) as Record<string, unknown>;
    const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
    const settings = await this.kernel.settings<RegistrantSettings>('registrant', await this.brand(brandId));
    const svc = settings.privacyService;
    const privacy = row.idProtection && Boolean(svc);
    const stored = (await db('registrant_contacts').where({ domain_id: row.id })) as { role: ContactRole; data_enc: string }[];
    const real: DomainContacts = {};
    for (const c of stored) real[c.role] = JSON.parse(await this.kernel.keyring.decrypt(c.data_enc)) as RegistryContact;
    const fields = row.idProtection ? [] : await this.publishableFields(brandId, row.domain);
    const registrant = real.registrant;
    const samePerson = (c: RegistryContact | undefined): boolean => Boolean(c && registrant && c.name === registrant.name && c.email === registrant.email);
    const out: RegistrationData = {
      brandId, domain: row.domain, status: row.status, registeredAt: num(raw.registered_at), renewedAt: num(raw.renewed_at), updatedAt: Number(raw.updated_at), subjectId: row.subjectId,
      roles: row.roles, privacy, contacts: {}, consented: {}, anonymisedEmail: {}, handles: {},
    };
    for (const role of row.roles) {
      if (privacy) {
        out.contacts[role] = privacyContact(this.kernel, brandId, row.domain, role, svc!);
      } else if (real[role]) {
        out.contacts[role] = real[role];
        out.consented[role] = role === 'registrant' || samePerson(real[role]) ? [...fields] : [];
        if (svc) out.anonymisedEmail[role] = forwardingAddress(this.kernel, brandId, row.domain, role, svc.emailDomain);
      }
      if (out.contacts[role]) out.handles[role] = out.contacts[role]!.id || contactHandle(this.kernel, brandId, row.domain, role, privacy ? 'privacy' : 'own');
    }
    return out;
  }

  /** Records consent to publish `fields` (empty: withdraws it) and re-sends the domain's contacts when they change. */
  async consentToPublish(brand: Brand | number | string, input: Omit<PublishConsentInput, 'brandId'>): Promise<{ receiptId: string; fields: PublishField[]; outboxId: number | null }> {
    const b = await this.brand(brand);
    const profile = await this.kernel.brands.profile(b);
    const settings = await this.kernel.settings<RegistrantSettings>('registrant', b);
    await this.kernel.keyring.activeKeyId();
    return this.kernel.db.transaction(async (trx) => {
      const r = await recordPublishConsent(this.kernel, trx, profile, { ...input, brandId: b.id });
      const row = await findDomain(trx, b.id, input.domain);
      const outboxId = row ? await updateDomain({ kernel: this.kernel, trx, profile, settings, row, params: await storedParams(this.kernel, trx, row.id) }) : null;
      return { ...r, outboxId };
    });
  }

  /**
   * Adds domains an import found on the panel that the register does not hold yet (`registered`, no contacts: WHMCS's
   * API does not hand them over; the next registrar hook brings them). A domain the register holds is left as it is.
   * Runs in the caller's transaction; answers how many were added.
   */
  async importDomains(trx: Knex.Transaction, brandId: number, rows: ImportedDomain[]): Promise<number> {
    const names = [...new Set(rows.map((r) => r.domain.toLowerCase()))];
    if (!names.length) return 0;
    const known = new Set((await trx('registrant_domains').where({ brand_id: brandId }).whereIn('domain', names).pluck('domain')).map(String));
    const fresh = new Map(rows.filter((r) => !known.has(r.domain.toLowerCase())).map((r) => [r.domain.toLowerCase(), r]));
    const ts = Date.now();
    const insert = [...fresh.values()].map((r) => ({
      brand_id: brandId, domain: r.domain.toLowerCase(), subject_id: r.subjectId, client_ref: r.clientRef, status: 'registered', id_protection: false,
      roles: '[]', registered_at: r.registeredAt, updated_at: ts,
    }));
    if (insert.length) await trx('registrant_domains').insert(insert);
    return insert.length;
  }

  /** Switches ID protection for a known domain (IDProtectToggle): stored, and the contacts to publish queued for the registrar. */
  async setIdProtection(brand: Brand | number | string, domain: string, enabled: boolean): Promise<{ outboxId: number | null }> {
    const b = await this.brand(brand);
    const profile = await this.kernel.brands.profile(b);
    const settings = await this.kernel.settings<RegistrantSettings>('registrant', b);
    await this.kernel.keyring.activeKeyId();
    return this.kernel.db.transaction(async (trx) => {
      const row = await findDomain(trx, b.id, domain);
      if (!row) throw new SuiteError('SUITE_NOT_FOUND', { what: 'domain', id: domain });
      return { outboxId: await updateDomain({ kernel: this.kernel, trx, profile, settings, row, params: await storedParams(this.kernel, trx, row.id), idProtect: enabled }) };
    });
  }
}
