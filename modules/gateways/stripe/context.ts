/** What every Stripe call starts from: the brand, its effective profile and its Stripe settings, and the platform's invoices. */
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { PlatformService } from '../../platform';
import type { InvoiceToPay } from '../kit/contract';
import { gatewayError } from '../kit/errors';
import { stripeSettings, type StripeSettings } from './settings';

export interface BrandContext { brand: Brand; profile: PrivacyProfile; settings: StripeSettings }

export async function brandContext(kernel: Kernel, brand: Brand): Promise<BrandContext> {
  const profile = await kernel.brands.profile(brand);
  return { brand, profile, settings: stripeSettings(profile) };
}

export const platformOf = (kernel: Kernel): PlatformService => kernel.service<PlatformService>('platform');

/** A platform invoice as the gateway reads it, with the client's subject; an unknown one is SUITE_STRIPE_INVOICE_NOT_PAYABLE. */
export async function invoiceToPay(kernel: Kernel, invoiceId: number): Promise<InvoiceToPay> {
  let inv: Awaited<ReturnType<PlatformService['invoice']>>;
  try {
    inv = await platformOf(kernel).invoice(invoiceId);
  } catch (err) {
    if (err instanceof SuiteError && err.code === 'SUITE_NOT_FOUND') throw gatewayError('stripe', 'INVOICE_NOT_PAYABLE', { invoice: invoiceId });
    throw err;
  }
  const subject = await kernel.subjects.findByExternal(inv.brandId, 'client', inv.clientId);
  return { brandId: inv.brandId, invoiceId: inv.id, clientId: inv.clientId, subjectId: subject?.id ?? null, total: inv.total, status: inv.status };
}
