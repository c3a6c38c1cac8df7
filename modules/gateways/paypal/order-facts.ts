/** What the module reads of PayPal's Orders v2 answers: the checkout link, the capture, and the payer (ESM-2) — and what it sends. */
import {
  CheckoutPaymentIntent, PaypalExperienceUserAction, PaypalPaymentTokenUsageType, PaypalWalletContextShippingPreference, StoreInVaultInstruction,
  type Order, type OrderRequest,
} from '@paypal/paypal-server-sdk';

/** Currencies PayPal takes without decimals (a '.00' is refused as DECIMAL_PRECISION). */
const ZERO_DECIMAL = new Set(['HUF', 'JPY', 'TWD']);

/** Cents as PayPal's amount string ('12.30'; '1234' in a currency without decimals). */
export const money = (cents: number, currency: string): string => (ZERO_DECIMAL.has(currency.toUpperCase()) ? String(Math.round(cents / 100)) : (cents / 100).toFixed(2));

/** An amount (number of the invoice's currency) as whole cents. */
export const toCents = (amount: number): number => Math.round(amount * 100);

/**
 * The order for one invoice, minimised (TOS-1.2, SP-8): opaque ids and the amount, the return and cancel URLs, no
 * shipping; no payer name, e-mail or address, no items, no description. `FIELDS` names what is sent, for the disclosure log.
 */
export function orderRequest(p: { brandId: number; invoiceId: number; cents: number; currency: string; returnUrl: string; cancelUrl: string; vault: boolean }): OrderRequest {
  return {
    intent: CheckoutPaymentIntent.Capture,
    purchaseUnits: [{
      referenceId: String(p.invoiceId),
      invoiceId: `${p.brandId}-${p.invoiceId}`,
      customId: `${p.brandId}:${p.invoiceId}`,
      amount: { currencyCode: p.currency.toUpperCase(), value: money(p.cents, p.currency) },
    }],
    paymentSource: {
      paypal: {
        experienceContext: {
          returnUrl: p.returnUrl, cancelUrl: p.cancelUrl,
          shippingPreference: PaypalWalletContextShippingPreference.NoShipping, userAction: PaypalExperienceUserAction.PayNow,
        },
        ...(p.vault ? { attributes: { vault: { storeInVault: StoreInVaultInstruction.OnSuccess, usageType: PaypalPaymentTokenUsageType.Merchant } } } : {}),
      },
    },
  };
}

/** The field names an order sends (the disclosure log's `fields`). */
export const ORDER_FIELDS = ['purchase_units.reference_id', 'purchase_units.invoice_id', 'purchase_units.custom_id', 'purchase_units.amount', 'experience_context.return_url', 'experience_context.cancel_url'];

/** The `payer-action` link of a created order (where the customer approves the payment). */
export function payerActionUrl(order: Order): string | null {
  return order.links?.find((l) => l.rel === 'payer-action')?.href ?? null;
}

/** The payer as PayPal reports it after a capture (ESM-2: possibly someone other than the client). */
export interface CapturePayer { payerId: string | null; email: string | null; firstname: string | null; lastname: string | null }

/** What a capture answer says: the capture (id, status, amount), the payer, and a vault token if the order vaulted one. */
export interface CaptureFacts { captureId: string | null; status: string | null; cents: number | null; payer: CapturePayer; vaultTokenId: string | null }

/** Reads a capture (or order) answer. */
export function captureFacts(order: Order): CaptureFacts {
  const capture = order.purchaseUnits?.[0]?.payments?.captures?.[0];
  const wallet = order.paymentSource?.paypal;
  const value = capture?.amount?.value;
  return {
    captureId: capture?.id ?? null,
    status: capture?.status ?? null,
    cents: value === undefined ? null : toCents(Number(value)),
    payer: {
      payerId: order.payer?.payerId ?? wallet?.accountId ?? null,
      email: order.payer?.emailAddress ?? wallet?.emailAddress ?? null,
      firstname: order.payer?.name?.givenName ?? wallet?.name?.givenName ?? null,
      lastname: order.payer?.name?.surname ?? wallet?.name?.surname ?? null,
    },
    vaultTokenId: wallet?.attributes?.vault?.id ?? null,
  };
}
