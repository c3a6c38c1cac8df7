/** inventory: the data inventory. Keeps the subject register (clients, contacts) in step with the panel's hooks. */
import { z } from 'zod';
import { defineModule } from '../../core/modules/define-module';
import { markClientClosed, recordClientChange, recordNewClient } from './actions/record-client';
import { closeContact, recordContact, recordContactChange } from './actions/record-contact';

export default defineModule({
  name: 'inventory',
  version: '1.0.0',
  type: 'addon',
  description: 'The subject register: every client and contact the panel reports, with category-tagged, encrypted fields.',
  settings: z.object({}).passthrough(),
  hooks: { recordNewClient, recordClientChange, markClientClosed, recordContact, recordContactChange, closeContact },
  storesPersonalData: true,
  personalData: {
    async export(subjectId, { kernel }) {
      const subject = await kernel.subjects.get(subjectId);
      const fields = await kernel.subjects.fields(subjectId);
      return { subject: { id: subject.id, kind: subject.kind, status: subject.status, createdAt: subject.createdAt }, fields: fields.map((f) => ({ name: f.name, category: f.category, value: f.value, policyVersion: f.policyVersion })) };
    },
    async erase(subjectId, { kernel, trx }) {
      return { erased: await kernel.subjects.erase(trx, subjectId), kept: ['subject id and status (tombstone)'] };
    },
  },
});
