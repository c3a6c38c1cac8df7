/**
 * Records of processing activities (GDPR Art. 30) for one brand, generated from its effective privacy profile and the
 * loaded module definitions, so the record and the running code read the same registers: controller (and the provider
 * as processor for a reseller), DPO, purposes and legal bases, data subjects, data categories, recipients and
 * third-country transfers, retention, security measures and the modules switched on.
 */
import type { Brand } from '../../../core/brands/brand';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import type { Controller, DataCategory, PrivacyProfile } from '../../../core/profile/schema';
import { STATUTORY_INVOICE_YEARS, statutoryInvoiceYears } from '../../../core/profile/statutory';
import { FIELD_CATEGORIES } from '../../../core/subjects/field-catalogue';

/** EU member states, the EEA (Iceland, Liechtenstein, Norway) and the UK: transfers outside need safeguards (GDPR Ch. V). */
export const EEA_UK = new Set(['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO', 'GB', 'UK']);

/** Countries with an EU adequacy decision (Art. 45) besides the EEA/UK; the US only for certified organisations (DPF), so not listed. */
export const ADEQUACY = new Set(['AD', 'AR', 'CA', 'FO', 'GG', 'IL', 'IM', 'JP', 'JE', 'NZ', 'KR', 'CH', 'UY']);

/** A party named in the record. */
export interface Party { name: string; address: string; email: string; country: string | null; dpo: string | null }

/** One recipient with its transfer assessment: `transfer` true outside the EEA/UK, null when no country is registered. */
export interface RecipientRecord {
  code: string; name: string; kind: string; country: string | null; purposes: string[]; categories: DataCategory[];
  transfer: boolean | null; adequacy: boolean | null;
}

/** The whole record. */
export interface RecordsOfProcessing {
  brand: { slug: string; name: string; kind: Brand['kind'] };
  generatedAt: number;
  controller: Party | null;
  dpo: string | null;
  /** For a reseller's brand: the provider, processing on the reseller's behalf. */
  processors: (Party & { role: string })[];
  purposes: { code: string; description: string; legalBasis: string; requiresConsent: boolean }[];
  dataSubjects: { kind: string; description: string }[];
  categories: { category: DataCategory; fields: string[]; customFields: string[] }[];
  recipients: RecipientRecord[];
  transfers: RecipientRecord[];
  retention: { rules: PrivacyProfile['retention']; statutoryInvoiceYears: number; statutorySource: 'profile' | 'country-preset' | 'fallback' };
  security: string[];
  modules: { name: string; version: string; description: string; enabled: boolean; storesPersonalData: boolean; encryptedTables: string[] }[];
}

const SECURITY_KEYS = ['encryption', 'blindIndex', 'hashChains', 'access', 'hooks', 'outbox', 'rights'];
const SUBJECT_KINDS = ['client', 'contact', 'payer'];

function party(c: Controller | undefined): Party | null {
  return c ? { name: c.name, address: c.address, email: c.email, country: c.country?.toUpperCase() ?? null, dpo: c.dpo ?? null } : null;
}

function categoriesOf(profile: PrivacyProfile): RecordsOfProcessing['categories'] {
  const by = new Map<DataCategory, { fields: string[]; customFields: string[] }>();
  const entry = (c: DataCategory) => by.get(c) ?? by.set(c, { fields: [], customFields: [] }).get(c)!;
  for (const [field, category] of Object.entries(FIELD_CATEGORIES)) entry(category).fields.push(field);
  for (const [id, category] of Object.entries(profile.inventory.customFields)) {
    if (category !== 'health' && category !== 'ignore') entry(category).customFields.push(`customfield:${id}`);
  }
  for (const r of profile.recipients) for (const c of r.categories) entry(c);
  return [...by].map(([category, v]) => ({ category, fields: v.fields.sort(), customFields: v.customFields.sort() })).sort((a, b) => a.category.localeCompare(b.category));
}

function statutorySource(profile: PrivacyProfile): 'profile' | 'country-preset' | 'fallback' {
  if (profile.statutoryInvoiceYears !== undefined) return 'profile';
  const country = profile.controller?.country?.toUpperCase();
  return country && STATUTORY_INVOICE_YEARS[country] !== undefined ? 'country-preset' : 'fallback';
}

/** Builds the record of processing for a brand, in `locale` for its descriptive texts. */
export async function recordsOfProcessing(kernel: Kernel, brand: Brand, locale = 'en'): Promise<RecordsOfProcessing> {
  const profile = await kernel.brands.profile(brand);
  const chain = await kernel.brands.chain(brand);
  const processors: RecordsOfProcessing['processors'] = [];
  if (chain.some((b) => b.kind === 'reseller')) {
    const provider = chain[chain.length - 1];
    const p = provider.kind === 'provider' ? party((await kernel.brands.profile(provider)).controller) : null;
    if (p) processors.push({ ...p, role: t(locale, 'rights.records.providerAsProcessor', { provider: provider.name }) });
  }
  const recipients = profile.recipients.map((r): RecipientRecord => {
    const country = r.country?.toUpperCase() ?? null;
    return {
      code: r.code, name: r.name, kind: r.kind, country, purposes: r.purposes, categories: r.categories,
      transfer: country ? !EEA_UK.has(country) : null, adequacy: country ? EEA_UK.has(country) || ADEQUACY.has(country) : null,
    };
  });
  const modules: RecordsOfProcessing['modules'] = [];
  for (const m of kernel.modules.list()) {
    modules.push({
      name: m.name, version: m.version, description: m.description, enabled: await kernel.modules.enabledFor(kernel.brands, brand, m.name),
      storesPersonalData: m.storesPersonalData, encryptedTables: [...new Set((m.encryptedColumns ?? []).map((e) => e.table))].sort(),
    });
  }
  const controller = party(profile.controller);
  return {
    brand: { slug: brand.slug, name: brand.name, kind: brand.kind },
    generatedAt: Date.now(),
    controller,
    dpo: controller?.dpo ?? null,
    processors,
    purposes: profile.purposes.map((p) => ({ code: p.code, description: p.description, legalBasis: p.legalBasis, requiresConsent: p.requiresConsent })),
    dataSubjects: SUBJECT_KINDS.map((kind) => ({ kind, description: t(locale, `rights.records.subjects.${kind}`) })),
    categories: categoriesOf(profile),
    recipients,
    transfers: recipients.filter((r) => r.transfer === true),
    retention: { rules: profile.retention, statutoryInvoiceYears: statutoryInvoiceYears(profile), statutorySource: statutorySource(profile) },
    security: SECURITY_KEYS.map((key) => t(locale, `rights.records.security.${key}`)),
    modules,
  };
}
