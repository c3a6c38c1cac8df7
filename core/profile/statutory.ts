/** How long invoices and books must be kept after a customer leaves, by the controller's country (TOS-1.4, MS-9). */
import type { PrivacyProfile } from './schema';

/**
 * Years invoices are kept, by country: DE 8 (invoices since 2025, Bürokratieentlastungsgesetz IV; books 10), GB 6
 * (HMRC), US 7 (IRS practice), AE 5 (VAT; corporate tax 7). Any other country: 10, the longest of these.
 */
export const STATUTORY_INVOICE_YEARS: Record<string, number> = { DE: 8, GB: 6, UK: 6, US: 7, AE: 5 };

/** The brand's statutory invoice period: the profile's own number, else its controller country's preset, else 10. */
export function statutoryInvoiceYears(profile: PrivacyProfile): number {
  if (profile.statutoryInvoiceYears !== undefined) return profile.statutoryInvoiceYears;
  const country = profile.controller?.country?.toUpperCase();
  return (country ? STATUTORY_INVOICE_YEARS[country] : undefined) ?? 10;
}
