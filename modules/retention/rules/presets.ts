/**
 * Preset retention tables by controller country, for an admin to copy into a brand's profile (nothing applies by
 * default: a brand with an empty table keeps everything). Billing follows the statutory periods of
 * core/profile/statutory.ts; the rest are common defaults for hosting providers.
 */
import type { RetentionRule } from '../../../core/profile/schema';
import { STATUTORY_INVOICE_YEARS } from '../../../core/profile/statutory';

/**
 * Years the books (ledgers, accounts) are kept, where longer than invoices: DE 10 (§ 147 AO, HGB § 257), AE 7
 * (corporate tax; VAT records 5). Elsewhere the invoice period is the longest.
 */
const BOOK_YEARS: Record<string, number> = { DE: 10, AE: 7 };

/** The statutory periods a preset is built from. */
export interface StatutoryPeriods { country: string | null; invoiceYears: number; bookYears: number; billingDays: number }

/** Days for `years` calendar years plus one (periods run from the end of the calendar year, so the last year is covered). */
export const yearsToDays = (years: number): number => Math.round((years + 1) * 365.25);

/** The statutory periods for a country (ISO 3166-1 alpha-2; unknown or none: 10 years). */
export function statutoryPeriods(country: string | null | undefined): StatutoryPeriods {
  const c = country ? country.toUpperCase() : null;
  const invoiceYears = (c ? STATUTORY_INVOICE_YEARS[c] : undefined) ?? 10;
  const bookYears = Math.max(invoiceYears, (c ? BOOK_YEARS[c] : undefined) ?? invoiceYears);
  return { country: c, invoiceYears, bookYears, billingDays: yearsToDays(bookYears) };
}

/** The preset table for a country: billing stripped after the statutory period, and sensible defaults for the rest. */
export function presetRules(country: string | null | undefined): RetentionRule[] {
  const p = statutoryPeriods(country);
  return [
    // Whole subjects: an abandoned cart's never-paying client after 30 days; an inactive client after 24 months (anonymised, never deleted).
    { id: 'abandoned-cart', category: 'contact', from: 'cart-abandoned', days: 30, action: 'anonymise' },
    { id: 'inactive-client', category: 'contact', from: 'invoice-paid', days: 0, inactiveMonths: 24, action: 'anonymise' },
    // Server logs and IP addresses, 180 days after collection.
    { id: 'usage-logs', category: 'usage', from: 'collected', days: 180, action: 'delete' },
    // Identity documents: 90 days after verification, or after the account closed.
    { id: 'id-document-verified', category: 'identity-document', from: 'identity-verified', days: 90, action: 'delete' },
    { id: 'id-document-closed', category: 'identity-document', from: 'account-closed', days: 90, action: 'delete' },
    // Support correspondence: 2 years after the account closed.
    { id: 'correspondence-closed', category: 'correspondence', from: 'account-closed', days: 730, action: 'delete' },
    // Payment tokens: at once when the account closes (the gateway keeps the card; nothing to bill any more).
    { id: 'payment-token-closed', category: 'payment-token', from: 'account-closed', days: 0, action: 'delete' },
    // Billing fields (tax id, billing address) stripped after the statutory period; invoices stay (TOS-1.4).
    { id: 'billing-statutory', category: 'billing', from: 'invoice-paid', days: p.billingDays, action: 'strip' },
  ];
}
