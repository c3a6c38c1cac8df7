/**
 * What a gateway's admin pages and admin API share: the settings view (environment variable names and whether each is
 * set, never a value), the webhook URL, a payment as shown (no card data, no customer or subject ids), the refund
 * input and the audited refund call through the gateway's service.
 */
import type { Request } from 'express';
import { z } from 'zod';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError, type FieldIssue } from '../../../core/errors';
import { actorOf } from '../../../core/http/admin-auth';
import type { Kernel } from '../../../core/kernel';
import { publicBaseUrl } from '../../../core/links/public-url';
import { moduleSettings } from '../../../core/profile/module-settings';
import type { GatewayName, GatewayService, PaymentStatus, RefundResult } from './contract';
import type { PaymentRow } from './payments';
import { GatewayBaseSettings, variablesSet } from './settings';

/** A gateway's settings schema: GatewayBaseSettings extended with `*Var` fields naming environment variables. */
export type GatewaySettingsSchema = z.ZodType<z.infer<typeof GatewayBaseSettings>, z.ZodTypeDef, unknown>;

/** The processor's own name, as the pages print it (a product name: not translated). */
export const GATEWAY_LABEL: Record<GatewayName, string> = { stripe: 'Stripe', paypal: 'PayPal' };

/** Every payment status, in the order the filter offers them. */
export const PAYMENT_STATUSES = ['pending', 'paid', 'declined', 'refunded', 'partially-refunded'] as const satisfies readonly PaymentStatus[];

/** The module's name (`gateways/<g>`): its profile section, service and route prefix. */
export const moduleOf = (g: GatewayName): string => `gateways/${g}`;

/** The URL of one of the brand's gateway pages (`overview`, `transactions`, `webhook-failures`). */
export const pageUrl = (brand: Brand, g: GatewayName, path: string): string => `/admin/brands/${encodeURIComponent(brand.slug)}/${moduleOf(g)}/${path}`;

/** Where the processor sends its webhooks for the brand (`<public base>/b/<slug>/gateways/<g>/webhook`). */
export async function webhookUrl(kernel: Kernel, brand: Brand, g: GatewayName): Promise<string> {
  return `${publicBaseUrl(kernel, await kernel.brands.profile(brand))}/b/${encodeURIComponent(brand.slug)}/${moduleOf(g)}/webhook`;
}

/** One key setting: the setting's name, the environment variable it names, and whether that variable is set. */
export interface KeyVariable { setting: string; variable: string; set: boolean }

/** The brand's settings as the admin sees them; `problems` (and no settings) when the profile's section is missing or invalid. */
export type SettingsView =
  | { ok: true; settings: z.infer<typeof GatewayBaseSettings>; keys: KeyVariable[] }
  | { ok: false; problems: FieldIssue[] };

/**
 * Reads the brand's effective settings with the module's schema. Keys are the `*Var` settings: only their variable
 * names are read from the profile, and of the environment only whether each is set.
 */
export async function settingsView(kernel: Kernel, brand: Brand, g: GatewayName, schema: GatewaySettingsSchema): Promise<SettingsView> {
  let settings: z.infer<typeof GatewayBaseSettings>;
  try {
    settings = moduleSettings(schema, await kernel.brands.profile(brand), moduleOf(g));
  } catch (err) {
    if (err instanceof SuiteError && err.code === 'SUITE_PROFILE_STORED_INVALID') return { ok: false, problems: err.fields ?? [] };
    throw err;
  }
  const vars = Object.fromEntries(Object.entries(settings as Record<string, unknown>).filter((e): e is [string, string] => e[0].endsWith('Var') && typeof e[1] === 'string'));
  return { ok: true, settings, keys: variablesSet(vars) };
}

/**
 * The gateway's own settings besides the shared ones and the key variables (PayPal's `webhookId`, Stripe's
 * `saveCards`, …): scalar values only, as the profile holds them (a profile never holds a key).
 */
export function otherSettings(settings: z.infer<typeof GatewayBaseSettings>): Record<string, string | number | boolean> {
  const shared = new Set(Object.keys(GatewayBaseSettings.shape));
  return Object.fromEntries(Object.entries(settings as Record<string, unknown>)
    .filter((e): e is [string, string | number | boolean] => !shared.has(e[0]) && !e[0].endsWith('Var') && ['string', 'number', 'boolean'].includes(typeof e[1])));
}

/** A payment as the admin list and API show it: ids of the processor and amounts, never card data or who paid. */
export interface PaymentView {
  id: number; invoiceId: number; amount: number; refunded: number; currency: string; status: PaymentStatus; mode: 'test' | 'live';
  reference: string; transactionId: string | null; failureCode: string | null; createdAt: number; updatedAt: number;
}

/** Picks the shown fields by name (so a column added to the table later is not shown by accident). */
export const paymentView = (p: PaymentRow): PaymentView => ({
  id: p.id, invoiceId: p.invoiceId, amount: p.amount, refunded: p.refunded, currency: p.currency.toUpperCase(), status: p.status, mode: p.mode,
  reference: p.reference, transactionId: p.transactionId, failureCode: p.failureCode, createdAt: p.createdAt, updatedAt: p.updatedAt,
});

/** A payment that can still be refunded (in part). */
export const refundable = (p: PaymentRow | PaymentView): boolean => p.status === 'paid' || p.status === 'partially-refunded';

/** A refund request: the invoice, and the amount (all that is left when absent). */
export const RefundInput = z.object({
  invoiceId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  amount: z.number({ invalid_type_error: 'validation.type.amount' }).positive().max(1e10).multipleOf(0.01).optional(),
}).strict();
export type RefundInput = z.infer<typeof RefundInput>;

/**
 * Asks the gateway's service for the refund and audits who asked and what came of it (`gateways.refund`: the
 * invoice, the amount, the outcome or the refusal's code). A thrown error is audited and thrown on.
 */
export async function requestRefund(kernel: Kernel, req: Request, brand: Brand, g: GatewayName, input: RefundInput): Promise<RefundResult> {
  const audit = (outcome: string): Promise<void> => kernel.audit.record({
    brandId: brand.id, actor: actorOf(req), action: 'gateways.refund', targetType: 'invoice', targetId: String(input.invoiceId),
    ip: req.ip, details: { gateway: g, amount: input.amount ?? null, outcome },
  });
  let result: RefundResult;
  try {
    result = await kernel.service<GatewayService>(moduleOf(g)).refund(brand, input.invoiceId, input.amount);
  } catch (err) {
    await audit(err instanceof SuiteError ? err.code : 'error');
    throw err;
  }
  await audit(result.status);
  return result;
}
