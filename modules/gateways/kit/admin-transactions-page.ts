/**
 * A gateway's transactions page: the brand's payments, newest first, a page at a time, filtered by status — date,
 * invoice, amounts, currency, status, mode, the processor's reference and transaction id, the failure code. No card
 * data (brand, last four, expiry), no customer, payer or subject ids: the tokens table is never read here. Writers
 * refund a paid payment by form (all, or an amount) through the gateway's service; a refused refund comes back with
 * its problem next to the amount field, and a done one as a flash message.
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { SuiteError } from '../../../core/errors';
import { adminForm, assertAdminCanWrite, flashMessage, formErrors, sendAdminPage } from '../../../core/http/admin-kit';
import { asyncRoute } from '../../../core/http/respond';
import { parseInput, wholeNumber } from '../../../core/http/route-input';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { pageLocale, requireCsrf } from '../../../core/pages';
import { GATEWAY_LABEL, PAYMENT_STATUSES, RefundInput, pageUrl, paymentView, refundable, requestRefund } from './admin-common';
import type { GatewayName, PaymentStatus } from './contract';
import { Payments } from './payments';

/** Payments per page. */
const PAGE_SIZE = 50;

/** The list's query: `?status=` (empty for every status) and `?page=` (1-based). */
const ListQuery = z.object({ status: z.enum(PAYMENT_STATUSES).or(z.literal('')).optional(), page: z.string().optional() });

/** A refused refund, shown above the list and next to the amount field of its invoice's row. */
interface RefundProblem { invoiceId: number | null; errors: { field: string; message: string }[]; amount: string }

/** The lang key of a status (`partially-refunded` → `partiallyRefunded`). */
const statusKey = (s: PaymentStatus): string => `gateways.admin.status.${s.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase())}`;

