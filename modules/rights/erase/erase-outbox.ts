/**
 * The erasure and the outbox. Processors are told through the outbox (the registrant module queues anonymised
 * contacts for the registrar; payment gateway modules plug in the same way), so the messages the erasure queued are
 * its processor notices, delivered with retries after the commit. Messages that carried the subject's data and are
 * finished (delivered or dead) lose their payload; emails still waiting to go to the person are cancelled (dead, no
 * payload); other messages in flight (registrar) are delivered first, in order, superseded by the anonymised update.
 */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { ProcessorNotice } from './erasure-result';

/** The highest outbox id visible in `trx` (messages queued by the erasure come after it). */
export async function outboxMark(trx: Knex.Transaction): Promise<number> {
  const r = (await trx('outbox').max({ m: 'id' }).first()) as { m: number | string | null } | undefined;
  return Number(r?.m ?? 0);
}

/** The messages for `brandId` queued in `trx` after `mark`. */
export async function queuedSince(trx: Knex.Transaction, brandId: number, mark: number): Promise<ProcessorNotice[]> {
  const rows = (await trx('outbox').where('id', '>', mark).andWhere({ brand_id: brandId }).orderBy('id').select('id', 'recipient', 'topic')) as { id: number; recipient: string; topic: string }[];
  return rows.map((r) => ({ outboxId: Number(r.id), recipient: r.recipient, topic: r.topic }));
}

/** Why a cancelled message is dead (no personal data). */
export const CANCELLED_ERASED = 'cancelled: the data subject was erased';

/**
 * Blanks the payload of finished messages that carried the subjects' data, cancels the emails and texts still pending for them,
 * and returns those counts and the messages still in flight per recipient.
 */
export async function scrubOutbox(kernel: Kernel, trx: Knex.Transaction, profile: PrivacyProfile, subjectIds: number[]): Promise<{ wiped: number; cancelled: number; inFlight: { recipient: string; count: number }[] }> {
  const blank = kernel.keyring.encryptSync('{}');
  const wiped = await trx('outbox').whereIn('subject_id', subjectIds).whereIn('state', ['delivered', 'dead']).update({ payload_enc: blank });
  const mail = profile.recipients.filter((r) => r.kind === 'email' || r.kind === 'sms').map((r) => r.code);
  const cancelled = mail.length
    ? await trx('outbox').whereIn('subject_id', subjectIds).where({ state: 'pending' }).whereIn('recipient', mail).update({ state: 'dead', payload_enc: blank, last_error: CANCELLED_ERASED, next_attempt_at: Date.now() })
    : 0;
  const open = (await trx('outbox').whereIn('subject_id', subjectIds).whereIn('state', ['pending', 'delivering']).groupBy('recipient').select('recipient').count({ n: '*' })) as { recipient: string; n: number | string }[];
  return { wiped, cancelled, inFlight: open.map((r) => ({ recipient: r.recipient, count: Number(r.n) })) };
}
