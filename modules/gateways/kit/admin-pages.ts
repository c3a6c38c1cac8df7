/**
 * A gateway's admin panel pages, under /admin/brands/:brand/gateways/<g>/ (issue 16, point 6): the overview (mode,
 * settings, key variables by name, webhook URL, event counts), the transactions (no card data) with a refund form,
 * and the webhook failures. Each gateway module puts `gatewayAdminPages(g, Settings)` in `routes.pages` and
 * `gatewayAdminNav(g)` in `adminNav`; the panel has already checked the session, the brand and that the module is on.
 */
import type { Router } from 'express';
import type { AdminNavEntry, ModuleRoutes } from '../../../core/modules/define-module';
import type { Kernel } from '../../../core/kernel';
import type { GatewaySettingsSchema } from './admin-common';
import type { GatewayName } from './contract';
import { failuresPage } from './admin-failures-page';
import { overviewPage } from './admin-overview-page';
import { transactionPages } from './admin-transactions-page';

/** The sections linked from the brand's navigation (labels name the processor: both gateways may be on for a brand). */
export function gatewayAdminNav(g: GatewayName): AdminNavEntry[] {
  return [
    { path: 'overview', label: `gateways.admin.nav.${g}.overview` },
    { path: 'transactions', label: `gateways.admin.nav.${g}.transactions` },
    { path: 'webhook-failures', label: `gateways.admin.nav.${g}.failures` },
  ];
}

/** The pages' mounter for gateway `g`, reading the brand's settings with the module's own schema. */
export function gatewayAdminPages(g: GatewayName, schema: GatewaySettingsSchema): NonNullable<ModuleRoutes['pages']> {
  return (router: Router, kernel: Kernel) => {
    router.get('/', (req, res) => res.redirect(303, `${req.baseUrl}/overview`));
    overviewPage(router, kernel, g, schema);
    transactionPages(router, kernel, g);
    failuresPage(router, kernel, g);
  };
}
