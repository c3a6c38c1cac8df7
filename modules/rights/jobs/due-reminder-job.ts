/**
 * `rights:due-reminder` (MS-8c): every morning, for each controller's queue, the open requests that are near due or
 * overdue and were not reminded since they entered that state go into ONE reminder email to the controller
 * (`modules.rights.reminderEmail`, else the profile's controller email) — ids, types and due dates only, nothing
 * about the requesters. A request is reminded once when near due and once more when it becomes overdue; an
 * extension clears the mark, so it is reminded again when it comes due again.
 */
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { JobSpec } from '../../../core/modules/define-module';
import { addBusinessDays, calendarOf } from '../requests/due-date';
import { dueState } from '../requests/queue';
import type { RequestRow } from '../requests/request-store';
import { CLOSED_STATUSES } from '../requests/request-types';
import { moduleSettings } from '../../../core/profile/module-settings';
import { RightsSettings } from '../settings';
import { mailTransfer } from '../verify/mail-transfer';

/** The outbox topic of a reminder. */
export const REMINDER_TOPIC = 'rights.due-reminder';

/** One request in a reminder. */
export interface ReminderItem { id: number; type: string; dueAt: number; overdue: boolean }

type QueueOutcome = { brand: string; requests: number } | { brand: string; skipped: string };

/** Whether a request in its current state (near due or overdue) still needs a reminder. */
export function needsReminder(r: Pick<RequestRow, 'reminded_at' | 'due_at'>, overdue: boolean): boolean {
  if (r.reminded_at === null) return true;
  return overdue && Number(r.reminded_at) <= Number(r.due_at); // reminded while near due; now overdue
}

/** Queues the reminder of one controller's queue; returns what it did. */
export async function remindQueue(kernel: Kernel, brand: Brand, now = Date.now()): Promise<QueueOutcome> {
  const profile = await kernel.brands.profile(brand);
  const settings = moduleSettings(RightsSettings, profile, 'rights');
  const horizon = addBusinessDays(calendarOf(profile), now, settings.nearDueBusinessDays);
  const rows = (await kernel.db('rights_requests').where({ queue_brand_id: brand.id }).whereNotIn('status', [...CLOSED_STATUSES])
    .where('due_at', '<=', horizon).orderBy('due_at').orderBy('id')
    .select('id', 'type', 'status', 'due_at', 'reminded_at')) as Pick<RequestRow, 'id' | 'type' | 'status' | 'due_at' | 'reminded_at'>[];
  const items: ReminderItem[] = [];
  for (const r of rows) {
    const state = dueState(profile, settings, r, now);
    if (!(state.overdue || state.nearDue) || !needsReminder(r, state.overdue)) continue;
    items.push({ id: Number(r.id), type: r.type, dueAt: Number(r.due_at), overdue: state.overdue });
  }
  if (!items.length) return { brand: brand.slug, requests: 0 };
  const to = settings.reminderEmail ?? profile.controller?.email;
  if (!to) return { brand: brand.slug, skipped: 'no controller email' };
  let transfer;
  try {
    transfer = mailTransfer(profile, { prefer: 'legal' });
  } catch {
    return { brand: brand.slug, skipped: 'no email recipient registered' };
  }
  await kernel.db.transaction(async (trx) => {
    // Marked in the transaction that queues the email: a request is never marked without its reminder, nor twice.
    await trx('rights_requests').whereIn('id', items.map((i) => i.id)).update({ reminded_at: now });
    await kernel.outbox.enqueue(trx, profile, {
      brandId: brand.id, topic: REMINDER_TOPIC, recipient: transfer.recipient, purpose: transfer.purpose, subjectId: null,
      payload: { to, locale: profile.locale, requests: items }, idempotencyKey: `rights-reminder:${brand.id}:${now}`,
    });
    await kernel.audit.record({ brandId: brand.id, actor: { type: 'system', id: 'rights:due-reminder' }, action: 'rights.queue.reminded', targetType: 'rights_queue', details: { requests: items.map((i) => i.id), overdue: items.filter((i) => i.overdue).length } }, trx);
  });
  return { brand: brand.slug, requests: items.length };
}

/** The job: one reminder per controller's queue among the brands the module is on for. */
export const dueReminderJob: JobSpec = {
  name: 'due-reminder',
  schedule: '0 7 * * *',
  description: 'Emails each controller the ids, types and due dates of its rights requests that are near due or overdue (once per state).',
  async run({ kernel, brands, log, signal }) {
    const queues: QueueOutcome[] = [];
    for (const b of brands) {
      if (signal.aborted) break;
      const outcome = await remindQueue(kernel, b);
      if ('skipped' in outcome) log.warn({ brand: b.slug, reason: outcome.skipped }, 'rights reminder not sent');
      if ('skipped' in outcome || outcome.requests > 0) queues.push(outcome);
    }
    return { queues };
  },
};
