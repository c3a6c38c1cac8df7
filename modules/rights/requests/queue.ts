/**
 * The admin queue (MS-8c, WSM-25): a brand's own requests as controller, with overdue and near-due flags counted in
 * its business days; with `processor`, also the requests of reseller brands below it, shown without personal data.
 */
import type { Knex } from 'knex';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import { moduleSettings } from '../../../core/profile/module-settings';
import { RightsSettings } from '../settings';
import { businessDaysBetween, calendarOf } from './due-date';
import { processorView } from './request-access';
import { toRequest, type RequestRow } from './request-store';
import { CLOSED_STATUSES, type RequestStatus, type RightsRequest } from './request-types';

/** A queue entry: the request plus how its due date stands. */
export type QueueEntry = (RightsRequest | Record<string, unknown>) & { overdue: boolean; nearDue: boolean; businessDaysLeft: number | null };

/** Whether an open request is overdue / near due at `now`. */
export function dueState(brandProfile: Parameters<typeof calendarOf>[0], settings: RightsSettings, r: { status: RequestStatus; due_at: number }, now = Date.now()): { overdue: boolean; nearDue: boolean; businessDaysLeft: number | null } {
  if (CLOSED_STATUSES.includes(r.status)) return { overdue: false, nearDue: false, businessDaysLeft: null };
  const left = businessDaysBetween(calendarOf(brandProfile), now, Number(r.due_at));
  const overdue = now > Number(r.due_at);
  return { overdue, nearDue: !overdue && left <= settings.nearDueBusinessDays, businessDaysLeft: left };
}

/** Lists the queue of `brand`: open requests first, soonest due first; then closed ones, newest first. `overdue` keeps only overdue ones. */
export async function listQueue(kernel: Kernel, brand: Brand, opts: { status?: string; processor?: boolean; overdue?: boolean; limit?: number; now?: number } = {}): Promise<QueueEntry[]> {
  const profile = await kernel.brands.profile(brand);
  const settings = moduleSettings(RightsSettings, profile, 'rights');
  const now = opts.now ?? Date.now();
  const limit = Math.min(opts.limit ?? 200, 1000);
  const below = opts.processor ? (await kernel.brands.descendants(brand.id)).filter((id) => id !== brand.id) : [];
  const scoped = (q: Knex.QueryBuilder): Knex.QueryBuilder => {
    q = below.length ? q.where((w) => w.where({ queue_brand_id: brand.id }).orWhereIn('queue_brand_id', below)) : q.where({ queue_brand_id: brand.id });
    return opts.status ? q.where({ status: opts.status }) : q;
  };
  let open = scoped(kernel.db('rights_requests')).whereNotIn('status', [...CLOSED_STATUSES]);
  if (opts.overdue) open = open.where('due_at', '<', now);
  const rows = (await open.orderBy('due_at').orderBy('id').limit(limit)) as RequestRow[];
  if (!opts.overdue && rows.length < limit) {
    rows.push(...((await scoped(kernel.db('rights_requests')).whereIn('status', [...CLOSED_STATUSES]).orderBy('id', 'desc').limit(limit - rows.length)) as RequestRow[]));
  }
  const out: QueueEntry[] = [];
  for (const r of rows) {
    const view = await toRequest(kernel, r);
    const state = dueState(profile, settings, r, now);
    out.push({ ...(Number(r.queue_brand_id) === brand.id ? view : processorView(view)), ...state });
  }
  return out;
}
