/**
 * What the gateways' client routes share: the signed pay link a client is sent (no log-in needed: the link proves who
 * it is for and which invoice), and the branded result page a customer lands on after the processor's checkout.
 */
import type { Request, RequestHandler, Response } from 'express';
import { brandKey, rateLimit } from '../../../core/http/rate-limit';
import type { Brand } from '../../../core/brands/brand';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { createSignedLink } from '../../../core/links/signed-link';
import { publicBaseUrl } from '../../../core/links/public-url';
import { pageBasics, sendPage } from '../../../core/pages';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { GatewayName } from './contract';

/** How long a pay link stays valid: long enough for an invoice's payment term and a reminder or two. */
export const PAY_LINK_DAYS = 45;

/** The signed-link purpose of a pay link: one invoice, so a link for one invoice cannot pay (or reveal) another. */
export const payLinkPurpose = (invoiceId: number): string => `gateway-pay:${invoiceId}`;

/**
 * The absolute URL of `/b/<brand>/gateways/<gateway>/pay/<invoiceId>?token=…`, signed for the client's subject.
 * `profile` (the brand's effective profile) gives the public base URL where `modules.consent.publicUrl` is set;
 * without it the suite's own host and port are used.
 */
export function payLink(kernel: Kernel, brand: Brand, gateway: GatewayName, invoiceId: number, subjectId: number, profile?: PrivacyProfile): string {
  const token = createSignedLink(kernel, { brandId: brand.id, subjectId, purpose: payLinkPurpose(invoiceId), expiresAt: Date.now() + PAY_LINK_DAYS * 86_400_000 });
  const base = publicBaseUrl(kernel, profile ?? ({} as PrivacyProfile));
  return `${base}/b/${encodeURIComponent(brand.slug)}/gateways/${gateway}/pay/${invoiceId}?token=${encodeURIComponent(token)}`;
}

/** Where a checkout ended, as the customer is told. */
export type ResultState = 'paid' | 'pending' | 'declined' | 'cancelled';

/**
 * The result page (templates/client/gateway-result.hbs) in the reader's language and the brand's look: the state's
 * title and message (`gateways.result.<state>.title|message`) and the invoice number. Needs `req.brand` (set by the
 * module routes' brand gate) or a `:brand` route parameter.
 */
export async function renderResult(kernel: Kernel, req: Request, res: Response, r: { state: ResultState; invoiceId: number | null }): Promise<void> {
  const brand = req.brand ?? (await kernel.brands.get(String(req.params.brand)));
  const { locale, branding } = await pageBasics(kernel, req, brand);
  sendPage(req, res, 200, {
    page: 'client/gateway-result', locale, branding,
    view: {
      title: t(locale, `gateways.result.${r.state}.title`), message: t(locale, `gateways.result.${r.state}.message`), state: r.state,
      invoice: r.invoiceId === null ? undefined : t(locale, 'gateways.result.invoice', { invoice: r.invoiceId }),
    },
  });
}

/** The limits on a gateway's public routes, per minute: a customer's pages per address and route, the webhook per brand. */
export const GATEWAY_ROUTE_LIMITS = { pagesPerMinute: 30, webhooksPerMinute: 1200 } as const;

/**
 * Rate limits for a gateway's public routes (429 with Retry-After beyond them): the pay, return and cancel pages per
 * client address and route; the webhook per brand, whatever address the processor sends from (a processor's bursts
 * after an outage fit; a flood of forged calls does not reach the signature check for long).
 */
export function gatewayRouteLimits(kernel: Kernel, gateway: GatewayName): { page: RequestHandler; webhook: RequestHandler } {
  return {
    page: rateLimit(kernel, { name: `${gateway}-pages`, max: GATEWAY_ROUTE_LIMITS.pagesPerMinute, windowMs: 60_000 }),
    webhook: rateLimit(kernel, { name: `${gateway}-webhook`, max: GATEWAY_ROUTE_LIMITS.webhooksPerMinute, windowMs: 60_000, key: brandKey }),
  };
}
