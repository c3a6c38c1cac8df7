/**
 * What an erasure needs to know about a brand, resolved before any transaction opens (SQLite has one connection, so
 * nothing may query kernel.db inside): the modules on for the brand that erase, in order, and the statutory period.
 */
import type { Brand } from '../../../core/brands/brand';
import { t } from '../../../core/i18n';
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
  /** Modules on for the brand with an erase, the subject register (inventory) last: the others read it while they erase. */
  modules: ErasingModule[];
  /** Modules with personal data that are switched off for the brand. */
  skipped: string[];
  /** Whether the reference platform's invoices are this brand's billing records. */
  platformInvoices: boolean;
  years: number;
  legalBasis: string;
}

const LEGAL_BASIS_COUNTRIES = new Set(['DE', 'GB', 'UK', 'US', 'AE']);

/** The legal basis written on a statutory record: the controller country's law and the period. */
export function legalBasisOf(profile: PrivacyProfile, years: number): string {
  const country = profile.controller?.country?.toUpperCase() ?? '';
  const key = LEGAL_BASIS_COUNTRIES.has(country) ? country : 'other';
  return t('en', `rights.erase.legalBasis.${key}`, { years }).slice(0, 190);
}

/** Resolves the plan for a brand (queries the module switches; call outside any transaction). */
export async function planErasure(kernel: Kernel, brand: Brand, profile: PrivacyProfile): Promise<ErasurePlan> {
  const modules: ErasingModule[] = [];
  const skipped: string[] = [];
  let platformInvoices = false;
  for (const m of kernel.modules.list()) {
    if (!m.personalData) continue;
    const on = await kernel.modules.enabledFor(kernel.brands, brand, m.name);
    if (!on) { skipped.push(m.name); continue; }
    modules.push({ name: m.name, personalData: m.personalData });
    if (m.name === 'platform') platformInvoices = true;
  }
  modules.sort((a, b) => Number(a.name === 'inventory') - Number(b.name === 'inventory'));
  const years = statutoryInvoiceYears(profile);
  // Keys warm: the modules decrypt synchronously inside the transaction.
  await kernel.keyring.activeKeyId();
  return { brand, profile, modules, skipped, platformInvoices, years, legalBasis: legalBasisOf(profile, years) };
}
