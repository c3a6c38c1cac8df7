/**
 * What the ledger page reads of one subject: who it is (contact fields, when the role may see them), its current
 * consent state through the consent service, and one page of its ledger events, newest first, paged by row id. The
 * IP address and user agent (usage data, as the export and retention treat them) are decrypted only when allowed.
 */
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { Subject } from '../../../core/subjects/subject-service';
import type { ConsentService } from '../consent-service';
import { subjectKey } from '../ledger/consent-ledger';

/** The contact fields named on the page (the rest of the subject's contact data is for other pages). */
const NAME_FIELDS = ['firstname', 'lastname', 'companyname', 'email'] as const;

/** One ledger event as the page lists it. */
export interface LedgerEventRow {
  id: number; seq: number; receiptId: string; at: number; purpose: string; action: string; method: string; channel: string;
  collectionPoint: string; documentVersion: string | null; ip?: string | null; userAgent?: string | null;
}

/** One page of a subject's events and the id to page on from (`older`, when there are older ones). */
export interface LedgerEventPage { events: LedgerEventRow[]; older: number | null }

interface Row {
  id: number; seq: number; receipt_id: string; created_at: number; purpose: string; action: string; method: string; channel: string;
  collection_point: string; document_version: string | null; ip_enc: string | null; ua_enc: string | null;
}

/** The subject's name fields (contact category) as `{ name, value }`, in NAME_FIELDS order. */
export async function subjectNames(kernel: Kernel, subject: Subject): Promise<{ name: string; value: string }[]> {
  const fields = await kernel.subjects.fields(subject.id, ['contact']);
  return NAME_FIELDS.flatMap((n) => fields.filter((f) => f.name === n).map((f) => ({ name: n, value: f.value })));
}

/** The subject's current state per purpose and the marketing decision per channel (the consent service's view). */
export async function subjectState(kernel: Kernel, brand: Brand, subject: Subject) {
  const view = await kernel.service<ConsentService>('consent').stateFor(brand, subject.id);
  const purposes = Object.entries(view.purposes).sort(([a], [b]) => a.localeCompare(b))
    .map(([purpose, s]) => ({ purpose, action: s!.action, method: s!.method, receiptId: s!.receiptId, documentVersion: s!.documentVersion, at: s!.at }));
  const marketing = Object.entries(view.marketing).map(([channel, d]) => ({ channel, allowed: d.allowed, reason: d.reason }));
  return { purposes, marketing };
}

/** Up to `limit` events of the subject in this brand with id < `before`, newest first; IP and user agent only with `usage`. */
export async function subjectEvents(kernel: Kernel, brand: Brand, subject: Subject, opts: { before?: number; limit: number; usage: boolean }): Promise<LedgerEventPage> {
  const q = kernel.db('consent_ledger').where({ brand_id: brand.id, subject_key: subjectKey(kernel, brand.id, { subjectId: subject.id }) });
  if (opts.before !== undefined) q.andWhere('id', '<', opts.before);
  const cols = ['id', 'seq', 'receipt_id', 'created_at', 'purpose', 'action', 'method', 'channel', 'collection_point', 'document_version', ...(opts.usage ? ['ip_enc', 'ua_enc'] : [])];
  const rows = (await q.orderBy('id', 'desc').limit(opts.limit + 1).select(cols)) as Row[];
  if (opts.usage) await kernel.keyring.activeKeyId(); // keys loaded before decryptSync
  const decrypt = (c: string | null | undefined): string | null => (c ? kernel.keyring.decryptSync(c) : null);
  const events = rows.slice(0, opts.limit).map((r): LedgerEventRow => ({
    id: Number(r.id), seq: Number(r.seq), receiptId: r.receipt_id, at: Number(r.created_at), purpose: r.purpose, action: r.action, method: r.method,
    channel: r.channel, collectionPoint: r.collection_point, documentVersion: r.document_version,
    ...(opts.usage ? { ip: decrypt(r.ip_enc), userAgent: decrypt(r.ua_enc) } : {}),
  }));
  return { events, older: rows.length > opts.limit ? events[events.length - 1].id : null };
}
