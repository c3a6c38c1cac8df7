/**
 * The outbox side of a batch erasure, as scrubOutbox does it for one erasure, for the whole batch at once: finished
 * messages that carried the subjects' data lose their payload, emails and texts still pending for them are cancelled,
 * and each erasure (a subject with its contacts) learns its own counts and the messages still in flight per recipient.
 */
import type { Knex } from 'knex';
import { dialectOfKnex } from '../../../core/db/connection';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { CANCELLED_ERASED } from './erase-outbox';

/** What one erasure's scrub did (the shape scrubOutbox answers). */
export interface ScrubOutcome { wiped: number; cancelled: number; inFlight: { recipient: string; count: number }[] }

const FINISHED = new Set(['delivered', 'dead']);

/** Scrubs the messages of the batch's subjects; `ownerOf` maps each subject (contacts too) to the erasure it belongs to. */
export async function scrubOutboxMany(kernel: Kernel, trx: Knex.Transaction, profile: PrivacyProfile, ownerOf: Map<number, number>): Promise<Map<number, ScrubOutcome>> {
  const ids = [...ownerOf.keys()];
  const mail = profile.recipients.filter((r) => r.kind === 'email' || r.kind === 'sms').map((r) => r.code);
  const isMail = new Set(mail);
  let q = trx('outbox').whereIn('subject_id', ids).select('id', 'subject_id', 'state', 'recipient');
  if (dialectOfKnex(trx) === 'mysql') q = q.forUpdate(); // counts and updates see the same rows (the worker may be delivering)
  const rows = (await q) as { id: number; subject_id: number; state: string; recipient: string }[];
  const out = new Map<number, ScrubOutcome>();
  const open = new Map<number, Map<string, number>>();
  let wiped = 0;
  let cancelled = 0;
  for (const owner of new Set(ownerOf.values())) {
    out.set(owner, { wiped: 0, cancelled: 0, inFlight: [] });
    open.set(owner, new Map());
  }
  for (const r of rows) {
    const owner = ownerOf.get(Number(r.subject_id))!;
    const o = out.get(owner)!;
    if (FINISHED.has(r.state)) { o.wiped++; wiped++; continue; }
    if (r.state === 'pending' && isMail.has(r.recipient)) { o.cancelled++; cancelled++; continue; }
    if (r.state === 'pending' || r.state === 'delivering') open.get(owner)!.set(r.recipient, (open.get(owner)!.get(r.recipient) ?? 0) + 1);
  }
  const blank = kernel.keyring.encryptSync('{}');
  if (wiped) await trx('outbox').whereIn('subject_id', ids).whereIn('state', [...FINISHED]).update({ payload_enc: blank });
  if (cancelled) {
    await trx('outbox').whereIn('subject_id', ids).where({ state: 'pending' }).whereIn('recipient', mail)
      .update({ state: 'dead', payload_enc: blank, last_error: CANCELLED_ERASED, next_attempt_at: Date.now() });
  }
  for (const [owner, byRecipient] of open) {
    out.get(owner)!.inFlight = [...byRecipient].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([recipient, count]) => ({ recipient, count }));
  }
  return out;
}
