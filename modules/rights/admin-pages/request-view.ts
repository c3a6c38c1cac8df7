/** What the request pages show, built from rows: queue rows, the timeline with labelled events, who acted. */
import type { Kernel } from '../../../core/kernel';
import { t } from '../../../core/i18n';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { RightsSettings } from '../settings';
import { dueState } from '../requests/queue';
import { requestEvents, type RequestRow } from '../requests/request-store';
import { CLOSED_STATUSES, type RequesterDetails } from '../requests/request-types';

/** Events whose label the pages know (others show their stored name). */
const EVENTS = new Set([
  'received', 'verified', 'extended', 'in-progress', 'fulfilled', 'rejected', 'cancelled', 'failed', 'removal-order-sent', 'export-ready',
  'export-downloaded', 'rectified', 'marketing-objected', 'consent-withdrawn', 'restricted', 'restriction-lifted', 'minor',
]);

/** Detail keys shown in the timeline (the events hold no personal data; these are the ones an admin reads). */
const DETAIL_KEYS = ['method', 'source', 'businessDays', 'to', 'reason', 'orderId', 'provider', 'code', 'exportId', 'dueAt'] as const;
const DATE_KEYS = new Set(['to', 'dueAt']);

/** The labels of a request's type and state in `locale`. */
export function typeLabel(locale: string, type: string): string {
  return t(locale, `rights.admin.type.${type}`);
}
export function statusLabel(locale: string, status: string): string {
  return t(locale, `rights.admin.status.${status}`);
}

/** How a due date stands, as the queue and the request page show it (text, never only colour). */
export function dueView(locale: string, profile: PrivacyProfile, settings: RightsSettings, row: RequestRow, now: number): { overdue: boolean; nearDue: boolean; dueNote: string } {
  const s = dueState(profile, settings, row, now);
  let dueNote = '';
  if (s.businessDaysLeft !== null) {
    dueNote = s.overdue
      ? t(locale, 'rights.admin.due.overdue', { days: Math.abs(s.businessDaysLeft) })
      : t(locale, s.nearDue ? 'rights.admin.due.soon' : 'rights.admin.due.left', { days: s.businessDaysLeft });
  }
  return { overdue: s.overdue, nearDue: s.nearDue, dueNote };
}

/** One queue row (the requester only when the role may see contact data). */
export function queueRow(locale: string, base: string, profile: PrivacyProfile, settings: RightsSettings, row: RequestRow, requester: RequesterDetails | null, now: number) {
  return {
    id: Number(row.id), href: `${base}/requests/${Number(row.id)}`, type: typeLabel(locale, row.type), status: row.status, state: statusLabel(locale, row.status),
    closed: CLOSED_STATUSES.includes(row.status), receivedAt: Number(row.created_at), dueAt: Number(row.due_at), verified: row.verified_at !== null,
    requester: requester ? (requester.name ?? requester.email ?? '') : null, email: requester?.name ? (requester.email ?? '') : '',
    ...dueView(locale, profile, settings, row, now),
  };
}

/** The e-mail addresses of the panel users among `actors` ("user:12"), for "who" in the timeline. */
async function userEmails(kernel: Kernel, actors: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(actors.filter((a) => /^user:\d+$/.test(a)).map((a) => Number(a.slice(5))))];
  if (!ids.length) return new Map();
  const rows = (await kernel.db('admin_users').whereIn('id', ids).select('id', 'email')) as { id: number; email: string }[];
  return new Map(rows.map((r) => [`user:${Number(r.id)}`, r.email]));
}

/** The request's timeline, oldest first: when, what (labelled), who, and the event's readable details. */
export async function timeline(kernel: Kernel, locale: string, id: number) {
  const events = await requestEvents(kernel.db, id);
  const emails = await userEmails(kernel, events.map((e) => e.actor));
  return events.map((e) => ({
    at: e.at, event: e.event, what: EVENTS.has(e.event) ? t(locale, `rights.admin.event.${e.event}`) : e.event,
    who: emails.get(e.actor) ?? e.actor,
    details: DETAIL_KEYS.filter((k) => e.details[k] !== undefined && e.details[k] !== null && typeof e.details[k] !== 'object').map((k) => ({
      label: t(locale, `rights.admin.detail.${k}`), date: DATE_KEYS.has(k) ? Number(e.details[k]) : null, value: String(e.details[k]),
    })),
  }));
}
