/**
 * The gateway module contract, after WHMCS's gateway family (`<m>_config`, `<m>_link`, `<m>_capture`, `<m>_refund` and
 * the callback): what the Stripe and PayPal modules offer, in one shape. Card data never reaches the suite: the
 * checkout is the processor's page (off-site), and the suite keeps only opaque ids and the card's brand, last four
 * digits and expiry, as the `payment-token` category, encrypted (TOS-1.2, SP-8).
 */
import type { Brand } from '../../../core/brands/brand';

/** The gateways this suite ships; each is the module `gateways/<name>` and owns the tables `<name>_payments|events|tokens`. */
export type GatewayName = 'stripe' | 'paypal';

/** Where a payment stands. `declined`: the processor refused it and the invoice stays unpaid. */
export type PaymentStatus = 'pending' | 'paid' | 'declined' | 'refunded' | 'partially-refunded';

/** An unpaid invoice a checkout is opened for (read from the platform). */
export interface InvoiceToPay {
  brandId: number;
  invoiceId: number;
  clientId: number;
  /** The client's subject: the checkout's disclosure is written against it. */
  subjectId: number | null;
  total: number;
  status: string;
}

/** `<m>_link`: the processor's page the customer is sent to, and the processor's reference (session or order id). */
export interface CheckoutLink { url: string; reference: string }

/** `<m>_capture`: what the processor says of a checkout after the customer came back. */
export interface CaptureResult { status: PaymentStatus; reference: string; transactionId: string | null }

/** `<m>_refund`, in WHMCS's result shape. `rawdata` is the processor's answer without personal data. */
export interface RefundResult { status: 'success' | 'declined' | 'error'; transid: string; rawdata: Record<string, unknown>; fees?: number }

/** What a verified webhook did. A bad or stale signature never gets here: it is refused with nothing written. */
export interface WebhookOutcome { status: 'applied' | 'duplicate' | 'ignored'; eventId: string; type: string }

/** The service each gateway module exposes (`kernel.service('gateways/<name>')`). */
export interface GatewayService {
  readonly gateway: GatewayName;
  /** `<m>_link`: opens the processor's checkout for an unpaid platform invoice; the same invoice and amount give the same checkout. */
  checkout(invoiceId: number, urls: { returnUrl: string; cancelUrl: string }): Promise<CheckoutLink>;
  /** `<m>_capture`: settles a checkout the customer came back from (Stripe: reads the session; PayPal: captures the order). */
  capture(brand: Brand, reference: string): Promise<CaptureResult>;
  /** `<m>_refund`: refunds all or part of an invoice's payment; a retry of the same refund never refunds twice. */
  refund(brand: Brand, invoiceId: number, amount?: number): Promise<RefundResult>;
  /** The callback: verifies the signature over the raw body, then applies the event once (keyed by its id). */
  webhook(brand: Brand, rawBody: Buffer, headers: Record<string, string | string[] | undefined>): Promise<WebhookOutcome>;
}
