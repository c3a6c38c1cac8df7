/**
 * What an erasure needs to know about a brand, resolved before any transaction opens (SQLite has one connection, so
 * nothing may query kernel.db inside): every module that holds personal data, in order — switched off for the brand
 * or not, since a module switched off now may still hold what it kept before — and the statutory period.
 */
import type { Brand } from '../../../core/brands/brand';
import { resolveLocale, t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import type { PersonalDataProvider } from '../../../core/modules/define-module';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { statutoryInvoiceYears } from '../../../core/profile/statutory';

/** A module that erases, with its provider. */
export interface ErasingModule { name: string; personalData: PersonalDataProvider }

/** The brand-level part of an erasure, shared by every subject of a run. */
export interface ErasurePlan {
  brand: Brand;
  profile: PrivacyProfile;
  /** Every module with an erase, the subject register (inventory) last: the others read it while they erase. */
  modules: ErasingModule[];
  /** Modules switched off for the brand that still erased what they hold (MS-8f: erasure reaches every copy). */
  offForBrand: string[];
  /** Whether the reference platform's invoices are this brand's billing records. */
  platformInvoices: boolean;
  years: number;
  /**
   * The brand's language (its profile's `locale`): the statutory record's legal basis is written in it (a record the
   * controller keeps for its tax office), and so is the result of an erasure nobody asked for (a bulk run, retention).
   * An erase request answers in the requester's language instead (`EraseTarget.locale`).
   */
  locale: string;
  legalBasis: string;
}

const LEGAL_BASIS_COUNTRIES = new Set(['DE', 'GB', 'UK', 'US', 'AE']);

/** The legal basis written on a statutory record: the controller country's law and the period, in the brand's language. */
export function legalBasisOf(profile: PrivacyProfile, years: number, locale = resolveLocale(profile.locale)): string {
  const country = profile.controller?.country?.toUpperCase() ?? '';
  const key = LEGAL_BASIS_COUNTRIES.has(country) ? country : 'other';
  return t(locale, `rights.erase.legalBasis.${key}`, { years }).slice(0, 190);
}

/** Resolves the plan for a brand (queries the module switches for the report; call outside any transaction). */
export async function planErasure(kernel: Kernel, brand: Brand, profile: PrivacyProfile): Promise<ErasurePlan> {
  const modules: ErasingModule[] = [];
  const offForBrand: string[] = [];
  let platformInvoices = false;
  for (const m of kernel.modules.list()) {
    if (!m.personalData) continue;
    const on = await kernel.modules.enabledFor(kernel.brands, brand, m.name);
    if (!on) offForBrand.push(m.name);
    modules.push({ name: m.name, personalData: m.personalData });
    if (m.name === 'platform') platformInvoices = true;
  }
  modules.sort((a, b) => Number(a.name === 'inventory') - Number(b.name === 'inventory'));
  const years = statutoryInvoiceYears(profile);
  // Keys warm: the modules decrypt synchronously inside the transaction.
  await kernel.keyring.activeKeyId();
  const locale = resolveLocale(profile.locale);
  return { brand, profile, modules, offForBrand, platformInvoices, years, locale, legalBasis: legalBasisOf(profile, years, locale) };
}