/** The list's query string (status and page), kept on the filter's links and on the refund forms' action. */
function listQuery(status: PaymentStatus | undefined, page: number): string {
  const q = new URLSearchParams();
  if (status) q.set('status', status);
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The form's fields as RefundInput's: numbers as numbers, an empty amount left out, anything else passed on for zod to name. */
function refundInputOf(body: unknown): { input: Record<string, unknown>; amount: string } {
  const b = (body ?? {}) as Record<string, unknown>;
  const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
  const invoice = str(b.invoiceId);
  const amount = str(b.amount);
  // A decimal comma (12,50) as many of the panel's languages write it.
  // Only one or two digits after a comma: "1,000" may mean a thousand, and is refused rather than read as 1.
  const decimal = /^[0-9]{1,12}(\.[0-9]{1,6}|,[0-9]{1,2})?$/.test(amount) ? Number(amount.replace(',', '.')) : undefined;
  return {
    amount,
    input: {
      invoiceId: /^[1-9][0-9]{0,15}$/.test(invoice) ? Number(invoice) : invoice === '' ? undefined : invoice,
      amount: amount === '' ? undefined : decimal ?? amount,
    },
  };
}

/** Renders the list (with a refused refund's problems, when there is one). */
async function listPage(kernel: Kernel, req: Request, res: Response, g: GatewayName, status: number, problem?: RefundProblem): Promise<void> {
  const brand = req.brand!;
  const locale = pageLocale(req, 'en');
  const q = parseInput(ListQuery, req.query);
  const filter = q.status || undefined;
  const page = q.page === undefined ? 1 : wholeNumber(q.page, 'page', 1, 1_000_000);
  const { rows, total } = await new Payments(g).list(kernel.db, brand.id, { status: filter, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const money = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const payments = rows.map(paymentView).map((p) => {
    const refusal = problem && problem.invoiceId === p.invoiceId ? problem.errors.map((e) => e.message).join('; ') : null;
    return {
      ...p, amountText: money.format(p.amount), refundedText: money.format(p.refunded), statusLabel: t(locale, statusKey(p.status)),
      modeLabel: t(locale, `gateways.admin.mode.${p.mode}`), refundable: refundable(p), refusal, amountValue: refusal ? problem!.amount : '',
      left: money.format(Math.max(0, p.amount - p.refunded)),
    };
  });
  const base = pageUrl(brand, g, 'transactions');
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const gateway = GATEWAY_LABEL[g];
  await sendAdminPage(kernel, req, res, status, {
    page: 'admin/gateways/transactions', title: t(locale, 'gateways.admin.transactions.title', { gateway, brand: brand.name }), brand,
    view: {
      gateway, payments, total, filterAction: base,
      statuses: PAYMENT_STATUSES.map((s) => ({ value: s, label: t(locale, statusKey(s)), selected: s === filter })),
      refundAction: `${pageUrl(brand, g, 'transactions/refund')}${listQuery(filter, page)}`,
      range: total === 0 ? null : t(locale, 'gateways.admin.transactions.range', { from: (page - 1) * PAGE_SIZE + 1, to: Math.min(total, page * PAGE_SIZE), total }),
      previous: page > 1 ? `${base}${listQuery(filter, page - 1)}` : null,
      next: page < pages ? `${base}${listQuery(filter, page + 1)}` : null,
      problem: problem ? { invoice: problem.invoiceId === null ? '' : String(problem.invoiceId), errors: problem.errors } : null,
      flash: typeof req.query.item === 'string' && /^[0-9]{1,16}$/.test(req.query.item) && flashMessage(req, locale, { refunded: 'gateways.admin.transactions.flash.refunded', partlyRefunded: 'gateways.admin.transactions.flash.partlyRefunded' }),
    },
  });
}

/** Mounts GET transactions and POST transactions/refund. */
export function transactionPages(router: Router, kernel: Kernel, g: GatewayName): void {
  router.get('/transactions', asyncRoute(async (req, res) => listPage(kernel, req, res, g, 200)));

  router.post('/transactions/refund', adminForm({ limit: '2kb', fields: 6 }), requireCsrf(kernel), asyncRoute(async (req, res) => {
    assertAdminCanWrite(req);
    const brand = req.brand!;
    const locale = pageLocale(req, 'en');
    const form = refundInputOf(req.body);
    const invoiceId = typeof form.input.invoiceId === 'number' ? form.input.invoiceId : null;
    let input: RefundInput;
    try {
      input = parseInput(RefundInput, form.input);
      const result = await requestRefund(kernel, req, brand, g, input);
      if (result.status !== 'success') {
        const message = t(locale, `gateways.admin.transactions.refund.${result.status}`, { gateway: GATEWAY_LABEL[g] });
        return listPage(kernel, req, res, g, result.status === 'declined' ? 409 : 502, { invoiceId, amount: form.amount, errors: [{ field: 'amount', message }] });
      }
    } catch (err) {
      if (!(err instanceof SuiteError) || !(err.code === 'SUITE_VALIDATION_FAILED' || err.code.startsWith(`SUITE_${g.toUpperCase()}_`))) throw err;
      const errors = err.fields ? formErrors(err, locale) : [{ field: 'amount', message: t(locale, `errors.${err.code}`, err.params) }];
      return listPage(kernel, req, res, g, err.status, { invoiceId, amount: form.amount, errors });
    }
    const q = parseInput(ListQuery, req.query);
    const back = new URLSearchParams(listQuery(q.status || undefined, q.page && /^[1-9][0-9]{0,6}$/.test(q.page) ? Number(q.page) : 1).slice(1));
    // What is left decides the message (an amount may have been all that was left).
    const left = await new Payments(g).paidFor(kernel.db, brand.id, input.invoiceId);
    back.set('flash', left ? 'partlyRefunded' : 'refunded');
    back.set('item', String(input.invoiceId));
    res.redirect(303, `${pageUrl(brand, g, 'transactions')}?${back.toString()}`);
  }));
}
