/** Phase 2, contacts: GetContacts page by page, each a subject of its own under its client's subject (as ContactAdd records it). */
import { apiPages, wrapped } from './api-pages';
import type { ImportPhase } from './import-context';
import { knownSubjects, syncSubjects } from './subject-sync';

type ContactRow = Record<string, unknown> & { id: number | string; userid: number | string };

export const contactsPhase: ImportPhase<ContactRow> = {
  open: (ctx, cursor) => apiPages<ContactRow>(ctx.api, 'GetContacts', {}, wrapped('contacts', 'contact'), ctx.pageSize, cursor),
  async write(ctx, trx, rows) {
    const clients = await knownSubjects(trx, ctx.brand.id, 'client', rows.map((c) => String(c.userid)));
    // A contact of an erased (or unknown) client is left out: nothing of an erased customer's account comes back.
    const keep = rows.filter((c) => { const p = clients.get(String(c.userid)); return p && p.status !== 'erased'; });
    const r = await syncSubjects(ctx.kernel, trx, ctx.brand.id, 'contact', keep.map((c) => ({
      externalId: String(c.id), parentId: clients.get(String(c.userid))!.id, fields: { ...c, contactid: c.id },
    })));
    return { written: r.written, unchanged: r.unchanged, skipped: r.skipped + rows.length - keep.length };
  },
};
