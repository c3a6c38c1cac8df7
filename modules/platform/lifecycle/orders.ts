/** Orders and invoices: checkout (ShoppingCartValidateCheckout, AfterShoppingCartCheckout, InvoiceCreated) and payment (InvoicePaid, ESM-2 payers). */
import type { Knex } from 'knex';
import type { LifecycleDeps } from './clients';
import { Id, OrderItems, PayerDetails, parse, type CallFacts, type OrderItem } from '../schemas';
import { insertedId, loadActiveClient, loadInvoice, seal } from '../store';
import { stateError } from '../errors';

/** What an order created. */
export interface OrderResult { orderId: number; serviceIds: number[]; domainIds: number[]; invoiceId: number; total: number }

function cents(items: OrderItem[]): number {
  return items.reduce((sum, i) => sum + Math.round(i.amount * 100), 0);
}

/**
 * Places an order for a client: ShoppingCartValidateCheckout runs inside the order's transaction (a veto rolls the
 * order back and throws SUITE_PLATFORM_VETOED with the handlers' errors); once committed, AfterShoppingCartCheckout
 * and InvoiceCreated fire.
 */
export async function order(d: LifecycleDeps, clientId: number, rawItems: unknown, checkoutVars: Record<string, unknown> = {}, facts?: CallFacts): Promise<OrderResult> {
  const { kernel } = d;
  parse(Id, clientId, 'clientId');
  const items = parse(OrderItems, rawItems, 'items');
  const client = await loadActiveClient(kernel, clientId, 'order');
  const call = await d.hooks.context(await kernel.brands.getById(client.brandId), facts);
  const { firstname, lastname, companyname, email, address1, address2, city, state, postcode, country, phonenumber } = client.details;
  const pre = await d.hooks.preparePre('ShoppingCartValidateCheckout', call, {
    firstname, lastname, companyname, email, address1, address2, city, state, postcode, country, phonenumber,
    ...checkoutVars, clientId, custtype: 'existing',
  });
  const paymentMethod = typeof pre.vars.paymentmethod === 'string' ? pre.vars.paymentmethod : null;
  const total = cents(items) / 100;
  const ts = Date.now();
  const result = await kernel.db.transaction(async (trx): Promise<OrderResult> => {
    await d.hooks.runPre(pre, trx);
    const live = await trx('platform_clients').where({ id: clientId, status: 'active' }).first('id');
    if (!live) throw stateError('order', 'clientClosed');
    const base = { brand_id: client.brandId, client_id: clientId };
    const orderId = insertedId(await trx('platform_orders').insert({ ...base, payment_method: paymentMethod, created_at: ts }));
    const serviceIds: number[] = [];
    const domainIds: number[] = [];
    for (const item of items) {
      if (item.type === 'hosting') {
        serviceIds.push(insertedId(await trx('platform_services').insert({
          ...base, order_id: orderId, product: item.product, domain: item.domain ?? null, status: 'active', amount: item.amount, created_at: ts, updated_at: ts,
        })));
      } else {
        domainIds.push(insertedId(await trx('platform_domains').insert({
          ...base, order_id: orderId, name: item.name, status: 'pending', idprotection: item.idprotection, regperiod: item.regperiod, amount: item.amount, created_at: ts,
        })));
      }
    }
    const invoiceId = insertedId(await trx('platform_invoices').insert({ ...base, order_id: orderId, total, status: 'unpaid', created_at: ts }));
    return { orderId, serviceIds, domainIds, invoiceId, total };
  });
  // MS-2 / SP-3: the checkout's consents (validated by the pre hook) go on with the order, versions shown included.
  const { accepttos, marketing_emails_opt_in, terms_version_shown, privacy_version_shown } = pre.vars;
  await d.hooks.after('AfterShoppingCartCheckout', call, {
    OrderID: result.orderId, OrderNumber: String(result.orderId), ServiceIDs: result.serviceIds, DomainIDs: result.domainIds, AddonIDs: [], RenewalIDs: [],
    PaymentMethod: paymentMethod ?? undefined, InvoiceID: result.invoiceId, TotalDue: total, userid: clientId,
    accepttos, marketing_emails_opt_in, terms_version_shown, privacy_version_shown,
  });
  await d.hooks.after('InvoiceCreated', call, { invoiceid: result.invoiceId, source: 'autogen', user: 'system', status: 'Unpaid' });
  return result;
}

async function recordPayer(d: LifecycleDeps, trx: Knex.Transaction, brandId: number, payer: PayerDetails): Promise<{ payerId: number; subjectId: number }> {
  const { kernel } = d;
  const emailHash = kernel.keyring.blindIndex(payer.email);
  const found = await trx('platform_payers').where({ brand_id: brandId, email_hash: emailHash }).first('id');
  let payerId: number;
  if (found) {
    payerId = Number(found.id);
    await trx('platform_payers').where({ id: payerId }).update({ personal_enc: seal(kernel.keyring, payer) });
  } else {
    payerId = insertedId(await trx('platform_payers').insert({ brand_id: brandId, personal_enc: seal(kernel.keyring, payer), email_hash: emailHash, created_at: Date.now() }));
  }
  // ESM-2: the payer is a data subject of its own, not a part of the client's record.
  const { id: subjectId } = await kernel.subjects.upsert(trx, { brandId, kind: 'payer', externalId: payerId, parentId: null, fields: { ...payer } });
  await trx('platform_payers').where({ id: payerId }).update({ subject_id: subjectId });
  return { payerId, subjectId };
}

/** Marks an invoice paid (by the client, or by a third-party payer stored as its own subject) and fires InvoicePaid. */
export async function pay(d: LifecycleDeps, invoiceId: number, opts: { payer?: unknown } = {}, facts?: CallFacts): Promise<{ invoiceId: number; payerId: number | null; payerSubjectId: number | null }> {
  const { kernel } = d;
  parse(Id, invoiceId, 'invoiceId');
  const payer = opts.payer === undefined ? undefined : parse(PayerDetails, opts.payer, 'payer');
  const invoice = await loadInvoice(kernel.db, invoiceId);
  if (invoice.status !== 'unpaid') throw stateError('pay', 'invoicePaid');
  const call = await d.hooks.context(await kernel.brands.getById(invoice.brandId), facts);
  await kernel.keyring.activeKeyId();
  const paidAt = Date.now();
  const out = await kernel.db.transaction(async (trx) => {
    const n = await trx('platform_invoices').where({ id: invoiceId, status: 'unpaid' }).update({ status: 'paid', paid_at: paidAt });
    if (!n) throw stateError('pay', 'invoicePaid');
    if (!payer) return { payerId: null, payerSubjectId: null };
    const { payerId, subjectId } = await recordPayer(d, trx, invoice.brandId, payer);
    await trx('platform_invoices').where({ id: invoiceId }).update({ payer_id: payerId });
    return { payerId, payerSubjectId: subjectId };
  });
  await d.hooks.after('InvoicePaid', call, {
    invoiceid: invoiceId,
    invoice: { id: invoiceId, userid: invoice.clientId, total: invoice.total, status: 'Paid', datepaid: new Date(paidAt).toISOString().slice(0, 19).replace('T', ' ') },
  });
  return { invoiceId, ...out };
}
