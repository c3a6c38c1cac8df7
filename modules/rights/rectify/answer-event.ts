/**
 * The timeline event a fulfiller writes in the same transaction as its answer (rectified, restricted, objected,
 * consent-withdrawn). A fulfilment that crashed after that commit but before the request was marked fulfilled finds
 * it on the next attempt and returns it instead of answering twice (a second withdrawal step, a second ledger entry).
 */
import type { Kernel } from '../../../core/kernel';

/** The details of the request's `event`, if it was already recorded (read before any transaction opens). */
export async function recordedAnswer(kernel: Kernel, requestId: number, event: string): Promise<Record<string, unknown> | undefined> {
  const r = (await kernel.db('rights_request_events').where({ request_id: requestId, event }).orderBy('id', 'desc').first('details')) as { details: string | null } | undefined;
  if (!r) return undefined;
  return { ...(r.details ? (JSON.parse(r.details) as Record<string, unknown>) : {}), resumed: true };
}
