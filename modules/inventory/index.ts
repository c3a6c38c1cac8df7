/** inventory: the data inventory. Keeps the subject register (clients, contacts) in step with the panel's hooks. */
import { z } from 'zod';
import { defineModule } from '../../core/modules/define-module';
import { eraseOne, type EraseMany } from '../../core/modules/erase-one';
import { FIELD_CATEGORIES } from '../../core/subjects/field-catalogue';
import { markClientClosed, recordClientChange, recordNewClient } from './actions/record-client';
import { closeContact, recordContact, recordContactChange } from './actions/record-contact';
import { recordLogin } from './actions/record-login';
import { recordInvoicePaid, recordOrderPlaced, recordServiceEnded } from './actions/record-events';

/** What the register keeps of an erased subject. */
const TOMBSTONE_KEPT = 'subject id and status (tombstone)';

/** Erasure of one subject or many, in three statements (`erase(id)` is `eraseMany([id])`): fields deleted, tombstones. */
const eraseMany: EraseMany = async (subjectIds, { kernel, trx, known }) => {
  const counts = known ? new Map(subjectIds.map((id) => [id, Object.keys(known.fields.get(id) ?? {}).length])) : undefined;
  const fields = await kernel.subjects.eraseMany(trx, subjectIds, counts);
  return new Map(subjectIds.map((id) => [id, { erased: fields.get(id) ?? 0, kept: [TOMBSTONE_KEPT] }]));
};

export default defineModule({
  name: 'inventory',
  version: '1.0.0',
  type: 'addon',
  description: 'The subject register: every client and contact the panel reports, with category-tagged, encrypted fields.',
  settings: z.object({}).passthrough(),
  hooks: { recordNewClient, recordClientChange, markClientClosed, recordContact, recordContactChange, closeContact, recordLogin, recordInvoicePaid, recordServiceEnded, recordOrderPlaced },
  storesPersonalData: true,
  personalData: {
    async export(subjectId, { kernel }) {
      const subject = await kernel.subjects.get(subjectId);
      const fields = await kernel.subjects.fields(subjectId);
      return { subject: { id: subject.id, kind: subject.kind, status: subject.status, createdAt: subject.createdAt }, fields: fields.map((f) => ({ name: f.name, category: f.category, value: f.value, policyVersion: f.policyVersion })) };
    },
    /** The recorded events (last login, last payment, orders, …): when the person did what retention counts from. */
    async *records(subjectId, { kernel }) {
      const events = await kernel.subjects.events(subjectId);
      if (!Object.keys(events).length) return; // no set (and no usage category) for a person with none
      yield {
        name: 'events', category: 'usage' as const,
        rows: (async function* rows() {
          for (const [event, at] of Object.entries(events)) yield { event, at: new Date(at!).toISOString() };
        })(),
      };
    },
    /** The register takes the corrected values (the email's blind index follows); an erased subject stays a tombstone. */
    async rectify(subjectId, changes, { kernel, trx }) {
      const s = await kernel.subjects.get(subjectId, trx);
      const fields = Object.keys(changes).filter((f) => FIELD_CATEGORIES[f] !== undefined).sort();
      if (s.status === 'erased' || !fields.length) return { updated: [], propagated: [] };
      await kernel.subjects.upsert(trx, { brandId: s.brandId, kind: s.kind, externalId: s.externalId, fields: changes });
      return { updated: fields, propagated: [] };
    },
    erase: eraseOne(eraseMany),
    eraseMany,
  },
});
