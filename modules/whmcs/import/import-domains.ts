/**
 * Phase 4, domains: GetClientsDomains page by page. Each client's latest expiry date becomes its `domain-expiry`
 * event (what retention's domain-expired rule counts from); a live domain (Active, Grace, Redemption) the registrant
 * register does not hold yet is added to it, when that module is on for the brand. Domains of erased or unknown
 * clients are left out.
 */
import { apiPages, wrapped } from './api-pages';
import type { ImportPhase } from './import-context';
import { whmcsTime } from '../whmcs-time';
import { keepLatest, recordLatest } from './subject-events';
import { knownSubjects } from './subject-sync';

type DomainRow = { id: number | string; userid: number | string; domainname: string; status?: string; regdate?: string; expirydate?: string };

/** WHMCS statuses of a domain that is still registered. */
const LIVE = new Set(['Active', 'Grace', 'Redemption']);

export const domainsPhase: ImportPhase<DomainRow> = {
  open: (ctx, cursor) => apiPages<DomainRow>(ctx.api, 'GetClientsDomains', {}, wrapped('domains', 'domain'), ctx.pageSize, cursor),
  async write(ctx, trx, rows) {
    const clients = await knownSubjects(trx, ctx.brand.id, 'client', rows.map((d) => String(d.userid)));
    const expiry = new Map<number, number>();
    const live: { domain: string; subjectId: number; clientRef: string; registeredAt: number | null }[] = [];
    let skipped = 0;
    for (const d of rows) {
      const owner = clients.get(String(d.userid));
      if (!owner || owner.status === 'erased') {
        skipped++;
        continue;
      }
      const at = whmcsTime(d.expirydate);
      if (at !== null) keepLatest(expiry, owner.id, at);
      if (LIVE.has(String(d.status))) live.push({ domain: d.domainname, subjectId: owner.id, clientRef: String(d.userid), registeredAt: whmcsTime(d.regdate) });
    }
    const events = await recordLatest(ctx.kernel, trx, 'domain-expiry', expiry);
    const added = ctx.registrant ? await ctx.registrant.importDomains(trx, ctx.brand.id, live) : 0;
    const written = Math.max(events, added);
    return { written, unchanged: rows.length - skipped - written, skipped };
  },
};
