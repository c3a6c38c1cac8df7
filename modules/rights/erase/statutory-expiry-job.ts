/**
 * Daily: deletes the statutory billing records kept after erasure (TOS-1.4) whose keep-until date has passed, for the
 * brands the rights module is on for, and reports how many went and how many stay. Retention (issue 6) folds it in.
 */
import type { JobSpec } from '../../../core/modules/define-module';
import { deleteExpiredStatutory } from './statutory-records';

/** The daily statutory-expiry job (rights:statutory-expiry). */
export const statutoryExpiryJob: JobSpec = {
  name: 'statutory-expiry',
  schedule: '30 2 * * *',
  description: 'Daily: delete statutory billing records kept after an erasure once their keep-until date (invoice date + the brand\'s statutory years) has passed.',
  async run({ kernel, brands }) {
    const { deleted, remaining } = await deleteExpiredStatutory(kernel.db, Date.now(), brands.map((b) => b.id));
    if (deleted) await kernel.audit.record({ actor: { type: 'system', id: 'rights:statutory-expiry' }, action: 'rights.statutory.expired', targetType: 'rights_statutory_records', details: { deleted, remaining, brands: brands.length } });
    return { deleted, remaining };
  },
};
