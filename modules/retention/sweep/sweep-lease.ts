/**
 * The sweep's lease: the scheduler's lease row for the job (retention:sweep), so a CLI run, an admin-started run and
 * the cron job on any instance never run at once. Renewed at a third of its length while held; if it is lost (this
 * process stalled past its expiry and another took it) the run stops at the next batch.
 */
import crypto from 'node:crypto';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { Leases } from '../../../core/scheduler/leases';
import { leaseMs, SWEEP_LEASE } from '../settings';

/** A held lease: whether it is still ours, and how to give it back. */
export interface SweepLease { readonly lost: boolean; release: () => Promise<void> }

/** Takes the sweep's lease, or throws SUITE_RETENTION_BUSY when another run holds it. */
export async function takeSweepLease(kernel: Kernel): Promise<SweepLease> {
  const leases = new Leases(kernel.db, `ret_${crypto.randomBytes(6).toString('hex')}`);
  const ttl = leaseMs();
  if (!(await leases.acquire(SWEEP_LEASE, ttl))) throw new SuiteError('SUITE_RETENTION_BUSY');
  let lost = false;
  const renew = setInterval(() => {
    leases.renew(SWEEP_LEASE, ttl).then((held) => { if (!held) lost = true; }, () => undefined);
  }, Math.max(500, Math.floor(ttl / 3)));
  renew.unref();
  return {
    get lost() { return lost; },
    release: async () => {
      clearInterval(renew);
      await leases.release(SWEEP_LEASE).catch(() => undefined);
    },
  };
}
