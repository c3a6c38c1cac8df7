/**
 * The scheduled deposit (escrow:deposit, daily at 01:30 UTC unless SUITE_ESCROW_CRON says otherwise): the scheduler
 * holds the job's lease, so one instance builds it; full on each brand's `fullDay`, incremental the other days.
 */
import type { JobSpec } from '../../core/modules/define-module';
import type { EscrowService } from './escrow-service';
import { DEPOSIT_SCHEDULE } from './settings';

export const depositJob: JobSpec = {
  name: 'deposit',
  schedule: DEPOSIT_SCHEDULE,
  description: 'Build each escrow-enabled brand\'s registrar data escrow deposit (full on its full day, incremental otherwise), encrypted and signed, and queue its delivery to the escrow agent.',
  async run({ kernel, brands, signal }) {
    const out = await kernel.service<EscrowService>('escrow').deposit({ brandIds: brands.map((b) => b.id), leaseHeld: true, signal, actor: { type: 'system', id: 'escrow:deposit' } });
    return { deposits: out.deposits.length, domains: out.deposits.reduce((n, d) => n + d.domains, 0), failed: out.failed.length, requeued: out.requeued };
  },
};
