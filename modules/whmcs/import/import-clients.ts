/**
 * Phase 1, clients: GetClients page by page, each client's GetClientsDetails (the page's calls a few at a time), then
 * the subjects as ClientAdd records them. Without the addon's opt-in history, the current marketing opt-in is recorded
 * in the consent ledger once, where the suite has no marketing state for the subject yet (import-optin.ts). For a
 * brand that writes back, each client's holdings in WHMCS (email log, opt-in history) since its datecreated (holdings.ts).
 */
import { callWhmcs } from '../api-client';
import { holdsInWhmcs, recordClientHoldings } from '../holdings';
import { whmcsTime } from '../whmcs-time';
import { apiPages, mapLimit, wrapped } from './api-pages';
import type { ImportPhase } from './import-context';
import { recordOptInSnapshot } from './import-optin';
import { syncSubjects } from './subject-sync';

/** The client fields the register keeps (as ClientAdd / ClientEdit send them); the field catalogue tags each. */
const CLIENT_FIELDS = ['firstname', 'lastname', 'companyname', 'email', 'address1', 'address2', 'city', 'state', 'postcode', 'country', 'phonenumber', 'language', 'tax_id', 'notes'] as const;

/** GetClientsDetails calls in flight at once (WHMCS is a PHP site: a few, not hundreds). */
const DETAILS_IN_FLIGHT = 8;

/** One client as read: `since` is its datecreated (epoch ms; null when WHMCS gives none), from when WHMCS holds its email log and opt-in history. */
export interface ClientRow { id: number; status: string; optIn: boolean; since: number | null; fields: Record<string, unknown> }

const pick = (d: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(CLIENT_FIELDS.filter((f) => d[f] !== undefined && d[f] !== null).map((f) => [f, d[f]]));
const truthy = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 'true';

export const clientsPhase: ImportPhase<ClientRow> = {
  open(ctx, cursor) {
    const pages = apiPages<{ id: number | string }>(ctx.api, 'GetClients', {}, wrapped('clients', 'client'), ctx.pageSize, cursor);
    return {
      async next() {
        const page = await pages.next();
        const rows = await mapLimit(page.rows, DETAILS_IN_FLIGHT, async (c): Promise<ClientRow> => {
          const d = await callWhmcs(ctx.api, 'GetClientsDetails', { clientid: c.id, stats: false });
          return { id: Number(c.id), status: String(d.status ?? ''), optIn: truthy(d.marketing_emails_opt_in), since: whmcsTime(d.datecreated), fields: { ...pick(d), userid: c.id } };
        });
        return { rows, total: page.total };
      },
    };
  },
  async write(ctx, trx, rows) {
    const r = await syncSubjects(ctx.kernel, trx, ctx.brand.id, 'client', rows.map((c) => ({ externalId: String(c.id), fields: c.fields, closed: c.status === 'Closed' })));
    const counts = { written: r.written, unchanged: r.unchanged, skipped: r.skipped };
    if (holdsInWhmcs(ctx.profile)) {
      // MS-9: WHMCS holds each client's email log and opt-in history since it was created (a repeat import writes nothing).
      const held = rows.flatMap((c) => (r.ids.has(String(c.id)) ? [{ subjectId: r.ids.get(String(c.id))!, since: c.since ?? Date.now() }] : []));
      await recordClientHoldings(ctx.kernel, trx, held);
    }
    if (ctx.history) return counts;
    const snap = { seen: 0, written: 0, unchanged: 0, skipped: 0 };
    for (const c of rows) {
      const subjectId = r.ids.get(String(c.id));
      if (subjectId === undefined) continue;
      snap.seen++;
      if (await recordOptInSnapshot(ctx, trx, subjectId, c.id, c.optIn)) snap.written++;
      else snap.unchanged++;
    }
    return { ...counts, also: { phase: 'optin-history', counts: snap } };
  },
};
