/** Rectification at the registrar (MS-8e): every domain of a changed client gets its contacts re-sent through the outbox. */
import type { Knex } from 'knex';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { RegistrantSettings } from '../settings';
import { domainsOfSubject, storedParams } from '../store/domain-store';
import { updateDomain } from './update-domain';

/** Outcome per run: domains queued, unchanged, and skipped because the new data fails validation (ids only). */
export interface RectifyReport { queued: number[]; unchanged: number[]; invalid: number[] }

/** Applies `change` to the stored params of each domain of `subjectId` (undefined: not concerned) and queues what changed. */
export async function rectifyDomains(kernel: Kernel, trx: Knex.Transaction, profile: PrivacyProfile, settings: RegistrantSettings, brandId: number, subjectId: number,
  change: (params: Record<string, unknown>) => Record<string, unknown> | undefined): Promise<RectifyReport> {
  const report: RectifyReport = { queued: [], unchanged: [], invalid: [] };
  for (const row of await domainsOfSubject(trx, brandId, subjectId)) {
    if (row.status === 'suspended') continue;
    const params = change(await storedParams(kernel, trx, row.id));
    if (!params) continue;
    try {
      const id = await updateDomain({ kernel, trx, profile, settings, row, params });
      (id === null ? report.unchanged : report.queued).push(row.id);
    } catch (err) {
      if (!(err instanceof SuiteError) || err.code !== 'SUITE_VALIDATION_FAILED') throw err;
      report.invalid.push(row.id);
      kernel.log.warn({ domainId: row.id, fields: err.fields?.map((f) => f.field) }, 'rectified contact data fails registry validation; not sent');
    }
  }
  return report;
}
