/** The registrant module's export and erasure of what it holds about one subject (domains, real contacts, consent, reveal requests). */
import type { PersonalDataProvider } from '../../core/modules/define-module';
import { erasedContacts } from './contacts/erased-contact';
import { REGISTRANT_KEPT, registrantEraseMany } from './flows/erase-many';
import { rectifySubjectContacts } from './flows/rectify-subject';
import { moduleSettings } from '../../core/profile/module-settings';
import { RegistrantSettings } from './settings';
import { allDomainsOfSubject, contactsHash } from './store/domain-store';
import { enqueueContacts } from './transfer/enqueue-contacts';
import { registrarTransferRegistered } from './transfer/registrar-transfer';

/** Domains no longer at the registry: nothing to replace there. */
const GONE = new Set(['expired', 'deleted']);

export const registrantPersonalData: PersonalDataProvider = {
  async export(subjectId, { kernel, trx }) {
    const db = trx ?? kernel.db;
    const domains = (await db('registrant_domains').where({ subject_id: subjectId }).orderBy('id')) as Record<string, unknown>[];
    const out = [];
    for (const d of domains) {
      const contacts = (await db('registrant_contacts').where({ domain_id: d.id })) as { role: string; handle: string; data_enc: string }[];
      const decoded = [];
      for (const c of contacts) decoded.push({ role: c.role, handle: c.handle, contact: JSON.parse(await kernel.keyring.decrypt(c.data_enc)) as unknown });
      out.push({ domain: d.domain, status: d.status, idProtection: Boolean(Number(d.id_protection)), contacts: decoded });
    }
    const consent = (await db('registrant_publish_consent').where({ subject_id: subjectId })) as { domain: string; fields: string; receipt_id: string }[];
    const reveals = (await db('registrant_reveal_requests').where({ subject_id: subjectId })) as { id: number; domain: string; status: string }[];
    return {
      domains: out, publishConsent: consent.map((c) => ({ domain: c.domain, fields: JSON.parse(c.fields) as string[], receiptId: c.receipt_id })),
      revealRequests: reveals.map((r) => ({ id: Number(r.id), domain: r.domain, status: r.status })),
    };
  },
  /** Corrects the stored contacts of the subject's domains and re-sends them to the registrar through the outbox (MS-8e). */
  rectify(subjectId, changes, { kernel, trx, brand, profile }) {
    return rectifySubjectContacts(kernel, trx, subjectId, changes, brand, profile);
  },
  /**
   * Deletes the real contacts and the stored params. Each domain still at the registry gets its contacts replaced
   * there, through the outbox (retried), by contacts that carry nothing of the subject (erasedContacts), so the
   * registry stops holding their data (MS-8f). Without the brand and profile the registrar is not told: `kept` says so.
   */
  async erase(subjectId, { kernel, trx, brand, profile }) {
    const rows = await allDomainsOfSubject(trx, subjectId);
    const ids = rows.map((r) => r.id);
    const kept = [...REGISTRANT_KEPT];
    const held = rows.filter((r) => !GONE.has(r.status) && r.roles.length > 0);
    const notSent: string[] = [];
    if (held.length && !profile) notSent.push(`${held.length} domain(s): no brand profile was passed to erase`);
    else if (held.length && profile && !registrarTransferRegistered(profile)) notSent.push(`${held.length} domain(s): the brand's register has no registrar transfer`);
    else if (held.length && profile) {
      const settings = moduleSettings(RegistrantSettings, profile, 'registrant');
      for (const row of held) {
        if (brand && row.brandId !== brand.id) { notSent.push(`domain ${row.id}: held at another brand than the one passed`); continue; }
        const contacts = erasedContacts(kernel, row.brandId, row.domain, row.roles, settings, profile.controller);
        if (!contacts) { notSent.push(`domain ${row.id}: no privacy service and no controller country/email to build an anonymised contact`); continue; }
        // subjectId null: the payload carries nothing of the subject, so it is no disclosure of their data (the register is still checked).
        await enqueueContacts(kernel, trx, profile, { brandId: row.brandId, domainId: row.id, domain: row.domain, subjectId: null, contacts });
        await trx('registrant_domains').where({ id: row.id }).update({ contacts_hash: contactsHash(contacts) });
      }
    }
    if (notSent.length) kept.push(`contacts at the registrar NOT updated (registry still holds the subject's data) for ${notSent.join('; ')}`);
    const erased = ids.length ? await trx('registrant_contacts').whereIn('domain_id', ids).delete() : 0;
    if (ids.length) await trx('registrant_domains').whereIn('id', ids).update({ params_enc: null, updated_at: Date.now() });
    return { erased, kept };
  },
  /** Many subjects at once: the per-subject erase, only for those that hold domains (see flows/erase-many.ts). */
  eraseMany: (subjectIds, ctx) => registrantEraseMany(registrantPersonalData.erase)(subjectIds, ctx),
};
