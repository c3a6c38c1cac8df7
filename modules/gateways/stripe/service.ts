/** The Stripe gateway's service (`kernel.service('gateways/stripe')`), in the kit's contract: link, capture, refund, callback. */
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { CaptureResult, CheckoutLink, GatewayService, RefundResult, WebhookOutcome } from '../kit/contract';
import { captureSession } from './capture';
import { openCheckout } from './checkout';
import { refundInvoice } from './refund';
import { receiveWebhook } from './webhook';

export class StripeGateway implements GatewayService {
  readonly gateway = 'stripe' as const;
  constructor(private readonly kernel: Kernel) {}

  checkout(invoiceId: number, urls: { returnUrl: string; cancelUrl: string }): Promise<CheckoutLink> {
    return openCheckout(this.kernel, invoiceId, urls);
  }

  capture(brand: Brand, reference: string): Promise<CaptureResult> {
    return captureSession(this.kernel, brand, reference);
  }

  refund(brand: Brand, invoiceId: number, amount?: number): Promise<RefundResult> {
    return refundInvoice(this.kernel, brand, invoiceId, amount);
  }

  webhook(brand: Brand, rawBody: Buffer, headers: Record<string, string | string[] | undefined>): Promise<WebhookOutcome> {
    return receiveWebhook(this.kernel, brand, rawBody, headers);
  }
}
