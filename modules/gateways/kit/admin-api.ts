/**
 * A gateway's admin API, under /api/v1/admin/brands/:brand/modules/gateways/<g>/ (API key scoped to the brand):
 * `GET transactions` (no card data, no customer or subject ids), `GET webhook-failures`, `GET settings` (mode and the
 * key variables by name with set or not, never a value) and `POST refunds` (write role) through the gateway's service.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { assertCanWrite } from '../../../core/apikeys/api-keys';
import { asyncRoute } from '../../../core/http/respond';
import { limitParam, parseInput, wholeNumber } from '../../../core/http/route-input';
import type { Kernel } from '../../../core/kernel';
import type { ModuleRoutes } from '../../../core/modules/define-module';
import { storedProfileInvalid } from '../../../core/profile/module-settings';
import { PAYMENT_STATUSES, RefundInput, otherSettings, paymentView, requestRefund, settingsView, webhookUrl, type GatewaySettingsSchema } from './admin-common';
import type { GatewayName } from './contract';
import { WebhookEvents } from './events';
import { Payments } from './payments';

/** The query of GET transactions. */
const TransactionsQuery = z.object({ status: z.enum(PAYMENT_STATUSES).optional(), limit: z.string().optional(), offset: z.string().optional() }).strict();

const iso = (ms: number): string => new Date(ms).toISOString();

/** The routes' mounter for gateway `g` (the settings read with the module's own schema). */
export function gatewayAdminApi(g: GatewayName, schema: GatewaySettingsSchema): NonNullable<ModuleRoutes['admin']> {
  return (router: Router, kernel: Kernel) => {
    router.get('/transactions', asyncRoute(async (req, res) => {
      const q = parseInput(TransactionsQuery, req.query);
      const limit = limitParam(q.limit, 50, 500);
      const offset = q.offset === undefined ? 0 : wholeNumber(q.offset, 'offset', 0, 10_000_000);
      const { rows, total } = await new Payments(g).list(kernel.db, req.brand!.id, { status: q.status, limit, offset });
      res.json({ ok: true, total, limit, offset, transactions: rows.map(paymentView).map((p) => ({ ...p, createdAt: iso(p.createdAt), updatedAt: iso(p.updatedAt) })) });
    }));

    router.get('/webhook-failures', asyncRoute(async (req, res) => {
      const failures = await new WebhookEvents(g).failures(kernel.db, req.brand!.id);
      res.json({ ok: true, failures: failures.map((f) => ({ ...f, receivedAt: iso(f.receivedAt), updatedAt: iso(f.updatedAt) })) });
    }));

    router.get('/settings', asyncRoute(async (req, res) => {
      const brand = req.brand!;
      const view = await settingsView(kernel, brand, g, schema);
      if (!view.ok) throw storedProfileInvalid(view.problems);
      const { enabled, mode, currency, recipient, purpose, timeoutSeconds } = view.settings;
      res.json({
        ok: true, gateway: g, enabled, mode, currency: currency.toUpperCase(), recipient, purpose, timeoutSeconds, keys: view.keys, other: otherSettings(view.settings),
        webhookUrl: await webhookUrl(kernel, brand, g), events: await new WebhookEvents(g).counts(kernel.db, brand.id),
      });
    }));

    router.post('/refunds', asyncRoute(async (req, res) => {
      assertCanWrite(req.principal!);
      const input = parseInput(RefundInput, req.body ?? {});
      const r = await requestRefund(kernel, req, req.brand!, g, input);
      // rawdata stays out: the admin needs the outcome and the processor's id, not its answer.
      res.json({ ok: r.status === 'success', refund: { invoiceId: input.invoiceId, amount: input.amount ?? null, status: r.status, transactionId: r.transid, fees: r.fees ?? null } });
    }));
  };
}
