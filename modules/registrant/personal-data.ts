/** The registrant module's export and erasure of what it holds about one subject (domains, real contacts, consent, reveal requests). */
import type { PersonalDataProvider } from '../../core/modules/define-module';
import { eraseOne } from '../../core/modules/erase-one';
import { registrantEraseMany } from './flows/erase-many';
import { rectifySubjectContacts } from './flows/rectify-subject';

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
  /** Deletes the real contacts and the stored params, and replaces the contacts at the registry (flows/erase-many.ts). */
  erase: eraseOne(registrantEraseMany),
  eraseMany: registrantEraseMany,
};
