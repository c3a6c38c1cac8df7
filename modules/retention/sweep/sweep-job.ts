/**
 * The scheduled sweep (retention:sweep, daily at 03:00 unless SUITE_RETENTION_CRON says otherwise): the scheduler takes
 * the job's lease, so one instance runs it; an unfinished run is resumed first. Returns the run's totals.
 */
import type { JobSpec } from '../../../core/modules/define-module';
import type { RetentionService } from '../retention-service';
import { SWEEP_SCHEDULE } from '../settings';

/** The job definition. */
export const sweepJob: JobSpec = {
  name: 'sweep',
  schedule: SWEEP_SCHEDULE,
  description: 'Apply every brand\'s approved retention rules in batches (anonymise, delete, strip), skipping what legal holds keep; resumes an unfinished run first and writes a run report.',
  async run({ kernel, brands, signal }) {
    const out = await kernel.service<RetentionService>('retention').run({ brandIds: brands.map((b) => b.id), leaseHeld: true, signal, actor: { type: 'system', id: 'retention:sweep' } });
    return out.run ? { runId: out.run.runId, state: out.run.state, resumed: out.resumed, ...out.run.totals } : { runId: null, brands: 0 };
  },
};
