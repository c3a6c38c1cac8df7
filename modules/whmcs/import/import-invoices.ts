/**
 * Phase 5, invoices: the suite keeps no copy of WHMCS's invoices, only what retention counts from — each client's
 * latest paid invoice (GetInvoices status=Paid, `datepaid`) as its `invoice-paid` event. Invoices of erased or unknown
 * clients are left out.
 */
import { apiPages, wrapped } from './api-pages';
import type { ImportPhase } from './import-context';
import { whmcsTime } from '../whmcs-time';
import { keepLatest, recordLatest } from './subject-events';
import { knownSubjects } from './subject-sync';

type InvoiceRow = { id: number | string; userid: number | string; datepaid?: string; date?: string };

export const invoicesPhase: ImportPhase<InvoiceRow> = {
  open: (ctx, cursor) => apiPages<InvoiceRow>(ctx.api, 'GetInvoices', { status: 'Paid' }, wrapped('invoices', 'invoice'), ctx.pageSize, cursor),
  async write(ctx, trx, rows) {
    const clients = await knownSubjects(trx, ctx.brand.id, 'client', rows.map((i) => String(i.userid)));
    const paid = new Map<number, number>();
    let skipped = 0;
    for (const i of rows) {
      const owner = clients.get(String(i.userid));
      const at = whmcsTime(i.datepaid) ?? whmcsTime(i.date);
      if (!owner || owner.status === 'erased' || at === null) skipped++;
      else keepLatest(paid, owner.id, at);
    }
    const written = await recordLatest(ctx.kernel, trx, 'invoice-paid', paid);
    return { written, unchanged: rows.length - skipped - written, skipped };
  },
};
