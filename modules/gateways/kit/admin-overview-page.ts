/**
 * A gateway's overview page: the mode (live in a warning tone), the settings from the brand's profile, each key
 * setting's environment variable by name with whether it is set (never a value, nor any part of one), the webhook URL
 * to register at the processor, and the counts of applied and failing webhook events and of payments.
 */
import type { Router } from 'express';
import { SuiteError } from '../../../core/errors';
import { formErrors, sendAdminPage } from '../../../core/http/admin-kit';
import { asyncRoute } from '../../../core/http/respond';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { pageLocale } from '../../../core/pages';
import { GATEWAY_LABEL, moduleOf, otherSettings, pageUrl, settingsView, webhookUrl, type GatewaySettingsSchema } from './admin-common';
import type { GatewayName } from './contract';
import { WebhookEvents } from './events';
import { Payments } from './payments';

/** Mounts GET overview. */
export function overviewPage(router: Router, kernel: Kernel, g: GatewayName, schema: GatewaySettingsSchema): void {
  router.get('/overview', asyncRoute(async (req, res) => {
    const brand = req.brand!;
    const locale = pageLocale(req, 'en');
    const gateway = GATEWAY_LABEL[g];
    const view = await settingsView(kernel, brand, g, schema);
    const events = await new WebhookEvents(g).counts(kernel.db, brand.id);
    const payments = (await new Payments(g).list(kernel.db, brand.id, { limit: 1 })).total;
    const yesNo = (b: boolean): string => t(locale, b ? 'gateways.admin.overview.yes' : 'gateways.admin.overview.no');
    const settings = view.ok ? {
      live: view.settings.mode === 'live', enabled: view.settings.enabled,
      rows: [
        { name: 'enabled', label: t(locale, 'gateways.admin.overview.enabled'), value: yesNo(view.settings.enabled) },
        { name: 'mode', label: t(locale, 'gateways.admin.overview.mode'), value: t(locale, `gateways.admin.mode.${view.settings.mode}`) },
        { name: 'currency', label: t(locale, 'gateways.admin.overview.currency'), value: view.settings.currency.toUpperCase() },
        { name: 'recipient', label: t(locale, 'gateways.admin.overview.recipient'), value: view.settings.recipient },
        { name: 'purpose', label: t(locale, 'gateways.admin.overview.purpose'), value: view.settings.purpose },
        { name: 'timeoutSeconds', label: t(locale, 'gateways.admin.overview.timeout'), value: t(locale, 'gateways.admin.overview.seconds', { n: view.settings.timeoutSeconds }) },
      ],
      other: Object.entries(otherSettings(view.settings)).map(([name, v]) => ({ name, value: typeof v === 'boolean' ? yesNo(v) : String(v) })),
      keys: view.keys.map((k) => ({ ...k, stateLabel: t(locale, k.set ? 'gateways.admin.keys.set' : 'gateways.admin.keys.unset') })),
    } : null;
    // The section's problems, in the reader's language (the same words a refused profile save shows).
    const problems = view.ok ? [] : formErrors(new SuiteError('SUITE_PROFILE_STORED_INVALID', {}, view.problems), locale);
    await sendAdminPage(kernel, req, res, 200, {
      page: 'admin/gateways/overview', title: t(locale, 'gateways.admin.overview.title', { gateway, brand: brand.name }), brand,
      view: {
        gateway, section: moduleOf(g), settings, problems, webhookUrl: await webhookUrl(kernel, brand, g), events, payments,
        profileHref: `/admin/brands/${encodeURIComponent(brand.slug)}/profile`,
        transactionsHref: pageUrl(brand, g, 'transactions'), failuresHref: pageUrl(brand, g, 'webhook-failures'),
      },
    });
  }));
}
