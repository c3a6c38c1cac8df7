/**
 * InvoicePaid / CancellationRequest / AfterShoppingCartCheckout: the subject events retention counts from (MS-9) on a
 * panel whose tables the suite cannot read (WHMCS): invoice-paid, service-ended and order-placed, kept in the
 * subject event store (latest time only). Only a client the inventory knows, and not an erased one (MS-8f).
 */
import { z } from 'zod';
import { onHook, type HookHandlerContext } from '../../../core/modules/define-module';
import type { SubjectEvent } from '../../../core/subjects/subject-service';
import type { HookName } from '../../../hooks/catalogue';
import { invoiceClient, invoicePaidAt } from '../../../hooks/catalogue/connector-additions';

/** Records `event` at `at` for the panel's client `userid`; the answer says what happened and why not. */
async function recordClientEvent(ctx: HookHandlerContext<HookName>, userid: number | undefined, event: SubjectEvent, at: number): Promise<{ data: Record<string, unknown> }> {
  if (userid === undefined) return { data: { [event]: 'client-not-reported' } };
  const s = await ctx.kernel.subjects.findByExternal(ctx.brand.id, 'client', userid, ctx.trx);
  if (!s) return { data: { [event]: 'subject-unknown' } };
  if (s.status === 'erased') return { data: { subjectId: s.id, ignored: 'erased' } };
  await ctx.kernel.subjects.recordEvent(ctx.trx, s.id, event, at);
  return { data: { subjectId: s.id, [event]: 'recorded' } };
}

/** The invoice object the suite's own panel sends (modules/platform): its client and payment time. WHMCS's is dropped by the connector. */
const PanelInvoice = z.object({ userid: invoiceClient.schema, datepaid: invoicePaidAt.schema });

export const recordInvoicePaid = onHook('InvoicePaid', async (ctx) => {
  const fromObject = PanelInvoice.safeParse(ctx.vars.invoice);
  const invoice = fromObject.success ? fromObject.data : {};
  return recordClientEvent(ctx, ctx.vars.userid ?? invoice.userid, 'invoice-paid', ctx.vars.datepaid ?? invoice.datepaid ?? Date.now());
});

export const recordServiceEnded = onHook('CancellationRequest', async (ctx) => {
  const v = ctx.vars;
  // Another service still runs (or the panel did not say): the client's last service has not ended.
  if (v.services_running === undefined) return { data: { 'service-ended': 'running-services-not-reported' } };
  if (v.services_running > 0) return { data: { 'service-ended': 'other-services-running' } };
  const endsNow = v.type !== 'End of Billing Period' || v.nextduedate === undefined;
  return recordClientEvent(ctx, v.userid, 'service-ended', endsNow ? Date.now() : v.nextduedate!);
});

/** An order starts a service: a recorded end of the client's last one (even one still to come, at a billing period's end) is void. */
export const recordOrderPlaced = onHook('AfterShoppingCartCheckout', async (ctx) => {
  const out = await recordClientEvent(ctx, ctx.vars.userid, 'order-placed', Date.now());
  if (out.data['order-placed'] === 'recorded') await ctx.kernel.subjects.forgetEvent(ctx.trx, out.data.subjectId as number, 'service-ended');
  return out;
});
