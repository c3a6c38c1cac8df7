/**
 * A gateway's webhook failures page: verified events whose effects failed to apply and have not been applied since
 * (event id, type, attempts, the error's code and message, first and last seen). The processor sends each again; a
 * delivery that applies takes it off the list.
 */
import type { Router } from 'express';
import { sendAdminPage } from '../../../core/http/admin-kit';
import { asyncRoute } from '../../../core/http/respond';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { pageLocale } from '../../../core/pages';
import { GATEWAY_LABEL, pageUrl } from './admin-common';
import type { GatewayName } from './contract';
import { WebhookEvents } from './events';

/** Mounts GET webhook-failures. */
export function failuresPage(router: Router, kernel: Kernel, g: GatewayName): void {
  router.get('/webhook-failures', asyncRoute(async (req, res) => {
    const brand = req.brand!;
    const locale = pageLocale(req, 'en');
    const gateway = GATEWAY_LABEL[g];
    const failures = await new WebhookEvents(g).failures(kernel.db, brand.id);
    await sendAdminPage(kernel, req, res, 200, {
      page: 'admin/gateways/webhook-failures', title: t(locale, 'gateways.admin.failures.title', { gateway, brand: brand.name }), brand,
      view: { gateway, failures, overviewHref: pageUrl(brand, g, 'overview') },
    });
  }));
}
